"""A developer's first minutes with the API, in a real browser: make a token, open the docs (served by us),
and call the API with the token."""

import json
import urllib.request

import pytest

from tests.factories import PASSWORD, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_make_a_token_read_the_docs_and_call_the_api(browser_page, live_server, merchandiser):
    make_product(title="Teal canvas sneaker", category="Sneaker", sku="SN-1")
    page = browser_page
    requests_outside = []
    page.on("request", lambda r: requests_outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", merchandiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    page.click(f"a.who:has-text('{merchandiser.username}')")
    page.click("button:has-text('Make a token')")
    key = page.inner_text("#api-token-key").strip()
    assert len(key) == 40

    page.click("nav >> text=API")
    page.wait_for_selector("text=Retail Studio API")  # Swagger UI rendered the schema
    page.wait_for_selector("text=/api/v1/products/")
    assert requests_outside == []  # Swagger UI and its assets come from our own static files

    call = urllib.request.Request(
        f"{live_server.url}/api/v1/products/?q=teal", headers={"Authorization": f"Token {key}"}
    )
    with urllib.request.urlopen(call) as response:
        assert json.load(response)["results"][0]["sku"] == "SN-1"
