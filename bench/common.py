"""What the benchmarks share: a throw-away environment, free ports, manage.py, waiting for servers."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(var_dir: str) -> dict:
    """The development database and media stay untouched; BENCH_DATABASE_URL picks another database."""
    env = {**os.environ, "RETAIL_STUDIO_VAR_DIR": var_dir, "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "")}
    if not env["DATABASE_URL"]:
        del env["DATABASE_URL"]
    return env


def manage(*args: str, env) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_for_port(port: int, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start listening on port {port} within {timeout:.0f} s")


def gunicorn(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "retail_studio.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--log-level", "warning"],
        cwd=PROJECT, env=env,
    )  # fmt: skip


def timed_gets(port: int, path: str, *, cookie: str, count: int, warmup: int = 0) -> tuple[list[float], bytes]:
    """Milliseconds of `count` GETs in a row on one connection, after `warmup` untimed ones that warm the
    caches and the connection; and the last body. Anything but 200 stops the benchmark."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    timings, body = [], b""
    for i in range(warmup + count):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        if i >= warmup:
            timings.append((time.perf_counter() - started) * 1000)
    return timings, body


def p50_p95(timings: list[float]) -> tuple[float, float]:
    quantiles = statistics.quantiles(timings, n=100)
    return quantiles[49], quantiles[94]
