"""The storefront key opens the storefront endpoints and nothing else; a revoked key, a wrong origin, the rate
limit and an oversized message each answer clearly and change nothing."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import get_resolver

from generation.storefront.models import AssistantMessage, Conversation
from generation.storefront.services import storefront_key_create, storefront_key_revoke
from tests.generation.storefront.conftest import ask, shopper
from tests.test_authorisation_matrix import TABLE, storefront_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("credential", ["publishable key", "secret key", "shopper token"])
@pytest.mark.parametrize(
    "name", sorted(n for n in TABLE if not n.startswith("storefront_api:") and n != "storefront:demo")
)
def test_no_storefront_credential_opens_a_staff_page_or_endpoint(name, credential, draft_key):
    method, path, expected, *_ = TABLE[name]
    if "{" in path:
        path = path.split("{")[0]  # the list or prefix is enough: it must refuse before it looks anything up
    response = storefront_client(draft_key, credential).generic(method, path, content_type="application/json")
    anonymous = expected[0]
    if anonymous == "login":
        assert response.status_code in (302, 404) and response.get("Location", "/login/").startswith("/login/"), path
    else:
        assert response.status_code in (anonymous, 401, 404, 405), (path, response.status_code)


def test_every_storefront_endpoint_needs_the_key(db):
    """The shop's pages' endpoints need the publishable key; the shop's server's (server/) its secret key."""
    (storefront,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/storefront/v1/"]
    for pattern in storefront.url_patterns:
        path = "/api/storefront/v1/" + str(pattern.pattern).replace("<str:token>", "x")
        answered = Client().post(path, {"question": "Hi"}, content_type="application/json")
        header = "X-Storefront-Secret" if path.startswith("/api/storefront/v1/server/") else "X-Storefront-Key"
        assert answered.status_code == 401 and answered["WWW-Authenticate"] == header, path


def test_a_revoked_key_and_an_unknown_one_are_refused_clearly(shop, draft_key):
    storefront_key_revoke(key=draft_key)
    refused = ask(shopper(draft_key), "What colour is it?", sku="SN-NAVY")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    draft_key.key = "pk_unknown"
    assert ask(shopper(draft_key), "Hi").json()["detail"] == "Unknown storefront key."
    assert not Conversation.objects.exists()


def test_a_key_answers_only_its_own_origins(shop):
    key = storefront_key_create(name="Shop", allowed_origins=["HTTPS://Shop.Example.com:443/"])
    assert key.allowed_origins == ["https://shop.example.com"]
    assert ask(shopper(key, origin="https://shop.example.com"), "How do returns work?").status_code == 201
    wrong = ask(shopper(key, origin="https://evil.example.net"), "How do returns work?")
    assert wrong.status_code == 401 and "not for the origin https://evil.example.net" in wrong.json()["detail"]
    assert ask(shopper(key), "How do returns work?").status_code == 401  # no origin at all: not a browser of the shop
    preflight = shopper(key, origin="https://shop.example.com").options("/api/storefront/v1/ask/")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "X-Storefront-Key" in preflight["Access-Control-Allow-Headers"]


def test_the_rate_limit_answers_429_with_a_clear_message(shop, draft_key, settings):
    settings.STOREFRONT_RATE_PER_ADDRESS = "3/min"
    client = shopper(draft_key)
    answers = [ask(client, "How do returns work?").status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]
    limited = ask(client, "How do returns work?")
    assert "Too many questions" in limited.json()["detail"] and 0 < int(limited["Retry-After"]) <= 60
    assert AssistantMessage.objects.filter(role="shopper").count() == 3
    settings.STOREFRONT_RATE_PER_ADDRESS, settings.STOREFRONT_RATE_PER_KEY = "100/min", "1/min"
    caches["throttles"].clear()
    other = storefront_key_create(name="Other shop", any_origin=True)
    assert [ask(shopper(other), "Hi").status_code for _ in range(2)] == [201, 429]  # per key


def test_oversized_and_empty_messages_are_refused_and_change_nothing(shop, draft_key, settings):
    settings.STOREFRONT_MAX_MESSAGE_CHARS = 1000
    too_long = ask(shopper(draft_key), "x" * 1001)
    assert too_long.status_code == 400 and "1000 characters" in str(too_long.json())
    assert ask(shopper(draft_key), "   ").status_code == 400
    unknown = ask(shopper(draft_key), "What colour?", sku="NOT-A-SKU")
    assert unknown.status_code == 400 and "No such product" in unknown.json()["detail"]
    assert not Conversation.objects.exists() and not AssistantMessage.objects.exists()


def test_a_conversation_is_read_with_its_own_storefronts_key_only(shop, draft_key):
    token = ask(shopper(draft_key), "How do returns work?").json()["token"]
    other = storefront_key_create(name="Other shop", any_origin=True)
    assert shopper(other).get(f"/api/storefront/v1/conversations/{token}/").status_code == 404
    assert shopper(draft_key).get(f"/api/storefront/v1/conversations/{token}/").status_code == 200
