"""A storefront's shoppers are named only by tokens the shop's server signed (or the studio issued): the public
key reads no one's row, a browser sends its own shopper's views and nothing more, the shop's server sends carts
and purchases, and one storefront's shoppers are never another's."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from generation.recommendations.models import ShopperEvent
from generation.recommendations.training import events_load
from generation.storefront.services import storefront_key_create
from generation.storefront.shoppers import shopper_token_sign
from tests.generation.recommendations.test_serving import staff

pytestmark = pytest.mark.django_db
FOR_YOU, EVENTS = "/api/storefront/v1/recommendations/for-you/", "/api/storefront/v1/events/"
SERVER_EVENTS, ERASE = "/api/storefront/v1/server/events/", "/api/storefront/v1/server/shoppers/erase/"


@pytest.fixture
def keys(db):
    return storefront_key_create(name="Shop A", any_origin=True), storefront_key_create(name="Shop B", any_origin=True)


def signed(key, shopper: str, seconds: int = 3600) -> str:
    """What the shop's server does, as the README shows it."""
    return shopper_token_sign(shopper, publishable_key=key.key, secret_key=key.secret_key, seconds=seconds)


def browser(key, token: str = "") -> Client:
    headers = {"HTTP_X_STOREFRONT_KEY": key.key}
    if token:
        headers["HTTP_X_SHOPPER_TOKEN"] = token
    return Client(**headers)


def server(key) -> Client:
    return Client(HTTP_X_STOREFRONT_SECRET=key.secret_key)


def post(client: Client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def did(key, shopper: str, product, kind=ShopperEvent.Kind.VIEW) -> None:
    ShopperEvent.objects.create(storefront=key, shopper=shopper, product=product, kind=kind, at=timezone.now())


def test_a_for_you_row_answers_only_the_shoppers_own_token(shop, keys):
    a, b = keys
    did(a, "alice@example.com", shop["SH-1"])
    did(a, "alice@example.com", shop["TR-1"], ShopperEvent.Kind.PURCHASE)
    # The exploit: another storefront's public key and a raw shopper id; and this storefront's key without a token.
    for client in (browser(b), browser(a)):
        refused = client.get(f"{FOR_YOU}?user=alice@example.com")
        assert refused.status_code == 403 and "shopper token" in refused.json()["detail"]
    # A's token does not open B, and B's own "alice" is someone else: nothing of A's alice in their row.
    assert browser(b, signed(a, "alice@example.com")).get(FOR_YOU).status_code == 401
    assert browser(b, signed(b, "alice@example.com")).get(FOR_YOU).json()["products"] == []  # no events, no model

    own = browser(a, signed(a, "alice@example.com")).get(f"{FOR_YOU}?k=4").json()["products"]
    reasons = {card["sku"]: card["reason"] for card in own}
    assert reasons["SH-2"] == "because you viewed Dark shirt"
    assert reasons["TR-2"] == "picked for you" and not any("bought" in r for r in reasons.values())
    staff_row = staff().get(f"/api/v1/recommendations/for-you/?user=alice@example.com&storefront={a.pk}").json()
    assert "because you bought Light trouser" in [card["reason"] for card in staff_row["products"]]  # staff see why
    # The studio's own "alice" (events staff sent) is not the storefront's either.
    assert staff().get("/api/v1/recommendations/for-you/?user=alice@example.com").json()["products"] == []


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (lambda key: signed(key, "alice", seconds=-10), "expired"),
        (lambda key: signed(key, "alice")[:-4] + "0000", "signature does not match"),
        (lambda key: signed(key, "alice", seconds=40 * 24 * 3600), "lives at most"),
        (lambda key: "alice", "not one the shop signed"),
    ],
)
def test_an_expired_forged_or_overlong_token_is_refused(shop, keys, token, problem):
    refused = browser(keys[0], token(keys[0])).get(FOR_YOU)
    assert refused.status_code == 401 and problem in refused.json()["detail"]


def test_a_browser_sends_its_shoppers_views_and_an_anonymous_shopper_gets_a_token(shop, keys):
    a, _ = keys
    first = post(browser(a), EVENTS, {"events": [{"sku": "SH-1", "event": "view"}]})
    assert first.status_code == 201 and first.json()["stored"] == 1
    token = first.json()["shopper_token"]
    (stored,) = ShopperEvent.objects.all()
    assert stored.storefront == a and stored.shopper.startswith("anon-")
    again = post(browser(a, token), EVENTS, {"events": [{"sku": "SH-2", "event": "view", "user": "bob"}]})
    assert again.status_code == 201 and "shopper_token" not in again.json()
    assert set(ShopperEvent.objects.values_list("shopper", flat=True)) == {stored.shopper}  # never "bob"
    assert browser(a, token).get(FOR_YOU).json()["products"][0]["reason"].startswith("because you viewed")


def test_a_purchase_or_cart_from_the_browser_is_refused_and_the_shops_server_sends_it(shop, keys):
    a, _ = keys
    for kind in ("purchase", "cart"):
        forged = post(browser(a, signed(a, "alice")), EVENTS, {"events": [{"sku": "SH-1", "event": kind}]})
        assert forged.status_code == 400 and "from the shop's server" in forged.json()["detail"]
    assert not ShopperEvent.objects.exists()
    bought = {"user": "alice", "sku": "SH-1", "event": "purchase", "timestamp": timezone.now().isoformat()}
    assert post(server(a), SERVER_EVENTS, {"events": [bought]}).status_code == 201
    assert list(ShopperEvent.objects.values_list("shopper", "storefront", "kind")) == [("alice", a.pk, 3)]
    assert post(browser(a), SERVER_EVENTS, {"events": [bought]}).status_code == 401  # the public key is no server
    assert post(Client(HTTP_X_STOREFRONT_KEY=a.secret_key), EVENTS, {"events": [bought]}).status_code == 401


def test_a_draft_sku_is_refused_exactly_as_an_unknown_one(shop, keys):
    a, _ = keys
    answers = {}
    for sku in ("SH-9", "NO-SUCH"):  # SH-9 is a draft: unreleased
        answer = post(browser(a, signed(a, "alice")), EVENTS, {"events": [{"sku": sku, "event": "view"}]})
        assert answer.status_code == 400
        answers[sku] = answer.json()["detail"].replace(sku, "SKU")
        row = {"user": "alice", "sku": sku, "event": "view", "timestamp": timezone.now().isoformat()}
        assert post(server(a), SERVER_EVENTS, {"events": [row]}).json()["detail"].replace(sku, "SKU") == answers[sku]
    assert answers["SH-9"] == answers["NO-SUCH"] and not ShopperEvent.objects.exists()


def test_a_storefronts_events_must_fall_in_the_window_staff_may_bring_history(shop, keys, settings):
    a, _ = keys
    settings.EVENTS_RETENTION_DAYS = 400
    old = {"user": "alice", "sku": "SH-1", "event": "view", "timestamp": "1970-01-01T00:00:00Z"}
    ahead = old | {"timestamp": (timezone.now() + timedelta(minutes=10)).isoformat()}
    assert "older than the 400 days" in post(server(a), SERVER_EVENTS, {"events": [old]}).json()["detail"]
    view = {"sku": "SH-1", "event": "view", "timestamp": "1970-01-01T00:00:00Z"}
    assert (
        "older than the 400 days" in post(browser(a, signed(a, "alice")), EVENTS, {"events": [view]}).json()["detail"]
    )
    assert "in the future" in post(server(a), SERVER_EVENTS, {"events": [ahead]}).json()["detail"]
    assert not ShopperEvent.objects.exists()
    assert post(staff(), "/api/v1/events/", {"events": [old]}).status_code == 201  # a shop's history, by staff


def test_erasure_is_per_storefront_and_shopper(shop, keys):
    a, b = keys
    did(a, "alice", shop["SH-1"])
    did(b, "alice", shop["SH-1"])
    did(None, "alice", shop["SH-1"])
    assert post(server(a), ERASE, {"user": "alice"}).json() == {"erased": 1}
    assert sorted(ShopperEvent.objects.values_list("storefront", flat=True), key=str) == sorted([b.pk, None], key=str)


def test_training_never_mixes_two_storefronts_shoppers(shop, keys):
    a, b = keys
    for key in (a, b, None):
        did(key, "alice", shop["SH-1"])
    assert len(events_load().user_ids) == 3
