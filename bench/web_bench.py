"""`make bench-web`: the real stack under 50 concurrent staff and scripts.

A throw-away stack (Redis, a Celery worker, gunicorn) on the full demo catalog with 10,000 pending review
items, on SQLite, or on PostgreSQL with `--database postgres` (a private cluster from Debian's packages,
started here; BENCH_DATABASE_URL names an existing database instead). Locust, headless in its own process
on loopback, drives 50 users for 60 s, each waiting 1 to 3 s between requests, over the mix in
bench/locustfile.py; then the same 50 users without waiting, for the most requests per second the stack
serves. It prints requests per second, p50, p95, p99 and errors per endpoint.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import PROJECT, DemoStack, log_in, manage  # noqa: E402
from retail_studio import gunicorn_conf  # noqa: E402
from tests.servers import PostgresServer, free_port  # noqa: E402

USERS = 50
# Users arrive over five seconds, as people do, and the figures count from when all 50 are there
# (--reset-stats): 50 first requests in the same instant would measure the start, not the load.
SPAWN_RATE = 10
PENDING = 10_000

SEED = f"""
import json
import numpy as np
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from catalog.imaging import png_of_array
from catalog.models import Category, Product
from catalog.services.api_tokens import api_token_renew
from generation.models import GeneratedItem, RejectionReason, TrainingJob, TrainingJobPoint
categories = list(Category.objects.all())
image = default_storage.save("generated/bench.png", ContentFile(png_of_array(np.zeros((28, 28, 1), np.uint8))))
products = list(Product.objects.values_list("id", flat=True)[:1000])
nearest = [{{"product_id": pk, "distance": 0.2}} for pk in products[:3]]
items = GeneratedItem.objects.bulk_create(
    [GeneratedItem(category=categories[i % len(categories)], seed=10**9 + i, image=image, nearest_products=nearest,
                   predicted_category=categories[i % len(categories)].name, predicted_confidence=0.9)
     for i in range({PENDING})],
    batch_size=1000,
)
job = TrainingJob.objects.create(name="bench", status="succeeded", budget_steps=3000, step=3000, progress=1.0)
job.categories.set(categories)
TrainingJobPoint.objects.bulk_create(
    TrainingJobPoint(job=job, seq=i, data={{"step": i * 20, "fraction": i / 150, "elapsed": i * 4.0,
                                           "loss_d": 1.2, "loss_g": 0.9, "steps_per_second": 5.0}})
    for i in range(150)
)
from django.db import connection
if connection.vendor == "postgresql":  # fresh statistics, as autovacuum gathers within a minute of a bulk load
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
merchandiser = get_user_model().objects.get(username="merchandiser")
print(json.dumps({{
    "first_item": min(item.pk for item in items), "products": products[::2], "job": job.pk,
    "reason": RejectionReason.objects.first().pk, "token": api_token_renew(user=merchandiser).key,
}}))
"""


def locust(stack: DemoStack, seeded: dict, cookies: dict, *, no_wait: bool, seconds: int, first_item: int,
           out: Path) -> list[dict]:  # fmt: skip
    env = {
        **os.environ, "BENCH_REVIEWER_COOKIE": cookies["reviewer"], "BENCH_MERCHANDISER_COOKIE": cookies["merchandiser"],
        "BENCH_API_TOKEN": seeded["token"], "BENCH_PRODUCT_IDS": ",".join(map(str, seeded["products"])),
        "BENCH_FIRST_ITEM": str(first_item), "BENCH_ITEMS": str(PENDING // 2), "BENCH_JOB_ID": str(seeded["job"]),
        "BENCH_REASON_ID": str(seeded["reason"]), "BENCH_USERS": str(USERS),
    }  # fmt: skip
    if no_wait:
        env["BENCH_NO_WAIT"] = "1"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(PROJECT / "bench" / "locustfile.py"), "--headless",
         "-u", str(USERS), "-r", str(SPAWN_RATE), "--reset-stats", "-t", f"{seconds + USERS // SPAWN_RATE}s",
         "--host", f"http://127.0.0.1:{stack.web_port}", "--csv", str(out), "--only-summary", "--loglevel", "ERROR"],
        cwd=PROJECT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{out}_failures.csv") as handle:
        for failure in csv.DictReader(handle):
            print(f"  failed {failure['Occurrences']}x {failure['Method']} {failure['Name']}: {failure['Error']}")
    with open(f"{out}_stats.csv") as handle:
        return list(csv.DictReader(handle))


def report(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(f"  {'endpoint':36} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "all endpoints" if row["Name"] == "Aggregated" else row["Name"]
        print(f"  {name:36} {float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7} "
              f"{row['Failure Count']:>7}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    postgres = None
    if args.database == "postgres" and not os.environ.get("BENCH_DATABASE_URL"):
        postgres = PostgresServer(free_port())
        postgres.start()
        os.environ["BENCH_DATABASE_URL"] = postgres.url
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    try:
        with tempfile.TemporaryDirectory(prefix="retail-bench-web-") as var_dir, DemoStack(var_dir) as stack:
            seeded = json.loads(manage("shell", "-c", SEED, env=stack.env).strip().splitlines()[-1])
            stack.serve()
            cookies = {"reviewer": log_in(stack.web_port, "reviewer", "studio-review"),
                       "merchandiser": log_in(stack.web_port, "merchandiser", "studio-merch")}  # fmt: skip
            print(
                f"{PENDING:,} pending items; {database}; gunicorn {gunicorn_conf.workers} workers x {gunicorn_conf.threads} threads"
            )
            first = seeded["first_item"]
            paced = locust(stack, seeded, cookies, no_wait=False, seconds=args.seconds, first_item=first,
                           out=Path(var_dir) / "paced")  # fmt: skip
            report(f"{USERS} users, 1-3 s between requests, {args.seconds} s (targets: no errors, p95 < 100 ms, "
                   "p99 < 250 ms):", paced)  # fmt: skip
            flat_out = locust(stack, seeded, cookies, no_wait=True, seconds=min(args.seconds, 30),
                              first_item=first + PENDING // 2, out=Path(var_dir) / "flat")  # fmt: skip
            report(f"{USERS} users, no waiting, {min(args.seconds, 30)} s (the most the stack serves):", flat_out)
    finally:
        if postgres is not None:
            postgres.stop()


if __name__ == "__main__":
    main()
