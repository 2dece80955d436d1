"""What a public storefront key cannot do, each exploit once tried from outside with nothing but the key: read
a shopper's conversations, reach the demo shop of a deployment or revive its revoked key, outrun the limits
with a forged X-Forwarded-For, put words in the shop's mouth through the endpoint's phrasing, store HTML that a
shop would run, slip through a string of origins; and an answer's time spent outside any transaction."""

import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from generation.storefront import services
from generation.storefront.models import AssistantMessage, Conversation, StoreArticle, StorefrontKey
from generation.storefront.services import (
    DEMO_ARTICLES,
    article_save,
    articles_import,
    storefront_key_create,
    storefront_key_revoke,
)
from generation.storefront.shoppers import shopper_token_sign
from retail_studio.errors import StudioError
from tests.generation.storefront.conftest import ask, shopper

pytestmark = pytest.mark.django_db


def signed_shopper(key, name: str, origin: str = "") -> Client:
    client = shopper(key, origin=origin)
    token = shopper_token_sign(name, publishable_key=key.key, secret_key=key.secret_key, seconds=600)
    client.defaults["HTTP_X_SHOPPER_TOKEN"] = token
    return client


def test_a_shoppers_conversations_answer_only_to_their_token(shop, draft_key):
    alice = signed_shopper(draft_key, "alice")
    token = ask(alice, "How do returns work?").json()["token"]
    assert Conversation.objects.get(token=token).shopper == "alice"
    path = f"/api/storefront/v1/conversations/{token}/"
    assert alice.get(path).status_code == 200
    assert shopper(draft_key).get(path).status_code == 404  # the conversation token alone is not enough
    assert signed_shopper(draft_key, "bob").get(path).status_code == 404
    assert ask(signed_shopper(draft_key, "bob"), "And shipping?", token=token).status_code == 404
    listed = alice.get("/api/storefront/v1/conversations/").json()
    assert [c["token"] for c in listed] == [token]
    assert signed_shopper(draft_key, "bob").get("/api/storefront/v1/conversations/").json() == []
    assert shopper(draft_key).get("/api/storefront/v1/conversations/").status_code == 403


def test_an_anonymous_conversation_is_read_by_its_own_token(shop, draft_key):
    token = ask(shopper(draft_key), "How do returns work?").json()["token"]
    assert shopper(draft_key).get(f"/api/storefront/v1/conversations/{token}/").status_code == 200


def test_the_demo_shop_is_there_in_demo_mode_only_for_the_studios_own_origin(shop, settings, client):
    settings.STUDIO_DEMO = False
    assert client.get("/storefront/demo/").status_code == 404 and not StorefrontKey.objects.exists()
    settings.STUDIO_DEMO = True
    page = client.get("/storefront/demo/?sku=SN-NAVY").content.decode()
    key = StorefrontKey.objects.get(demo=True)
    assert f'data-key="{key.key}"' in page and key.allowed_origins == ["http://testserver"] and not key.any_origin
    assert key.secret_key not in page
    assert ask(shopper(key, origin="http://testserver"), "How do returns work?").status_code == 201
    for elsewhere in ("https://evil.example.net", ""):
        refused = ask(shopper(key, origin=elsewhere), "How do returns work?")
        assert refused.status_code == 401 and "not for the origin" in refused.json()["detail"]
    # A browser's same-origin GET carries no Origin, only Sec-Fetch-Site (which no page's script can set).
    same_site = shopper(key)
    for site, status in (("same-origin", 200), ("cross-site", 401)):
        same_site.defaults["HTTP_SEC_FETCH_SITE"] = site
        assert same_site.get("/api/storefront/v1/products/SN-NAVY/similar/").status_code == status


def test_a_revoked_demo_key_stays_revoked(shop, client):
    client.get("/storefront/demo/")
    storefront_key_revoke(key=StorefrontKey.objects.get(demo=True))
    page = client.get("/storefront/demo/").content.decode()
    assert 'id="demo-key-revoked"' in page and "storefront_widget.js" not in page
    assert StorefrontKey.objects.filter(demo=True).count() == 1  # none made again


def forwarded(key, header: str) -> Client:
    client = shopper(key)
    client.defaults["HTTP_X_FORWARDED_FOR"] = header
    return client


def test_a_forged_x_forwarded_for_does_not_reset_the_address_limit(shop, draft_key, settings):
    settings.STOREFRONT_RATE_PER_ADDRESS = "2/min"
    answers = [ask(forwarded(draft_key, f"203.0.113.{n}"), "How do returns work?").status_code for n in range(3)]
    assert answers == [201, 201, 429]  # no proxy is trusted: the header is the client's own words


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_clients(shop, draft_key, settings):
    settings.STOREFRONT_RATE_PER_ADDRESS, settings.TRUSTED_PROXIES = "2/min", 1

    def from_(client_address: str, forged: str):  # the proxy appends what it saw to what the client wrote
        return ask(forwarded(draft_key, f"{forged}, {client_address}"), "Hi").status_code

    assert [from_("198.51.100.7", f"10.0.0.{n}") for n in range(3)] == [201, 201, 429]
    assert from_("198.51.100.8", "10.0.0.1") == 201  # another shopper behind the same proxy


def test_a_conversation_and_a_key_have_limits_of_their_own(shop, draft_key, settings):
    settings.STOREFRONT_RATE_PER_CONVERSATION = "2/min"
    token = ask(shopper(draft_key), "Hi").json()["token"]
    again = [ask(shopper(draft_key), "And returns?", token=token).status_code for _ in range(3)]
    assert again == [201, 201, 429]
    settings.STOREFRONT_RATE_PER_KEY_DAY = "1/day"
    key = storefront_key_create(name="Small shop", any_origin=True)
    assert [ask(shopper(key), "Hi").status_code for _ in range(2)] == [201, 429]


@pytest.fixture
def phrasing_endpoint(settings, chat_server):
    settings.COPY_ENDPOINT_URL, settings.ASSISTANT_USE_ENDPOINT = chat_server.url, True
    return chat_server


@pytest.mark.parametrize(
    "phrasing",
    [
        "Returns are free forever.",
        "You can return it within 30 days, see https://evil.example.com/returns.",
        "Write to refunds@evil.example.com to return it within 30 days.",
        "Call +44 20 7946 0958 to return it within 30 days.",
        "You can return it within 90 days.",
    ],
)
def test_a_phrasing_that_adds_anything_is_refused_for_the_draft(shop, auto_key, phrasing_endpoint, settings, phrasing):
    settings.ASSISTANT_USE_ENDPOINT = False
    draft = ask(shopper(auto_key), "How do I return something?").json()["messages"][1]["text"]
    settings.ASSISTANT_USE_ENDPOINT = True
    phrasing_endpoint.texts = (phrasing,)
    sent = ask(shopper(auto_key), "How do I return something?").json()["messages"][1]
    assert phrasing_endpoint.requests and sent["text"] == draft != phrasing


def test_a_phrasing_that_only_says_the_draft_kindly_is_sent(shop, auto_key, phrasing_endpoint, settings):
    settings.ASSISTANT_USE_ENDPOINT = False
    draft = ask(shopper(auto_key), "How do I return something?").json()["messages"][1]["text"]
    settings.ASSISTANT_USE_ENDPOINT = True
    phrasing_endpoint.texts = (f"Happy to help! {draft}",)
    assert (
        ask(shopper(auto_key), "How do I return something?").json()["messages"][1]["text"] == f"Happy to help! {draft}"
    )


HOSTILE = "# Care\n\nWash cold. <img src=x onerror=alert(1)>\n\n<script>alert('x')</script>Dry flat, **never** tumble."


def test_html_in_an_article_is_taken_out_on_import_and_on_save(shop, tmp_path, auto_key, merch_client):
    (tmp_path / "care-en.md").write_text(HOSTILE)
    articles_import(folder=tmp_path)
    body = StoreArticle.objects.get(slug="care-en").body
    assert body == "# Care\n\nWash cold. \n\nDry flat, **never** tumble."
    answer = ask(shopper(auto_key), "How should I wash and dry it? care").json()["messages"][1]
    quoted = " ".join(c.get("quote", "") for c in answer["citations"]) + answer["text"]
    assert "onerror" not in quoted and "<script" not in quoted
    made = merch_client.post(
        "/api/v1/articles/", {"slug": "x", "title": "<b>Care</b>", "body": HOSTILE}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["title"] == "Care" and "onerror" not in made.json()["body"]
    escaped = article_save(slug="y", title="T", body="&lt;script&gt;alert(1)&lt;/script&gt;Fine")
    assert escaped.body == "Fine"  # an escaped tag is not brought back once unescaped


def test_allowed_origins_are_a_list_of_origins_matched_exactly(db):
    for origins in ("https://shop.example.com", ["shop.example.com"], ["https://shop.example.com/path"]):
        with pytest.raises(StudioError, match="origin"):
            storefront_key_create(name="Shop", allowed_origins=origins)
    with pytest.raises(StudioError, match="any origin"):
        storefront_key_create(name="Shop", allowed_origins=[])
    key = StorefrontKey(name="Shop", allowed_origins="https://shop.example.com")  # as an admin form might save it
    with pytest.raises(ValidationError):
        key.full_clean()
    key.save()  # a string that got in before this check: never a substring match
    assert ask(shopper(key, origin="https://shop.example.co"), "Hi").status_code == 401
    assert ask(shopper(key, origin="https://shop.example.com"), "Hi").status_code == 401  # and never a match at all
    fine = storefront_key_create(name="Shop", allowed_origins=["https://shop.example.com"])
    assert ask(shopper(fine, origin="https://shop.example.co"), "Hi").status_code == 401
    assert ask(shopper(fine, origin="https://SHOP.example.com:443"), "Hi").status_code == 201


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_answer_is_composed_outside_any_transaction(shop, draft_key, monkeypatch):
    articles_import(folder=DEMO_ARTICLES)
    inside = []
    compose = services.answer_for

    def watched(*args, **kwargs):
        inside.append(connection.in_atomic_block)
        return compose(*args, **kwargs)

    monkeypatch.setattr(services, "answer_for", watched)
    assert ask(shopper(draft_key), "How do returns work?").status_code == 201
    assert inside == [False] and AssistantMessage.objects.count() == 2


ANOTHER_PROCESS = """
import django
django.setup()
from generation.storefront.auth import StorefrontThrottle
from generation.storefront.models import StorefrontKey

class Request:  # what the throttle reads of a request: its key and its address
    auth, META = StorefrontKey(pk={pk}), {{"REMOTE_ADDR": "127.0.0.1"}}

class View:
    throttle_scope, kwargs = "ask", {{}}

print(StorefrontThrottle().allow_request(Request(), View()))
"""


@pytest.mark.integration
def test_the_limits_are_counted_in_redis_by_every_process_together(shop, draft_key, settings, redis_server):
    url = f"redis://127.0.0.1:{redis_server.port}/5"
    in_redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    settings.CACHES = settings.CACHES | {"throttles": in_redis}
    settings.STOREFRONT_RATE_PER_ADDRESS = "3/min"
    caches["throttles"].clear()
    assert [ask(shopper(draft_key), "Hi").status_code for _ in range(2)] == [201, 201]
    env = os.environ | {"THROTTLE_REDIS_URL": url, "STOREFRONT_RATE_PER_ADDRESS": "3/min"}
    command = [sys.executable, "-c", ANOTHER_PROCESS.format(pk=draft_key.pk)]
    other = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert other.stdout.strip() == "True"  # the third request of the minute, counted in another process
    assert ask(shopper(draft_key), "Hi").status_code == 429  # the fourth, back here
    caches["throttles"].clear()
