"""Each active product's similar and complete-the-look candidates computed ahead by the features worker, so a
request is a lookup plus the rules. The rows are stored under the serving state they were computed under (image
features, pairings, the active version, the catalog's products); a request under another state computes its row
live and asks the worker, once per state, to compute them all anew."""

import contextlib

from django.core.cache import cache
from django.db import transaction

from catalog.models import Product
from generation.recommendations.candidates import look_ranked, similar_ranked
from generation.recommendations.models import ProductRow
from generation.recommendations.snapshot import State, catalog_view, serving_state
from generation.recommender.rules import COMPLETE_THE_LOOK, SIMILAR
from retail_studio.celery import app as celery_app

ROWS_TASK = "generation.tasks.product_rows_compute_task"
# Candidates kept a row: the API's largest row (50) and the spare the rules may take away (20).
STORED = 70
ASKED_SECONDS = 3600
BATCH = 2000


def built_under(state: State) -> str:
    """What a product's rows depend on; the rules are applied after the lookup, so they are not in it."""
    return f"{state.features}:{state.catalog}:{state.version}:{state.products}"


def product_rows_compute() -> int:
    """Every active product's two rows under the current serving state, replacing the stored ones at once;
    returns how many it stored (0: they were current)."""
    state = serving_state()
    tag = built_under(state)
    if not ProductRow.objects.exclude(built_under=tag).exists() and ProductRow.objects.exists():
        return 0  # an ask for a state already computed, or one that came while the rows were computed
    view = catalog_view(state)
    products = Product.objects.filter(status=Product.Status.ACTIVE).values_list("id", "category_id", "attributes")
    rows = []
    for product_id, category_id, attributes in products.iterator(chunk_size=BATCH):
        for placement, ranked in (
            (SIMILAR, similar_ranked(view, product_id, category_id, attributes, STORED)),
            (COMPLETE_THE_LOOK, look_ranked(state, view, product_id, category_id, attributes, STORED)),
        ):
            rows.append(ProductRow(product_id=product_id, placement=placement, ranked=ranked, built_under=tag))
    with transaction.atomic():
        ProductRow.objects.all().delete()
        ProductRow.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _ask_for_rows(tag: str) -> None:
    """Once per serving state, whichever process sees it first; a broker that is down costs nothing but the ask."""
    if cache.add(f"recommendations:rows-asked:{tag}", 1, ASKED_SECONDS):
        with contextlib.suppress(Exception):
            celery_app.signature(ROWS_TASK).apply_async()


def stored_ranked(product_id: int, placement: str, state: State, n: int) -> list[int] | None:
    """The stored candidates when they were computed under `state` and hold `n` (or every candidate there is);
    None otherwise, having asked for them to be computed anew."""
    tag = built_under(state)
    stored = ProductRow.objects.filter(product_id=product_id, placement=placement).values_list("ranked", "built_under")
    found = stored.first()
    if found is None or found[1] != tag:
        _ask_for_rows(tag)
        return None
    ranked = found[0]
    return ranked if len(ranked) >= n or len(ranked) < STORED else None
