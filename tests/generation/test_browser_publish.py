"""In Chromium, with a real worker: a reviewer approves a product's title and attaches a generated image to it, then
a merchandiser exports the product's category as a Shopify CSV and downloads it, the approved title and the
generated image's row in it."""

import csv
import io
from pathlib import Path

import pytest
from PIL import Image

from catalog.models import Product
from generation.models import GeneratedItem
from tests.browser import log_in
from tests.factories import PASSWORD, make_generated_items, make_product
from tests.generation.conftest import wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TITLE = "Navy shirt for every day"


def test_approved_copy_and_image_leave_in_a_shopify_csv_downloaded_from_the_publish_page(
    browser_page, live_server, celery_worker_process, merchandiser, reviewer
):
    shirt = make_product(
        category="Shirt",
        title="PE shirt",
        sku="PE-1163",
        image=Image.new("RGB", (60, 80), (20, 30, 90)),
        attributes={"colour": "navy"},
    )
    GeneratedItem.objects.create(
        kind=GeneratedItem.Kind.COPY,
        product=shirt,
        category=shirt.category,
        seed=1,
        text=TITLE,
        copy_kind="title",
        language="en",
        generated_by=merchandiser,
    )
    (image,) = make_generated_items(category="Shirt", generated_by=merchandiser)
    page = browser_page

    log_in(page, live_server.url, reviewer.username, PASSWORD, "/review/?kind=copy")
    page.wait_for_selector("#current-copy:not([hidden])")
    page.click("#approve-button")
    wait_until(lambda: Product.objects.get(pk=shirt.pk).title == TITLE, 10, celery_worker_process)
    page.goto(f"{live_server.url}/review/")
    page.click("#attach-button")
    page.fill("#attach-search", "pe-1163")
    page.click("#attach-results button:has-text('PE-1163')")
    wait_until(lambda: shirt.images.filter(generated_item=image).exists(), 10, celery_worker_process)

    page.context.clear_cookies()  # the merchandiser, at the same browser
    log_in(page, live_server.url, merchandiser.username, PASSWORD, f"/publish/?category={shirt.category_id}")
    assert page.locator("#id_format").input_value() == "shopify"
    page.click("#export-submit")
    page.wait_for_url("**/publish/exports/*/")
    page.wait_for_selector("a.download-products", timeout=60_000)
    with page.expect_download() as download:
        page.click("a.download-products")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(row["URL handle"], row["Title"], row["Image position"]) for row in rows] == [
        ("pe-1163", TITLE, "1"),
        ("pe-1163", "", "2"),
    ]
    assert rows[1]["Image alt text"] == TITLE
    assert page.locator("a.download-images").count() == 1
