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


def test_a_shoppers_conversation_is_answered_end_to_end_and_nothing_reaches_the_inbox(shop, browser_page, live_server):
    """hello -> a product question -> what goes with this (cards) -> in black? -> thanks, all in the widget."""
    from catalog.models import Category
    from generation.recommendations.rules import category_pairing_set
    from generation.storefront.models import AssistantMessage, StorefrontKey
    from tests.factories import make_product

    make_product(
        category="Sneaker",
        sku="SN-BLACK",
        title="Black leather sneaker",
        attributes={"colour": "black", "material": "leather", "tone": "dark"},
    )
    category_pairing_set(category=Category.objects.get(name="Sneaker"), goes_with=Category.objects.get(name="Bag"))
    page = browser_page
    page.goto(f"{live_server.url}/storefront/demo/?sku=SN-NAVY")
    StorefrontKey.objects.filter(demo=True).update(mode="auto", threshold=0.5)  # the shop sends confident answers

    def say(question: str, answers: int):
        page.fill("#rs-question", question)
        page.click("#rs-send")
        page.wait_for_function(f"() => document.querySelectorAll('.rs-assistant').length >= {answers}")
        return page.locator(".rs-assistant").last

    assert "Ask me about any of our products" in say("hello", 1).inner_text()
    assert say("What is it made of?", 2).locator(".rs-text").inner_text() == "This sneaker is made of leather."
    look = say("What would go well with this?", 3)
    assert look.locator(".rs-text").inner_text().startswith("These go well with this sneaker:")
    assert "Light plain bag" in look.locator(".rs-cards").inner_text()
    black = say("in black?", 4)
    assert "Black leather sneaker" in black.locator(".rs-cards").inner_text()
    assert "You're welcome" in say("thanks, that's all!", 5).inner_text()
    assert page.locator(".rs-pending").count() == 0
    assert not AssistantMessage.objects.filter(action="handoff").exists()
    assert not GeneratedItem.objects.filter(kind="answer").exists()  # no draft waits for a reviewer
    assert Conversation.objects.get().status == Conversation.Status.OPEN
