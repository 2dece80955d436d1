"""In Chromium: a shopper asks in the demo storefront's widget, a reviewer approves the draft from the inbox
in the review queue, and the shopper sees the answer with its sources; the widget's view made the shopper an
anonymous token, the conversation answers only to it, and the page ran under the studio's CSP."""

import pytest

from generation.models import GeneratedItem, ShopperEvent
from generation.storefront.models import Conversation
from tests.browser import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_shopper_asks_a_reviewer_approves_and_the_shopper_sees_the_answer_with_sources(
    shop, browser_page, live_server, reviewer
):
    page = browser_page
    page.goto(f"{live_server.url}/storefront/demo/?sku=SN-NAVY")
    assert page.locator("#product-title").inner_text() == "Navy leather sneaker"
    assert page.locator("#assistant .rs-panel").is_visible()  # beside the product, not over its text
    page.fill("#rs-question", "What is it made of?")
    page.click("#rs-send")
    page.wait_for_selector(".rs-pending")
    assert "colleague is checking" in page.locator(".rs-assistant .rs-text").inner_text()

    staff = page.context.browser.new_page()
    log_in(staff, live_server.url, reviewer.username, PASSWORD, "/assistant/inbox/")
    staff.click("#conversations tbody tr a")
    assert "What is it made of?" in staff.locator("#conversation").inner_text()
    staff.click("text=in review")
    staff.wait_for_selector("#current-copy:not([hidden])")
    assert "leather" in staff.locator("#copy-text").inner_text()
    assert "SN-NAVY material: leather" in staff.locator("#current-details").inner_text()
    staff.click("#approve-button")
    staff.wait_for_selector("text=The queue is empty")

    page.wait_for_selector(".rs-assistant:not(.rs-pending)", timeout=10_000)  # the widget polls every 3 s
    answer = page.locator(".rs-assistant").last
    assert answer.locator(".rs-text").inner_text() == GeneratedItem.objects.get(kind="answer").text
    answer.locator(".rs-sources summary").click()
    assert "material: leather (SN-NAVY)" in answer.locator(".rs-sources").inner_text()
    (view,) = ShopperEvent.objects.all()
    assert view.product.sku == "SN-NAVY" and view.storefront.demo and view.shopper.startswith("anon-")
    assert Conversation.objects.get().shopper == view.shopper
    assert page.evaluate(
        "localStorage.getItem('retail-studio-shopper:' + document.querySelector('script[data-key]').dataset.key)"
    )
