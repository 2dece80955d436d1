import time

import pytest

from generation.models import GeneratedItem
from tests.factories import PASSWORD
from tests.generation.test_gan_commands import small_catalog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_start_a_job_and_watch_it_progress_to_a_sample_grid(
    browser_page, live_server, celery_worker_process, merchandiser
):
    small_catalog(per_category=8)
    page = browser_page
    page.goto(f"{live_server.url}/login/?next=/jobs/new/")
    page.fill("input[name=username]", merchandiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    page.fill("input[name=name]", "browser-demo")
    assert page.locator("input[name=categories]:checked").count() >= 1  # the largest few start ticked
    for box in page.locator("input[name=categories]").all():
        box.uncheck()
    for name in ("Bag", "Coat", "Dress"):
        page.get_by_label(name, exact=True).check()
    page.fill("input[name=minutes]", "")
    page.fill("input[name=steps]", "400")
    page.select_option("select[name=device]", "cpu")
    page.click("main form button[type=submit]")

    page.wait_for_selector("#job-bar")
    widths = []
    for _ in range(120):
        widths.append(page.evaluate("parseFloat(document.getElementById('job-bar').style.width) || 0"))
        if widths[-1] >= 100 or not page.is_hidden("#result"):
            break
        page.wait_for_timeout(500)
    assert any(0 < w < 100 for w in widths), widths  # seen part-way, without reloading the page
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    page.wait_for_function("() => document.getElementById('result-grid').naturalWidth > 0")
    assert page.locator("#job-status").inner_text() == "succeeded"
    assert page.locator("#loss-chart polyline").count() == 2
    # Measured while training (every 2 s in the test worker): quality curves, a preview grid, the log tail.
    assert page.locator("#metric-chart polyline").count() == 2
    assert page.locator("#metric-chart circle").count() >= 2  # a dot per measurement and series
    assert page.locator("#preview").is_visible()
    # The latest samples are tiles, a row of 8 per category; one goes to the review queue from here.
    assert page.locator("#preview-tiles .sample-tile").count() == 3 * 8
    step = int(page.locator("#preview-step").inner_text().split()[-1])
    page.locator("#preview-tiles .sample-tile").nth(8 + 2).get_by_role("button", name="send to review").click()
    page.wait_for_selector(f"text=in review (job #{job_id(page)} at step {step:,})")
    item = GeneratedItem.objects.get()
    assert (item.training_job_id, item.training_step, item.category.name, item.seed) == (job_id(page), step, "Coat", 10)
    assert item.review_state == "pending" and item.generated_by == merchandiser
    # A worker judges it (nearest photos, the classifier's opinion) while it waits in the queue.
    deadline = time.monotonic() + 60
    while not item.predicted_category and time.monotonic() < deadline:
        time.sleep(0.3)
        item.refresh_from_db()
    assert item.predicted_category in ("Bag", "Coat", "Dress") and len(item.nearest_products) == 3
    assert "registered browser-demo v1" in page.locator("#job-log").inner_text()


def job_id(page) -> int:
    return int(page.url.rstrip("/").split("/")[-1])
