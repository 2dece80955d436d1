"""What the benchmarks share: a throw-away environment, free ports, manage.py, waiting for servers."""

import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(var_dir: str) -> dict:
    """The development database and media stay untouched; BENCH_DATABASE_URL picks another database."""
    env = {
        **os.environ, "RETAIL_STUDIO_VAR_DIR": var_dir, "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", ""),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "STUDIO_DEMO": "1",
    }  # fmt: skip
    if not env["DATABASE_URL"]:
        del env["DATABASE_URL"]
    # Without a broker of its own, what the bench's imports queue for workers (thumbnails, features) goes to an
    # in-memory one and nowhere, instead of a refused connection per batch; benches with workers set their own.
    env.setdefault("CELERY_BROKER_URL", "memory://")
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
    """As `make run` serves (retail_studio/gunicorn_conf.py; WEB_WORKERS and WEB_THREADS size it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "retail_studio.wsgi", "--config", "python:retail_studio.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=PROJECT, env=env,
    )  # fmt: skip


def log_in(port: int, username: str, password: str) -> str:
    """Logs in through the login form, as a browser does; returns the Cookie header to send."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"username={username}&password={password}&csrfmiddlewaretoken={token}"
    conn.request(
        "POST", "/login/", body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"},
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie")).group(1)
    return f"sessionid={session}; csrftoken={csrf_cookie}"


def timed_requests(
    port: int, requests: list[tuple[str, str, str]], *, cookie: str, warmup: int = 0
) -> tuple[list[float], bytes]:
    """Milliseconds of each (method, path, form body) in a row on one connection, the first `warmup` untimed
    (they warm the caches and the connection); and the last body. Anything but 200 stops the benchmark."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    csrf = re.search(r"csrftoken=([^;]+)", cookie)
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    if csrf:
        headers["X-CSRFToken"] = csrf.group(1)
    timings, body = [], b""
    for i, (method, path, form) in enumerate(requests):
        started = time.perf_counter()
        conn.request(method, path, body=form or None, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path} answered {response.status}: {body[:300]!r}")
        if i >= warmup:
            timings.append((time.perf_counter() - started) * 1000)
    return timings, body


def timed_gets(port: int, path: str, *, cookie: str, count: int, warmup: int = 0) -> tuple[list[float], bytes]:
    """`count` timed GETs of one path after `warmup` untimed ones."""
    return timed_requests(port, [("GET", path, "")] * (warmup + count), cookie=cookie, warmup=warmup)


def p50_p95(timings: list[float]) -> tuple[float, float]:
    quantiles = statistics.quantiles(timings, n=100)
    return quantiles[49], quantiles[94]


class DemoStack:
    """The real stack on the full demo catalog in a throw-away folder: a private Redis and, once the data is
    ready (`serve()`), one Celery worker on both queues and gunicorn. Everything stops with the `with` block.
    The decoded-photo cache (var/gan) is shared, as a worker keeps it between jobs; set GAN_WORK_DIR to an
    empty folder to time a first-ever job."""

    def __init__(self, var_dir: str):
        self.var_dir = Path(var_dir)
        self.redis_port, self.web_port = free_port(), free_port()
        self.env = bench_env(var_dir) | {
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "GAN_WORK_DIR": os.environ.get("GAN_WORK_DIR", str(PROJECT / "var" / "gan")),
        }
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "DemoStack":
        self.processes.append(subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "", "--dir", str(self.var_dir)],
            stdout=subprocess.DEVNULL,
        ))  # fmt: skip
        try:
            wait_for_port(self.redis_port, "redis-server")
            manage("migrate", "-v", "0", env=self.env)
            print(manage("load_demo_catalog", env=self.env).strip().splitlines()[-1])
            manage("create_demo_users", env=self.env)
            manage("collectstatic", "--noinput", "-v", "0", env=self.env)
        except BaseException:
            self.__exit__()
            raise
        return self

    def serve(self) -> None:
        worker_log = self.var_dir / "worker.log"
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "retail_studio", "worker", "-Q", "celery,gpu",
             "--concurrency", "1", "-l", "info"],
            cwd=PROJECT, env=self.env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT,
        ))  # fmt: skip
        self.processes.append(gunicorn(self.web_port, self.env))
        wait_for_port(self.web_port, "gunicorn")
        deadline = time.monotonic() + 60
        while "ready." not in worker_log.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{worker_log.read_text()[-2000:]}")
            time.sleep(0.2)

    def __exit__(self, *exc_info) -> None:
        for process in reversed(self.processes):
            process.terminate()
            process.wait(10)


def concurrent_load(port: int, *, users: int, seconds: float, headers: dict, step) -> tuple[dict, Counter]:
    """`users` threads, each running `step(call, rng)` over and over for `seconds`, where `call(name, method,
    path, body=None, more_headers=None)` makes one timed request on the thread's connection and returns (status,
    body). Returns the milliseconds of each request by name, and the errors (a status of 400 or more counts as
    one)."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    stop, lock = time.monotonic() + seconds, threading.Lock()

    def user(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def call(
            name: str, method: str, path: str, body: str | None = None, more_headers: dict | None = None
        ) -> tuple[int, bytes]:
            nonlocal connection
            began = time.monotonic()
            try:
                connection.request(method, path, body, headers | (more_headers or {}))
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors[f"{name}: {type(exc).__name__}"] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                return 0, b""
            with lock:
                timings[name].append((time.monotonic() - began) * 1000)
                if response.status >= 400:
                    errors[f"{name}: HTTP {response.status}"] += 1
            return response.status, data

        while time.monotonic() < stop:
            step(call, rng)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors


def storefront_bench_setup(var_dir: str) -> dict:
    """A throw-away environment with the storefront's rate limits lifted (the load is the point), and Django
    set up in this process on it, migrated. Returns the environment, for the gunicorn it starts later."""
    lifted = ("STOREFRONT_RATE_PER_KEY", "STOREFRONT_RATE_PER_ADDRESS", "STOREFRONT_RATE_PER_CONVERSATION")
    env = bench_env(var_dir) | dict.fromkeys(lifted, "1000000/min") | {"STOREFRONT_RATE_PER_KEY_DAY": "100000000/day"}
    os.environ.update(env, DJANGO_SETTINGS_MODULE="retail_studio.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(share * len(values)))]


def load_results_print(what: str, results: list[tuple[str, float, dict, Counter]], width: int = 18) -> None:
    """Each load phase (name, seconds, timings by request name, errors): req/s and p50/p95/p99 per request."""
    for name, seconds, timings, errors in results:
        print(f"\n{what}, {name}, {seconds:.0f} s:")
        for request, values in timings.items():
            print(f"  {request:<{width}} {len(values) / seconds:7.1f} req/s  p50 {statistics.median(values):6.1f} ms  "
                  f"p95 {percentile(values, 0.95):6.1f} ms  p99 {percentile(values, 0.99):6.1f} ms")  # fmt: skip
        print(f"  errors: {dict(errors) or 'none'}")


DEMOS = ("fashion-mnist", "fashion-products")


SHOP_FIXTURE = PROJECT / "tests" / "fixtures" / "shop_catalog.csv"


def demo_argument(*, extra: tuple[str, ...] = ()) -> str:
    """The bench's --dataset: which demo catalog it runs on (the Makefile runs each bench on both); `extra`:
    more catalogs this bench knows ("shop-fixture": tests/fixtures/shop_catalog.csv, 64 products, no photos)."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", choices=DEMOS + extra, default=DEMOS[0])
    dataset = parser.parse_args().dataset
    if dataset == "fashion-products":
        shop = Path(os.environ.get("FASHION_DEMO_DIR", PROJECT.parent / "shared" / "data" / "fashion-products"))
        if not (shop / "products.csv").exists():
            print(f"== fashion-products: skipped, the fashion shop's data is not in {shop}")
            sys.exit(0)
    print(f"== demo: {dataset}")
    return dataset


def demo_load(dataset: str) -> None:
    """Loads the demo catalog into the bench's database (Django set up)."""
    from django.core.management import call_command

    if dataset == "shop-fixture":
        from catalog.services.imports import catalog_import

        report = catalog_import(csv_data=SHOP_FIXTURE.read_bytes())
        assert report.ok, report.problems
        return
    call_command("load_demo_catalog", "--dataset", dataset, verbosity=0)


def image_bench_data(dataset: str, categories: int, prefix: str):
    """The image benches' set-up: a throw-away database with the demo catalog (decoded arrays and the metrics
    classifier keyed by content in var/gan, kept between runs), Django set up in this process; returns the
    training data (the largest `categories` article types of the fashion shop, every category of the grey demo)
    and its frozen metrics reference."""
    import tempfile

    os.environ.update(bench_env(tempfile.mkdtemp(prefix=prefix)))
    os.environ.setdefault("GAN_WORK_DIR", str(PROJECT / "var" / "gan"))
    for command in (["migrate", "-v", "0"], ["load_demo_catalog", "--dataset", dataset]):
        manage(*command, env=os.environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retail_studio.settings")
    import django

    django.setup()
    import torch
    from django.db.models import Count

    from catalog.models import Category
    from generation.gan.metrics.classifier import FeatureClassifier
    from generation.services.datasets import training_data_load
    from generation.services.references import catalog_reference, extractor_key, feature_extractor_store

    chosen = Category.objects.annotate(products_count=Count("products")).order_by("-products_count", "name")
    if dataset == "fashion-products":
        chosen = chosen[:categories]
    started = time.monotonic()
    data = training_data_load(categories=list(chosen))
    print(
        f"data ({dataset}): {len(data.categories)} categories, {len(data.train_images):,} training and "
        f"{len(data.test_images):,} held-out photos, {data.image_width}x{data.resolution}x{data.channels}, "
        f"decoded in {time.monotonic() - started:.0f}s"
    )
    started = time.monotonic()
    # The metrics classifier lives in the throw-away database; its weights are kept beside the decoded arrays,
    # keyed by the training photos, so the next run measures under the same one without training it again.
    kept = Path(os.environ["GAN_WORK_DIR"]) / "extractors" / f"{extractor_key(data)}-{data.key[:16]}.pt"
    shape = {"resolution": data.resolution, "image_width": data.image_width, "channels": data.channels}
    if kept.exists():
        classifier = FeatureClassifier(**shape, num_classes=len(data.categories))
        classifier.load_state_dict(torch.load(kept, weights_only=True))
        feature_extractor_store(
            classifier, key=extractor_key(data), category_names=[c.name for c in data.categories], trained_on=data.key
        )
    catalog = catalog_reference(categories=data.categories, **shape)
    if not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        with catalog.extractor.weights.open("rb") as handle:
            kept.write_bytes(handle.read())
    reference = catalog.reference
    print(f"metrics classifier and reference features ready in {time.monotonic() - started:.0f}s", flush=True)
    return data, reference
