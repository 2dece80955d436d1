"""`make bench`: full demo import time, then catalog page latency through gunicorn with 70,000 products.

Runs in a throw-away data folder so the development database is left alone.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import bench_env, free_port, gunicorn, log_in, manage, p50_p95, timed_gets, wait_for_port  # noqa: E402

REQUESTS_PER_PAGE = int(os.environ.get("BENCH_REQUESTS", 300))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="retail-bench-") as var_dir:
        env = bench_env(var_dir)
        manage("migrate", "-v", "0", env=env)
        started = time.monotonic()
        out = manage("load_demo_catalog", env=env)
        import_seconds = time.monotonic() - started
        print(out.strip().splitlines()[-1])
        print(f"full demo import: {import_seconds:.1f} s (target < 180 s)")
        manage("create_demo_users", env=env)
        manage("collectstatic", "--noinput", "-v", "0", env=env)

        port = free_port()
        server = gunicorn(port, env)
        try:
            wait_for_port(port, "gunicorn")
            cookie = log_in(port, "merchandiser", "studio-merch")
            print(f"\ncatalog list latency through gunicorn, {REQUESTS_PER_PAGE} requests each (target p95 < 50 ms)")
            print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>8}")
            for label, path in [
                ("first page", "/"),
                ("category page (Sneaker)", "/?category=8"),
                ("category page 40", "/?category=3&page=40"),
                ("search 'dark'", "/?q=dark"),
                ("search 'dark patterned coat'", "/?q=dark+patterned+coat"),
                ("search by SKU", "/?q=FM-TEST-0042"),
            ]:
                timings, body = timed_gets(port, path, cookie=cookie, count=REQUESTS_PER_PAGE, warmup=20)
                p50, p95 = p50_p95(timings)
                size = len(body)
                print(f"{label:<34} {p50:8.1f} {p95:8.1f} {size:8d}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
