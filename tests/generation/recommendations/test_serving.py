"""The rows as the staff API, the storefront and the pages get them: from image features, pairings and events,
through the merchandisers' rules, served from caches that a rule, a product or a feature change refreshes."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from catalog import roles
from catalog.models import Category
from catalog.services.api_tokens import api_token_renew
from generation.recommendations.models import (
    CategoryPairing,
    RecommendationRule,
    RecommendationRuleChange,
    ShopperEvent,
)
from generation.recommendations.rules import demo_pairings_ensure, recommendation_rule_create
from generation.storefront.services import storefront_key_create
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db


def staff(role=roles.MERCHANDISER) -> Client:
    user = User.objects.filter(username=f"u-{role}").first() or make_user(f"u-{role}", role)
    return Client(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=user).key}")


def skus(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [card["sku"] for card in response.json()["products"]]


def test_similar_items_are_active_products_that_look_alike(shop):
    assert skus(staff().get(f"/api/v1/products/{shop['SH-1'].pk}/similar/?k=2")) == ["SH-2", "SH-3"]  # not the draft


def test_an_archived_product_leaves_every_row_at_once(shop):
    api = staff()
    assert "SH-2" in skus(api.get(f"/api/v1/products/{shop['SH-1'].pk}/similar/"))
    api.patch(f"/api/v1/products/{shop['SH-2'].pk}/", {"status": "archived"}, content_type="application/json")
    assert "SH-2" not in skus(api.get(f"/api/v1/products/{shop['SH-1'].pk}/similar/"))


def test_complete_the_look_comes_from_the_paired_categories_contrast_first(shop):
    row = staff().get(f"/api/v1/products/{shop['SH-1'].pk}/complete-the-look/?k=2").json()["products"]
    assert [c["sku"] for c in row] == ["TR-1", "TR-2"] and row[0]["reason"] == "goes with Dark shirt"
    assert skus(staff().get(f"/api/v1/products/{shop['TR-1'].pk}/complete-the-look/")) == []  # no pairing for trousers


def test_a_pin_made_through_the_api_comes_first_until_it_is_removed(shop):
    api = staff()
    made = api.post("/api/v1/recommendation-rules/", {"action": "pin", "product": shop["TR-2"].pk,
                                                      "placement": "similar"}, content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert skus(api.get(f"/api/v1/products/{shop['SH-1'].pk}/similar/"))[0] == "TR-2"
    assert skus(api.get(f"/api/v1/products/{shop['SH-1'].pk}/complete-the-look/"))[0] == "TR-1"  # other placement
    assert api.delete(f"/api/v1/recommendation-rules/{made.json()['id']}/").status_code == 204
    assert skus(api.get(f"/api/v1/products/{shop['SH-1'].pk}/similar/"))[0] == "SH-2"
    changes = list(RecommendationRuleChange.objects.order_by("id").values_list("change", "acting_user__username"))
    assert changes == [("created", "u-merchandiser"), ("removed", "u-merchandiser")]


def test_a_category_exclusion_for_a_week_hides_it_in_every_placement(shop):
    recommendation_rule_create(action="exclude", category=Category.objects.get(name="Trouser"),
                               ends_at=timezone.now() + timedelta(days=7))  # fmt: skip
    assert skus(staff().get(f"/api/v1/products/{shop['SH-1'].pk}/complete-the-look/")) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"action": "pin"}, "exactly one"),
        ({"action": "shout", "product": "{p}"}, "not a valid choice"),
        ({"action": "pin", "product": "{p}", "placement": "homepage"}, "not a valid choice"),
        ({"action": "pin", "product": "{p}", "starts_at": "2026-12-02T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z"},
         "ends before it starts"),
        ({"action": "pin", "product": 999999}, "does not exist"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_refused_and_changes_nothing(shop, body, problem):
    body = {k: (shop["SH-1"].pk if v == "{p}" else v) for k, v in body.items()}
    answer = staff().post("/api/v1/recommendation-rules/", body, content_type="application/json")
    assert answer.status_code == 400 and problem in json.dumps(answer.json())
    assert not RecommendationRule.objects.exists() and not RecommendationRuleChange.objects.exists()


def test_a_reviewer_reads_rows_but_makes_no_rule(shop):
    api = staff(roles.REVIEWER)
    assert api.get(f"/api/v1/products/{shop['SH-1'].pk}/similar/").status_code == 200
    refused = api.post("/api/v1/recommendation-rules/", {"action": "exclude", "product": shop["SH-1"].pk},
                       content_type="application/json")  # fmt: skip
    assert refused.status_code == 403 and not RecommendationRule.objects.exists()


def view(shopper, product, kind=ShopperEvent.Kind.VIEW):
    ShopperEvent.objects.create(shopper=shopper, product=product, kind=kind, at=timezone.now())


def test_for_you_without_a_model_leans_on_the_look_and_leaves_out_what_was_bought(shop):
    view("ann", shop["SH-1"])
    view("ann", shop["TR-1"], ShopperEvent.Kind.PURCHASE)
    row = staff().get("/api/v1/recommendations/for-you/?user=ann&k=3").json()["products"]
    shown = [c["sku"] for c in row]
    assert "SH-1" not in shown and "TR-1" not in shown and "SH-9" not in shown
    assert row[0]["sku"] == "TR-2" and row[0]["reason"] == "because you bought Light trouser"
    assert next(c for c in row if c["sku"] == "SH-2")["reason"] == "because you viewed Dark shirt"
    assert skus(staff().get("/api/v1/recommendations/for-you/?user=nobody")) == []


def test_a_new_event_changes_the_row_at_once(shop):
    view("bob", shop["TR-1"])
    assert skus(staff().get("/api/v1/recommendations/for-you/?user=bob&k=1")) == ["TR-2"]
    view("bob", shop["TR-2"], ShopperEvent.Kind.PURCHASE)
    assert "TR-2" not in skus(staff().get("/api/v1/recommendations/for-you/?user=bob"))


@pytest.mark.parametrize("query", ["?user=ann&k=0", "?user=ann&k=51", "?user=ann&k=two", "?k=3", "?user=" + "x" * 65])
def test_bad_row_parameters_are_a_clear_400(shop, query):
    answer = staff().get(f"/api/v1/recommendations/for-you/{query}")
    assert answer.status_code == 400 and answer.json()


def test_the_storefront_gets_the_rows_by_sku_without_staff_fields(shop):
    shopfront = Client(HTTP_X_STOREFRONT_KEY=storefront_key_create(name="shop", any_origin=True).key)
    row = shopfront.get("/api/storefront/v1/products/SH-1/similar/?k=2").json()["products"]
    assert [c["sku"] for c in row] == ["SH-2", "SH-3"] and set(row[0]) == {"sku", "title", "category", "url", "reason"}
    assert shopfront.get(f"/api/storefront/v1/products/{shop['SH-1'].pk}/complete-the-look/").status_code == 200
    assert shopfront.get("/api/storefront/v1/products/SH-9/similar/").status_code == 404  # a draft is not the shop's
    assert shopfront.get("/api/storefront/v1/products/%C2%B3/similar/").status_code == 404  # "³": schemathesis found
    # The for-you row is the shopper's own: see test_storefront_shoppers.py.
    assert Client().get("/api/storefront/v1/products/SH-1/similar/").status_code == 401


def test_recommend_check_prints_each_row_as_skus(shop, tmp_path, capsys):
    view("dan", shop["SH-1"])
    asked = tmp_path / "asked.jsonl"
    asked.write_text("\n".join(json.dumps(line) for line in [
        {"id": "a", "kind": "similar", "sku": "SH-1", "k": 2},
        {"id": "b", "kind": "complete_the_look", "sku": "SH-1", "k": 1},
        {"id": "c", "kind": "for_you", "user": "dan", "k": 1},
        {"id": "d", "kind": "similar", "sku": "NOPE", "k": 2},
    ]))  # fmt: skip
    call_command("recommend_check", "--jsonl", str(asked))
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(p["id"], p["products"]) for p in printed] == [("a", ["SH-2", "SH-3"]), ("b", ["TR-1"]), ("c", ["SH-2"]),
                                                           ("d", [])]  # fmt: skip
    assert "unknown SKU" in printed[3]["error"]


def test_the_product_page_shows_its_rows(shop, merch_client):
    page = merch_client.get(f"/products/{shop['SH-1'].pk}/").content.decode()
    similar, look = page.split('id="similar-row"')[1], page.split('id="look-row"')[1]
    assert "SH-2" in similar.split("</ul>")[0] and "TR-1" in look.split("</ul>")[0]


def test_the_preview_shows_a_rule_before_and_after(shop, merch_client):
    recommendation_rule_create(action="exclude", product=shop["SH-2"], placement="similar")
    page = merch_client.get("/recommendations/?sku=SH-1").content.decode()
    similar = page.split('id="preview-similar"')[1].split('id="preview-complete_the_look"')[0]
    before, after = similar.split("After the rules")
    assert 'data-sku="SH-2"' in before and 'data-sku="SH-2"' not in after


def test_the_demo_pairings_come_from_either_demos_groups(db):
    """Fashion-MNIST's products carry a group; the fashion shop's, a sub-category that names one."""
    make_product(category="Trouser", sku="FM-1", attributes={"group": "bottoms"})
    make_product(category="Shirt", sku="FM-2", attributes={"group": "tops"})
    make_product(category="Tshirts", sku="FP-1", attributes={"sub_category": "Topwear"})
    make_product(category="Jeans", sku="FP-2", attributes={"sub_category": "Bottomwear"})
    make_product(category="Watches", sku="FP-3", attributes={"sub_category": "Watches"})
    make_product(category="Perfume", sku="FP-4", attributes={"sub_category": "Fragrance"})  # in no look
    assert demo_pairings_ensure() > 0
    pairs = set(CategoryPairing.objects.values_list("category__name", "goes_with__name"))
    assert {("Tshirts", "Jeans"), ("Jeans", "Tshirts"), ("Shirt", "Jeans"), ("Tshirts", "Watches")} <= pairs
    assert not any("Perfume" in pair for pair in pairs)
    assert demo_pairings_ensure() == 0  # made once


def test_the_demo_shop_page_shows_the_products_rows_and_a_picker(shop, client):
    page = client.get("/storefront/demo/?sku=SH-1").content.decode()
    similar, look = page.split('id="similar-row"')[1], page.split('id="look-row"')[1]
    assert 'data-sku="SH-2"' in similar.split("</ul>")[0] and 'data-sku="TR-1"' in look.split("</ul>")[0]
    assert 'data-sku="SH-9"' not in page  # a draft is not the shop's to show
    assert 'data-mount="#assistant"' in page  # the widget beside the product
    found = client.get("/storefront/demo/?sku=SH-1&q=trouser").content.decode().split('id="picker"')[1]
    assert "Light trouser" in found and "Dark shirt too" not in found
