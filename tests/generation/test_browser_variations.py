"""In Chromium, with a real worker: a merchandiser asks for variations of a product's photo on its page, and a
reviewer sees them in the queue, each saying which product it is a variation of."""

import pytest
from django.core.management import call_command

from catalog.models import Product
from generation.models import GeneratedItem
from tests.browser import log_in
from tests.factories import PASSWORD
from tests.generation.conftest import wait_until
from tests.generation.test_gan_commands import small_catalog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_variations_asked_on_a_product_page_reach_the_reviewers_queue(
    browser_page, live_server, celery_worker_process, merchandiser, reviewer
):
    small_catalog(28, "L")
    call_command("train_vae", "--name", "vae", "--steps", "3", "--device", "cpu")
    coat = Product.objects.filter(category__name="Coat").order_by("id").first()
    page = browser_page
    log_in(page, live_server.url, merchandiser.username, PASSWORD, f"/products/{coat.pk}/")
    page.click("#variations summary")
    page.fill("#variations input[name=count]", "3")
    page.click("#variations button[type=submit]")
    page.wait_for_url("**/sampling/*/")
    wait_until(lambda: GeneratedItem.objects.filter(source_skus=[coat.sku]).count() == 3, 90, celery_worker_process)

    page.context.clear_cookies()  # the next person at the same browser
    log_in(page, live_server.url, reviewer.username, PASSWORD, "/review/")
    page.wait_for_selector(f"#current-details:has-text('variation of {coat.sku}')", timeout=10_000)
