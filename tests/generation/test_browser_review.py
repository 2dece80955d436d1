"""The review journey in Chromium, driven by the keyboard as a reviewer works."""

import pytest

from generation.models import GeneratedItem, RejectionReason, ReviewDecision
from tests.factories import PASSWORD, make_generated_items, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/login/?next=/review/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#current-image")


def state(item: GeneratedItem) -> str:
    item.refresh_from_db()
    return item.review_state


def wait_for_state(page, item: GeneratedItem, wanted: str) -> None:
    for _ in range(50):
        if state(item) == wanted:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"#{item.pk} is {item.review_state}, not {wanted}")


def wait_for_caption(page, item: GeneratedItem) -> None:
    """The caption is the script's to fill, once the queue has loaded or the item changed: wait, not read."""
    page.wait_for_function(f"() => document.getElementById('current-caption').textContent.startsWith('#{item.pk} ')")


def test_a_reviewer_decides_with_the_keyboard(browser_page, live_server, reviewer, merchandiser):
    first, second, third, fourth = make_generated_items(4, generated_by=merchandiser)
    page = browser_page
    log_in(page, live_server.url, reviewer)
    assert page.locator("#nav-review .count").inner_text() == "4"
    wait_for_caption(page, first)
    assert page.locator("#strip img").count() == 3  # the next ones are on the page already

    page.keyboard.press("a")
    wait_for_state(page, first, "approved")
    wait_for_caption(page, second)
    page.keyboard.press("j")
    wait_for_caption(page, third)
    page.keyboard.press("r")
    assert page.locator("#reasons").is_visible()
    page.keyboard.press("2")
    wait_for_state(page, third, "rejected")
    second_reason = RejectionReason.objects.filter(active=True).order_by("position", "id")[1]
    assert ReviewDecision.objects.get(item=third).reason == second_reason
    page.keyboard.press("u")
    wait_for_state(page, third, "pending")
    wait_for_caption(page, third)  # the page goes back to the item once the server's answer arrives
    assert state(second) == "pending" and state(fourth) == "pending"

    page.keyboard.press("?")
    assert page.locator("#help-dialog").is_visible()


def test_an_image_approved_and_attached_shows_on_the_product_with_its_provenance(
    browser_page, live_server, reviewer, merchandiser
):
    (item,) = make_generated_items(1, category="Dress", generated_by=merchandiser)
    product = make_product(category="Dress", title="Linen dress", sku="DRESS-7")
    page = browser_page
    log_in(page, live_server.url, reviewer)
    page.click("#attach-button")
    page.fill("#attach-search", "dress-7")
    page.click("#attach-results button:has-text('DRESS-7')")
    wait_for_state(page, item, "approved")

    page.goto(f"{live_server.url}/products/{product.pk}/")
    tile = page.locator("#gallery li.generated")
    assert tile.locator(".badge.generated").inner_text() == "AI-generated"
    tile.locator("summary").click()
    provenance = tile.locator("dl").inner_text()
    assert f"{item.seed}" in provenance and reviewer.username in provenance
