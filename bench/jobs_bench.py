"""`make bench-jobs`: how soon a training job started in the browser shows progress, and how fast the job
page's progress requests are answered while the worker trains.

Everything is real and throw-away: Redis, a Celery worker, gunicorn and Debian's Chromium, on the full demo
catalog in a temporary data folder. The decoded-photo cache (var/gan) is shared with `make bench-gan`, as a
worker keeps it between jobs; set GAN_WORK_DIR to an empty folder to time a first-ever job.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import DemoStack, p50_p95, timed_gets  # noqa: E402
from tests.browser import launch_chromium  # noqa: E402

PROGRESS_REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
JOB_MINUTES = 1.5


def start_job(page, base: str) -> tuple[float, float, float, str]:
    """Logs in, starts a job on every category and returns the seconds from the click on Start to the first
    progress the page shows (the job claimed by a worker), to the first training step on the page, and the
    job page's URL."""
    page.goto(f"{base}/login/?next=/jobs/new/")
    page.fill("input[name=username]", "merchandiser")
    page.fill("input[name=password]", "studio-merch")
    page.click("button[type=submit]")
    page.fill("input[name=name]", "bench")
    page.select_option("select[name=categories]", value=page.eval_on_selector_all(
        "select[name=categories] option", "options => options.map(o => o.value)"))  # fmt: skip
    page.fill("input[name=minutes]", str(JOB_MINUTES))
    page.select_option("select[name=device]", "cpu")
    clicked = time.monotonic()
    page.click("main form button[type=submit]")
    page.wait_for_function("() => document.getElementById('job-status')?.textContent === 'running'", timeout=120_000)
    claimed = time.monotonic() - clicked
    page.wait_for_function(
        "() => document.getElementById('job-percent')?.textContent.includes('step')", timeout=300_000
    )
    first_step = time.monotonic() - clicked
    return claimed, first_step, page.url


def summary(timings: list[float]) -> str:
    p50, p95 = p50_p95(timings)
    return f"p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({len(timings)} requests)"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="retail-bench-jobs-") as var_dir, DemoStack(var_dir) as stack:
        stack.serve()
        web_port = stack.web_port
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            claimed, first_step, job_url = start_job(page, f"http://127.0.0.1:{web_port}")
            print(f"\njob of {JOB_MINUTES:g} min on the full demo catalog, one worker, this machine:")
            print(f"click on Start -> job running on the page (first progress update): {claimed:5.1f} s")
            print(f"click on Start -> first training step on the page:               {first_step:5.1f} s")

            cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
            path = job_url.split(str(web_port), 1)[1].rstrip("/") + "/progress/"
            timings, _ = timed_gets(web_port, path, cookie=cookie, count=PROGRESS_REQUESTS)
            print(f"\nprogress requests while the worker trains: {summary(timings)}")
            page.wait_for_function("() => document.getElementById('job-status').textContent === 'succeeded'",
                                   timeout=int(JOB_MINUTES * 60_000 + 300_000))  # fmt: skip
            polls = page.evaluate(
                "performance.getEntriesByType('resource').filter(e => e.name.includes('/progress/'))"
                ".map(e => e.duration)"
            )
            print(f"the job page's own polls, start to finish:  {summary(polls)}")
            browser.close()


if __name__ == "__main__":
    main()
