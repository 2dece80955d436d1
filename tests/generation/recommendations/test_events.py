"""Shoppers' events in, through the shop's server (its secret key), the staff API and a CSV file: all or
nothing, with every problem named by its row; a shopper's events erased on request. What a browser may send is
in test_storefront_shoppers.py."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from catalog.services.api_tokens import api_token_renew
from generation.recommendations.models import ShopperEvent
from generation.storefront.services import storefront_key_create
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def products(db):
    return [make_product(category="Sneaker", sku=f"SN-{i}") for i in range(3)]


def event(user="u1", sku="SN-0", kind="view", at=None) -> dict:
    return {"user": user, "sku": sku, "event": kind, "timestamp": (at or NOW).isoformat()}


SERVER_EVENTS = "/api/storefront/v1/server/events/"


def storefront(key=None) -> Client:
    """The shop's server, with the storefront's secret key."""
    return Client(HTTP_X_STOREFRONT_SECRET=(key or storefront_key_create(name="shop", any_origin=True)).secret_key)


def test_a_shops_server_sends_a_batch_and_it_is_stored_as_its_storefronts(products):
    batch = [event(), event(kind="cart"), event(user="u2", sku="SN-1", kind="purchase")]
    key = storefront_key_create(name="shop", any_origin=True)
    answer = storefront(key).post(SERVER_EVENTS, {"events": batch}, content_type="application/json")
    assert answer.status_code == 201 and answer.json() == {"stored": 3}
    stored = sorted(ShopperEvent.objects.values_list("shopper", "storefront", "product__sku", "kind", "at"))
    assert stored == [("u1", key.pk, "SN-0", 1, NOW), ("u1", key.pk, "SN-0", 2, NOW), ("u2", key.pk, "SN-1", 3, NOW)]
    assert "Access-Control-Allow-Origin" not in answer  # no browser is answered with the secret key


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (event(sku="NOPE"), "unknown SKU 'NOPE'"),
        (event(kind="like"), "unknown event 'like'"),
        (event() | {"timestamp": "yesterday"}, "'yesterday' is not an ISO 8601 time"),
        (event(at=NOW + timedelta(hours=1)), "is in the future"),
        (event(user=""), "the shopper id is missing"),
    ],
)
def test_one_bad_event_refuses_the_whole_batch_and_names_its_row(products, bad, problem):
    answer = storefront().post(SERVER_EVENTS, {"events": [event(), bad]}, content_type="application/json")
    assert answer.status_code == 400 and problem in answer.json()["detail"]
    assert any(p.startswith("row 2") and problem in p for p in answer.json()["problems"])
    assert not ShopperEvent.objects.exists()


def test_a_clock_a_little_ahead_is_tolerated(products):
    ahead = event(at=NOW + timedelta(seconds=60))
    assert storefront().post(SERVER_EVENTS, {"events": [ahead]}, content_type="application/json").status_code == 201


def test_an_oversized_batch_is_refused_whole(products, settings):
    settings.STOREFRONT_SERVER_MAX_EVENTS = 5
    answer = storefront().post(SERVER_EVENTS, {"events": [event()] * 6}, content_type="application/json")
    assert answer.status_code == 400 and "at most 5 events" in answer.json()["detail"]
    assert not ShopperEvent.objects.exists()


def test_staff_send_events_and_an_admin_erases_a_shopper(products):
    merchandiser = Client(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=make_user('m', 'merchandiser')).key}")
    batch = {"events": [event(), event(user="u2"), event(user="u2", kind="purchase")]}
    assert merchandiser.post("/api/v1/events/", batch, content_type="application/json").json() == {"stored": 3}
    erase = {"user": "u2"}
    assert merchandiser.post("/api/v1/events/erase/", erase, content_type="application/json").status_code == 403
    admin = Client(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=make_user('a', 'admin')).key}")
    assert admin.post("/api/v1/events/erase/", erase, content_type="application/json").json() == {"erased": 2}
    assert list(ShopperEvent.objects.values_list("shopper", flat=True)) == ["u1"]


def test_a_csv_of_events_is_imported_all_or_nothing_with_a_row_report(products, tmp_path, capsys):
    good = tmp_path / "events.csv"
    good.write_text(
        f"user,sku,event,timestamp\nu1,SN-0,view,{NOW.isoformat()}\nu1,SN-2,purchase,2026-11-30T10:00:00Z\n"
    )
    call_command("import_events", str(good))
    assert "Imported 2 events" in capsys.readouterr().out and ShopperEvent.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("user,sku,event,timestamp\nu3,SN-0,view,2026-11-30T10:00:00Z\nu3,XX,view,soon\n")
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_events", str(bad))
    err = capsys.readouterr().err
    assert "row 3: unknown SKU 'XX'" in err and "row 3: 'soon' is not an ISO 8601 time" in err
    assert ShopperEvent.objects.count() == 2  # nothing of the bad file
    (tmp_path / "columns.csv").write_text("who,what\nu1,SN-0\n")
    with pytest.raises(CommandError):
        call_command("import_events", str(tmp_path / "columns.csv"))
