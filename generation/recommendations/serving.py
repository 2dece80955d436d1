"""The three rows as the storefront and the studio get them: drawn from the process's snapshot (the active
products and their image features, the pairings, the active version), then put through the merchandisers'
rules. Rows are kept too, keyed by the snapshot's state and, for a shopper, by their newest event."""

import functools
from dataclasses import dataclass

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Product
from catalog.selectors import photos_prefetch
from generation.recommendations.candidates import look_ranked, similar_ranked
from generation.recommendations.models import ShopperEvent, shopper_key
from generation.recommendations.precompute import stored_ranked
from generation.recommendations.snapshot import (
    CatalogView,
    State,
    active_model,
    catalog_view,
    model_on_table,
    rules_now,
    serving_state,
)
from generation.recommender.foryou import for_you_rank
from generation.recommender.rules import COMPLETE_THE_LOOK, FOR_YOU, SIMILAR, rules_apply
from generation.services.process_cache import ProcessCache

HISTORY = 200  # a shopper's newest events that shape their row
SPARE = 20  # candidates ranked beyond k, so rules that remove some still leave a full row
ROWS_KEPT = 5_000
_rows: ProcessCache = ProcessCache(size=ROWS_KEPT)


@dataclass(frozen=True)
class Row:
    """A row as shown: product ids best first, each with why it is there."""

    products: tuple[int, ...]
    because: tuple[int | None, ...]  # for-you: the shopper's own product each is most like
    bought: frozenset[int] = frozenset()  # ... and which of those they bought (the others they viewed or carted)


def _ruled(
    ranked: list[int], state: State, view: CatalogView, *, placement: str, k: int, leave_out: set[int]
) -> list[int]:
    # Only active products are in `category_of`: rules_apply keeps to them.
    return rules_apply(
        ranked, rules_now(state), placement=placement, now=timezone.now(), category_of=_category_of(state, view),
        eligible=lambda p: p not in leave_out, k=k,
    )  # fmt: skip


_categories: ProcessCache[dict[int, int]] = ProcessCache(size=2)


def _category_of(state: State, view: CatalogView) -> dict[int, int]:
    return _categories.get((state.products, state.catalog), view.table.category_of)  # features change no category


def _in_force(state: State, placement: str) -> tuple[int, ...]:
    now = timezone.now()
    return tuple(rule.id for rule in rules_now(state) if rule.in_force(placement, now))


def _ranked(product: Product, placement: str, state: State, view: CatalogView, n: int) -> list[int]:
    """The worker's stored candidates when they are current, else computed here."""
    stored = stored_ranked(product.pk, placement, state, n) if product.status == Product.Status.ACTIVE else None
    if stored is not None:
        return stored[:n]
    ranked = similar_ranked if placement == SIMILAR else functools.partial(look_ranked, state)
    return ranked(view, product.pk, product.category_id, product.attributes or {}, n)


def _product_row(product: Product, placement: str, *, k: int, apply_rules: bool) -> Row:
    state = serving_state()
    key = (placement, product.pk, k, state, apply_rules and _in_force(state, placement))

    def build() -> Row:
        view = catalog_view(state)
        ranked = _ranked(product, placement, state, view, k + SPARE)
        leave_out = {product.pk}
        shown = (
            _ruled(ranked, state, view, placement=placement, k=k, leave_out=leave_out) if apply_rules else ranked[:k]
        )
        return Row(tuple(shown), (None,) * len(shown))

    return _rows.get(key, build)


def similar_items(product: Product, *, k: int, apply_rules: bool = True) -> Row:
    """Active products that look most like `product`; a new product has them as soon as its photo's features
    are computed, without a retraining."""
    return _product_row(product, SIMILAR, k=k, apply_rules=apply_rules)


def complete_the_look(product: Product, *, k: int, apply_rules: bool = True) -> Row:
    """Products of the paired categories that go with `product`, by tone and season, and by co-purchase."""
    return _product_row(product, COMPLETE_THE_LOOK, k=k, apply_rules=apply_rules)


def for_you(shopper: str, *, k: int, storefront_id: int | None = None, apply_rules: bool = True) -> Row:
    """A shopper's row (the storefront's shopper, or the studio's own without one) from their events (the newest
    HISTORY), the active version and the look of what they chose; bought products are left out; a shopper with
    no events gets what is popular."""
    state = serving_state()
    events = list(
        ShopperEvent.objects.filter(shopper=shopper, storefront_id=storefront_id)
        .order_by("-id")
        .values_list("id", "product_id", "kind")[:HISTORY]
    )
    newest = events[0][0] if events else 0
    key = (FOR_YOU, storefront_id, shopper, k, state, newest, apply_rules and _in_force(state, FOR_YOU))

    def build() -> Row:
        view, model = catalog_view(state), active_model(state)
        products = np.array([e[1] for e in reversed(events)], dtype=np.int64)
        kinds = np.array([e[2] for e in reversed(events)], dtype=np.int64)
        picks = for_you_rank(
            model, view.table, shopper=shopper_key(storefront_id, shopper), products=products, kinds=kinds,
            k=k + SPARE, on_table=model_on_table(state, view, model),
        )  # fmt: skip
        bought = set(products[kinds == ShopperEvent.Kind.PURCHASE].tolist())
        because = {pick.product: pick.because for pick in picks}
        ranked = [pick.product for pick in picks]
        shown = _ruled(ranked, state, view, placement=FOR_YOU, k=k, leave_out=bought) if apply_rules else ranked[:k]
        reasons = tuple(because.get(p) for p in shown)
        return Row(tuple(shown), reasons, frozenset(bought.intersection(reasons)))

    return _rows.get(key, build)


@dataclass(frozen=True)
class Card:
    """A product as a row shows it: plain values, not a model instance, since rows are kept by the thousand
    and a process's garbage collections walk what it keeps."""

    id: int
    sku: str
    title: str
    category: str
    status: str
    reason: str
    photo_url: str = ""


def row_cards(
    row: Row, *, placement: str, seed: Product | None = None, photos: bool = False, purchases_named: bool = True
) -> list[Card]:
    """The row's products, in a query or two, each with why it is there, in words a shopper can read; with
    their `photos` for a page that shows them. A storefront's cards never name what the shopper bought
    (`purchases_named` off): a row on a shared screen must not tell the next person."""
    products = Product.objects.select_related("category")
    if photos:
        products = products.prefetch_related(photos_prefetch())
    products = products.in_bulk([*row.products, *filter(None, row.because)])
    cards = []
    for product, because in zip(row.products, row.because, strict=True):
        if placement == SIMILAR and seed is not None:
            reason = gettext("looks like %(title)s") % {"title": seed.title}
        elif placement == COMPLETE_THE_LOOK and seed is not None:
            reason = gettext("goes with %(title)s") % {"title": seed.title}
        elif because in products and because in row.bought and purchases_named:
            reason = gettext("because you bought %(title)s") % {"title": products[because].title}
        elif because in products and because in row.bought:
            reason = gettext("picked for you")
        elif because in products:
            reason = gettext("because you viewed %(title)s") % {"title": products[because].title}
        else:
            reason = gettext("popular with shoppers")
        shown = products[product]
        photo = shown.photos[0].display_url if photos and shown.photos else ""
        cards.append(Card(shown.pk, shown.sku, shown.title, shown.category.name, shown.status, reason, photo))
    return cards


@dataclass(frozen=True)
class PreviewRow:
    placement: str
    before: list[Card]  # as ranked
    after: list[Card]  # after the rules in force now


def rows_preview(*, product: Product | None = None, shopper: str = "", k: int = 8) -> list[PreviewRow]:
    """What a product's rows and a shopper's for-you row look like now, before and after the rules."""
    previews = []
    if product is not None:
        for placement, build in ((SIMILAR, similar_items), (COMPLETE_THE_LOOK, complete_the_look)):
            before, after = build(product, k=k, apply_rules=False), build(product, k=k)
            previews.append(PreviewRow(
                placement, row_cards(before, placement=placement, seed=product, photos=True),
                row_cards(after, placement=placement, seed=product, photos=True),
            ))  # fmt: skip
    if shopper:
        before, after = for_you(shopper, k=k, apply_rules=False), for_you(shopper, k=k)
        previews.append(PreviewRow(
            FOR_YOU, row_cards(before, placement=FOR_YOU, photos=True), row_cards(after, placement=FOR_YOU, photos=True),
        ))  # fmt: skip
    return previews


_cards: ProcessCache[list[Card]] = ProcessCache(size=ROWS_KEPT)


def product_row_cards(product: Product, *, placement: str, k: int, photos: bool = False) -> list[Card]:
    """A product's similar or complete-the-look row as shoppers get it, ready to show (kept with the row: the
    same row of a popular product is asked for again and again)."""
    row = (similar_items if placement == SIMILAR else complete_the_look)(product, k=k)
    state = serving_state()
    key = (placement, product.pk, product.title, row, photos, state.products, state.catalog)
    return _cards.get(key, lambda: row_cards(row, placement=placement, seed=product, photos=photos))
