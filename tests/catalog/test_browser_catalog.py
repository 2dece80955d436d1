import pytest
from PIL import Image

from tests.factories import PASSWORD, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_log_in_search_and_open_a_product(browser_page, live_server, merchandiser):
    make_product(title="Teal canvas sneaker", category="Sneaker", image=Image.new("L", (28, 28), 90))
    make_product(title="Black wool coat", category="Coat", image=Image.new("L", (28, 28), 30))
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("input[name=username]", merchandiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=2 products")

    page.fill("input[name=q]", "sneaker")
    page.click("form.filters button")
    page.wait_for_selector("text=1 product")
    assert page.locator(".tile").count() == 1
    page.click("text=Teal canvas sneaker")

    page.wait_for_selector("h1:has-text('Teal canvas sneaker')")
    assert page.locator(".badge.photo").count() == 1
    assert page.evaluate("document.querySelector('.tile img').naturalWidth") == 28  # the image really loads
