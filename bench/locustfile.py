"""The web load of `make bench-web`: staff browsing the catalog, reviewing, watching a job, and scripts
listing through the API. Sessions, the API token and the ids come from the benchmark (environment)."""

import itertools
import os

from locust import HttpUser, between, constant, task

REVIEWER_COOKIE = os.environ["BENCH_REVIEWER_COOKIE"]
MERCHANDISER_COOKIE = os.environ["BENCH_MERCHANDISER_COOKIE"]
API_TOKEN = os.environ["BENCH_API_TOKEN"]
PRODUCT_IDS = [int(i) for i in os.environ["BENCH_PRODUCT_IDS"].split(",")]
FIRST_ITEM, ITEMS = int(os.environ["BENCH_FIRST_ITEM"]), int(os.environ["BENCH_ITEMS"])
JOB_ID, REASON_ID = int(os.environ["BENCH_JOB_ID"]), int(os.environ["BENCH_REASON_ID"])
USERS = int(os.environ.get("BENCH_USERS", 50))
SEARCHES = ("shirt", "black", "sneaker", "dress 12", "bag")
_user_numbers = itertools.count()


class StudioUser(HttpUser):
    wait_time = constant(0) if os.environ.get("BENCH_NO_WAIT") else between(1, 3)

    def on_start(self):
        self.number = next(_user_numbers)
        # Each user decides its own share of the pending items, so no two decide the same one.
        self.items = iter(range(FIRST_ITEM + self.number, FIRST_ITEM + ITEMS, USERS))
        self.products = itertools.cycle(PRODUCT_IDS[self.number :: USERS] or PRODUCT_IDS)
        self.searches = itertools.cycle(SEARCHES)

    def _page(self, path: str, name: str, cookie: str = MERCHANDISER_COOKIE):
        self.client.get(path, name=name, headers={"Cookie": cookie})

    def _decide(self, action: str, body: str):
        item = next(self.items, None)
        if item is None:
            return
        csrf = REVIEWER_COOKIE.split("csrftoken=")[1]
        self.client.post(
            f"/review/items/{item}/{action}/", data=body, name=f"POST /review/items/[id]/{action}/",
            headers={"Cookie": REVIEWER_COOKIE, "X-CSRFToken": csrf,
                     "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip

    @task(4)
    def catalog_list(self):
        self._page("/", "GET / (catalog)")

    @task(3)
    def catalog_search(self):
        self._page(f"/?q={next(self.searches)}", "GET /?q= (search)")

    @task(4)
    def product_page(self):
        self._page(f"/products/{next(self.products)}/", "GET /products/[id]/")

    @task(3)
    def review_queue(self):
        self._page("/review/", "GET /review/", REVIEWER_COOKIE)

    @task(2)
    def approve(self):
        self._decide("approve", "note=")

    @task(1)
    def reject(self):
        self._decide("reject", f"reason={REASON_ID}&note=")

    @task(2)
    def job_progress(self):
        self._page(f"/jobs/{JOB_ID}/progress/?after=0", "GET /jobs/[id]/progress/")

    @task(2)
    def api_lists(self):
        headers = {"Authorization": f"Token {API_TOKEN}"}
        self.client.get("/api/v1/products/", name="GET /api/v1/products/", headers=headers)
        self.client.get("/api/v1/items/?state=pending", name="GET /api/v1/items/", headers=headers)
        self.client.get("/api/v1/training-jobs/", name="GET /api/v1/training-jobs/", headers=headers)
