"""`make bench-review`: the review queue under a realistic load, and how soon generated images reach it.

A throw-away stack (Redis, one Celery worker, gunicorn) on the full demo catalog with 10,000 pending items:
the p50/p95 of the queue page, of its JSON paging and of a decision; then, on a warm worker, the time from
the click on Generate (the form's POST) to the first new item in the queue, and to 1,000 items.
"""

import html
import http.client
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    DemoStack,
    log_in,
    manage,
    p50_p95,
    timed_gets,
    timed_requests,
)  # fmt: skip

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
PENDING = 10_000
TRAIN_STEPS = 300
PER_CATEGORY = 100  # x 10 categories: the 1,000 items of the target

SEED_ITEMS = f"""
import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from catalog.imaging import png_of_array
from catalog.models import Product
from generation.models import GeneratedItem, GenerativeModel
model = GenerativeModel.objects.get(name="bench")
categories = {{c.name: c for c in model.categories.all()}}
image = default_storage.save("generated/bench.png", ContentFile(png_of_array(np.zeros((28, 28, 1), np.uint8))))
nearest = [{{"product_id": pk, "distance": 0.2}} for pk in Product.objects.values_list("id", flat=True)[:3]]
GeneratedItem.objects.bulk_create(
    [GeneratedItem(model=model, category=categories[model.category_names[i % len(categories)]], seed=10**9 + i,
                   image=image, nearest_products=nearest, predicted_category=model.category_names[i % 10],
                   predicted_confidence=0.9) for i in range({PENDING})],
    batch_size=1000,
)
"""


def summary(timings: list[float]) -> str:
    p50, p95 = p50_p95(timings)
    return f"p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({len(timings)} requests)"


def get_json(port: int, path: str, cookie: str) -> dict:
    return json.loads(timed_gets(port, path, cookie=cookie, count=1)[1])


def generate(port: int, cookie: str, model_id: int, per_category: int, categories: list[str]) -> int:
    """Posts the generate form as the browser does; returns the sampling job's id."""
    form = urlencode([("categories", c) for c in categories] + [("per_category", per_category), ("seed", 7),
                                                                 ("truncation", 1.0)])  # fmt: skip
    csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("POST", f"/models/{model_id}/generate/", body=form, headers={
        "Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"generate answered {response.status}")
    return int(response.getheader("Location").rstrip("/").split("/")[-1])


def wait_for_items(port: int, cookie: str, job_id: int, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while get_json(port, f"/review/items/?job={job_id}", cookie)["count"] < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"sampling job {job_id} did not reach {count} items in {timeout:.0f} s")
        time.sleep(0.05)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="retail-bench-review-") as var_dir, DemoStack(var_dir) as stack:
        env, web_port = stack.env, stack.web_port
        started = time.monotonic()
        manage("train_gan", "--name", "bench", "--steps", str(TRAIN_STEPS), "--device", "cpu", env=env)
        print(f"trained a {TRAIN_STEPS}-step model to generate with in {time.monotonic() - started:.0f} s")
        manage("shell", "-c", SEED_ITEMS, env=env)
        print(f"{PENDING:,} pending items in the queue")

        stack.serve()
        reviewer = log_in(web_port, "reviewer", "studio-review")
        merchandiser = log_in(web_port, "merchandiser", "studio-merch")

        print(f"\nwith {PENDING:,} pending items, gunicorn 2 workers x 4 threads, this machine:")
        timings, _ = timed_gets(web_port, "/review/", cookie=reviewer, count=REQUESTS, warmup=10)
        print(f"queue page /review/:                 {summary(timings)}")
        timings, _ = timed_gets(web_port, "/review/items/?after=5000", cookie=reviewer, count=REQUESTS, warmup=10)
        print(f"queue paging /review/items/:         {summary(timings)}")
        oldest = get_json(web_port, "/review/items/", reviewer)["items"][0]
        requests = [("POST", f"/review/items/{oldest['id'] + i}/approve/", "note=") for i in range(REQUESTS + 10)]
        timings, _ = timed_requests(web_port, requests, cookie=reviewer, warmup=10)
        print(f"decision (approve) POST:             {summary(timings)}")

        model_id = oldest["model_id"]
        form = timed_gets(web_port, f"/models/{model_id}/generate/", cookie=merchandiser, count=1)[1].decode()
        names = [html.unescape(n) for n in re.findall(r'name="categories" value="([^"]+)"', form)]
        # A first small job warms the worker: the catalog reference and the network stay in its process.
        warm_job = generate(web_port, merchandiser, model_id, 1, names)
        wait_for_items(web_port, merchandiser, warm_job, len(names), timeout=300)
        clicked = time.monotonic()
        job_id = generate(web_port, merchandiser, model_id, PER_CATEGORY, names)
        wait_for_items(web_port, reviewer, job_id, 1)
        first = time.monotonic() - clicked
        wait_for_items(web_port, reviewer, job_id, PER_CATEGORY * len(names))
        all_items = time.monotonic() - clicked
        print("\nwarm worker, Generate -> the review queue (polled through /review/items/ as the page polls):")
        print(f"click on Generate -> first new item in the queue: {first:6.2f} s   (target < 2 s)")
        print(
            f"click on Generate -> {PER_CATEGORY * len(names):,} items in the queue:    {all_items:6.2f} s   (target < 10 s)"
        )


if __name__ == "__main__":
    main()
