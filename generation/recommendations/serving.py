"""The three rows as the storefront and the studio get them: drawn from the process's snapshot (the active
products and their image features, the pairings, the active version), then put through the merchandisers'
rules. Rows are kept too, keyed by the snapshot's state and, for a shopper, by their newest event."""

from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from catalog.models import Product
from catalog.selectors import photos_prefetch
from generation.recommendations.models import ShopperEvent, shopper_key
from generation.recommendations.snapshot import (
    CatalogView,
    State,
    active_model,
    catalog_view,
    co_purchased,
    model_on_table,
    product_features,
    rules_now,
    serving_state,
)
from generation.recommender.catalog import Seed
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


def _seed_vector(view: CatalogView, product: Product) -> np.ndarray:
    row = view.table.row(product.pk)
    if row is not None:
        return view.table.features[row]
    vector = product_features([product.pk]).get(product.pk)  # a draft or archived product: its own features
    return vector if vector is not None else np.zeros(view.table.features.shape[1], dtype=np.float32)


def similar_items(product: Product, *, k: int, apply_rules: bool = True) -> Row:
    """Active products that look most like `product`; a new product has them as soon as its photo's features
    are computed, without a retraining."""
    state = serving_state()
    key = (SIMILAR, product.pk, k, state, apply_rules and _in_force(state, SIMILAR))

    def build() -> Row:
        view = catalog_view(state)
        seed = view.table.seed(product.pk, product.category_id, product.attributes or {})
        ranked = view.table.similar(
            _seed_vector(view, product), k + SPARE, leave_out=product.pk, category=seed.category, tone=seed.tone,
            surface=seed.surface,
        )  # fmt: skip
        shown = (
            _ruled(ranked, state, view, placement=SIMILAR, k=k, leave_out={product.pk}) if apply_rules else ranked[:k]
        )
        return Row(tuple(shown), (None,) * len(shown))

    return _rows.get(key, build)


def complete_the_look(product: Product, *, k: int, apply_rules: bool = True) -> Row:
    """Products of the paired categories that go with `product`, by tone and season, and by co-purchase."""
    state = serving_state()
    key = (COMPLETE_THE_LOOK, product.pk, k, state, apply_rules and _in_force(state, COMPLETE_THE_LOOK))

    def build() -> Row:
        view, model = catalog_view(state), active_model(state)
        seed: Seed = view.table.seed(product.pk, product.category_id, product.attributes or {})
        ranked = view.table.complete_the_look(
            seed, pairings=view.pairings.get(product.category_id, {}), co_purchased=co_purchased(model, product.pk),
            k=k + SPARE, popularity=on_table.popularity if (on_table := model_on_table(state, view, model)) else None,
        )  # fmt: skip
        leave_out = {product.pk}
        shown = (
            _ruled(ranked, state, view, placement=COMPLETE_THE_LOOK, k=k, leave_out=leave_out)
            if apply_rules
            else ranked[:k]
        )
        return Row(tuple(shown), (None,) * len(shown))

    return _rows.get(key, build)


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
            reason = f"looks like {seed.title}"
        elif placement == COMPLETE_THE_LOOK and seed is not None:
            reason = f"goes with {seed.title}"
        elif because in products and because in row.bought:
            reason = f"because you bought {products[because].title}" if purchases_named else "picked for you"
        elif because in products:
            reason = f"because you viewed {products[because].title}"
        else:
            reason = "popular with shoppers"
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
