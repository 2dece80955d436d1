"""Copy end to end: a real worker writes through a local chat endpoint, the variants reach the review queue,
and in Chromium a merchandiser asks for three variants and a reviewer edits one and approves it."""

import pytest
from django.db import transaction

from catalog.models import Product
from generation.models import CopyJob, GeneratedItem
from generation.selectors import ReviewFilters, review_items
from generation.services.jobs import copy_job_create
from tests.factories import PASSWORD, make_product
from tests.generation.conftest import CHAT_TEXTS, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def endpoint_worker(stopped_worker, chat_server, settings, monkeypatch):
    """A real Celery worker whose copy endpoint is the local fake server."""
    monkeypatch.setenv("COPY_ENDPOINT_URL", chat_server.url)
    settings.COPY_ENDPOINT_URL = chat_server.url
    stopped_worker.start()
    return stopped_worker


def test_a_worker_writes_copy_that_reaches_the_review_queue(endpoint_worker, merchandiser):
    product = make_product(category="Sneaker", title="Sneaker", attributes={"colour": "black"})
    with transaction.atomic():
        job = copy_job_create(products=[product], kind="title", variants=3, user=merchandiser)
    wait_until(lambda: CopyJob.objects.get(pk=job.pk).status == "succeeded", 60, endpoint_worker)
    queued = review_items(ReviewFilters(kind="copy", copy_job=job.pk))
    assert sorted(queued.values_list("text", flat=True)) == sorted(CHAT_TEXTS)
    assert all(item.flags == [] and item.product == product for item in queued)


@pytest.mark.browser
def test_three_variants_from_a_product_page_one_edited_and_approved(
    endpoint_worker, browser_page, live_server, merchandiser, reviewer
):
    product = make_product(category="Sneaker", title="Plain sneaker", attributes={"colour": "black"})
    page = browser_page
    page.goto(f"{live_server.url}/login/?next=/products/{product.pk}/")
    page.fill("input[name=username]", merchandiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("#copy-request summary")
    assert page.is_checked("input[name=kind][value=title]")  # every choice in sight, title first
    page.fill("input[name=variants]", "3")
    page.select_option("select[name=writer]", "endpoint")
    page.click(".copy-form button[type=submit]")
    page.wait_for_selector("#variants tbody tr:nth-child(3)", timeout=60_000)
    assert page.locator("#copy-status").inner_text() in ("running", "succeeded")

    page.click("form.logout button")
    page.goto(f"{live_server.url}/login/?next=/review/%3Fkind%3Dcopy")
    page.fill("input[name=username]", reviewer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#current-copy:not([hidden])")
    first = GeneratedItem.objects.filter(kind="copy").order_by("id").first()
    assert page.locator("#copy-text").inner_text() == first.text
    page.fill("#copy-edit", "Black sneaker, edited for the city")
    page.click("#approve-button")
    wait_until(
        lambda: Product.objects.get(pk=product.pk).title == "Black sneaker, edited for the city", 10, endpoint_worker
    )

    page.goto(f"{live_server.url}/products/{product.pk}/")
    assert page.locator("h1").inner_text() == "Black sneaker, edited for the city"
    history = page.locator("#copy-history").inner_text()
    assert "Plain sneaker" in history and "approved copy" in history
