"""Rows computed ahead by the features worker: a request under the state they were computed under is a lookup plus
the rules; after a change it is computed live, and the worker is asked once to compute them all anew."""

import pytest

from catalog.services.revision import catalog_revised
from generation.models import ProductRow, RecommendationRule
from generation.recommendations import precompute
from generation.recommendations.precompute import built_under, product_rows_compute
from generation.recommendations.rules import recommendation_rule_create
from generation.recommendations.serving import complete_the_look, similar_items
from generation.recommendations.snapshot import serving_changed, serving_state
from generation.recommender.rules import COMPLETE_THE_LOOK, SIMILAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def asks(monkeypatch):
    """The asks for rows sent to the worker, instead of a broker."""
    sent = []
    monkeypatch.setattr(precompute, "_ask_for_rows", sent.append)
    return sent


def test_the_worker_computes_each_active_products_rows_under_the_state_and_skips_a_current_set(shop, asks):
    assert product_rows_compute() == 2 * 5  # five active products, two rows each; the draft has none
    state = serving_state()
    rows = {(row.product.sku, row.placement): row for row in ProductRow.objects.select_related("product")}
    assert {row.built_under for row in rows.values()} == {built_under(state)}
    # Its own category first, then the rest: as many as a row may need, and the rules may take away.
    assert [shop_sku(shop, p) for p in rows[("SH-1", SIMILAR)].ranked] == ["SH-2", "SH-3", "TR-2", "TR-1"]
    assert [shop_sku(shop, p) for p in rows[("SH-1", COMPLETE_THE_LOOK)].ranked] == ["TR-1", "TR-2"]
    assert product_rows_compute() == 0  # nothing changed since


def shop_sku(shop: dict, product_id: int) -> str:
    return next(sku for sku, product in shop.items() if product.pk == product_id)


def test_a_request_under_the_rows_state_is_their_lookup_plus_the_rules(shop, asks):
    product_rows_compute()
    serving_state()
    sh1 = shop["SH-1"]
    # The stored row, put in an order no live computation makes: what is served is what is stored.
    ProductRow.objects.filter(product=sh1, placement=SIMILAR).update(ranked=[shop["SH-3"].pk, shop["SH-2"].pk])
    assert similar_items(sh1, k=2).products == (shop["SH-3"].pk, shop["SH-2"].pk)
    assert asks == []
    # The rules still apply to it: a bury sends SH-3 last.
    recommendation_rule_create(action=RecommendationRule.Action.BURY, product=shop["SH-3"], user=None)
    assert similar_items(sh1, k=2).products == (shop["SH-2"].pk, shop["SH-3"].pk)
    assert complete_the_look(sh1, k=2).products == (shop["TR-1"].pk, shop["TR-2"].pk)


def test_after_a_change_rows_are_computed_live_and_the_worker_asked_once(shop, asks):
    product_rows_compute()
    sh1 = shop["SH-1"]
    ProductRow.objects.filter(product=sh1, placement=SIMILAR).update(ranked=[shop["SH-3"].pk, shop["SH-2"].pk])
    for change in (lambda: serving_changed(features=True), catalog_revised):
        change()
        state = serving_state()
        asks.clear()
        assert similar_items(sh1, k=2).products == (shop["SH-2"].pk, shop["SH-3"].pk)  # live, not the stored
        complete_the_look(sh1, k=2)
        assert asks and set(asks) == {built_under(state)}
    product_rows_compute()
    serving_state()
    assert ProductRow.objects.get(product=sh1, placement=SIMILAR).ranked[:2] == [shop["SH-2"].pk, shop["SH-3"].pk]


def test_the_worker_is_asked_once_a_state_by_whichever_process_sees_it_first(monkeypatch):
    sent = []
    monkeypatch.setattr(
        precompute.celery_app,
        "signature",
        lambda name: type("Sig", (), {"apply_async": lambda self: sent.append(name)})(),
    )
    for tag in ("1:2:3:4", "1:2:3:4", "1:2:3:5"):
        precompute._ask_for_rows(tag)
    assert sent == [precompute.ROWS_TASK, precompute.ROWS_TASK]
