"""The three rows as the storefront and the studio get them: drawn from the active products and their image
features, the active recommender version and the pairings, then put through the merchandisers' rules. What
each web process builds from the database is kept until the serving state's counters (rules, catalog) or the
active version change; rows are kept too, keyed by all of that and, for a shopper, by their newest event."""

import secrets
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from catalog.models import Product
from catalog.selectors import photos_prefetch
from generation.models import Family, GenerativeModel
from generation.recommendations.models import (
    CategoryPairing,
    ImageFeature,
    RecommendationRule,
    ServingState,
    ShopperEvent,
)
from generation.recommender.catalog import ItemTable, Seed
from generation.recommender.foryou import Aligned, aligned, for_you_rank
from generation.recommender.rules import COMPLETE_THE_LOOK, FOR_YOU, SIMILAR, Rule, rules_apply
from generation.recommender.scoring import ForYouModel
from generation.services.process_cache import ProcessCache

RECOMMENDER_NAME = "recommender"
HISTORY = 200  # a shopper's newest events that shape their row
SPARE = 20  # candidates ranked beyond k, so rules that remove some still leave a full row
ROWS_KEPT = 20_000


def serving_changed(*, rules: bool = False, features: bool = False, catalog: bool = False) -> None:
    """Tells every web process that what it built is stale: the rules, the image features (new ones are added
    to what it holds), or the catalog (products, pairings: it is built again)."""
    # A fresh random token, not a count: a count could come back to a value some process cached under, after a
    # rolled-back transaction (or a test's).
    asked = (("rules", rules), ("features", features), ("catalog", catalog))
    changes = {name: secrets.randbits(62) for name, changed in asked if changed}
    _state_read.clear()  # this process sees its own change at once
    if changes and not ServingState.objects.filter(pk=1).update(**changes):
        ServingState.objects.get_or_create(pk=1)


@dataclass(frozen=True)
class State:
    rules: int
    features: int
    catalog: int
    version: int | None  # the active recommender version's id


STATE_SECONDS = 1.0  # how long a process trusts the state it read: other processes see a change within it
_state_read: dict = {}


def serving_state() -> State:
    read = _state_read.get("state")
    if read is not None and time.monotonic() - read[0] < STATE_SECONDS:
        return read[1]
    state = _serving_state_now()
    _state_read["state"] = (time.monotonic(), state)
    return state


def _serving_state_now() -> State:
    row = ServingState.objects.filter(pk=1).values("rules", "features", "catalog").first() or dict.fromkeys(
        ("rules", "features", "catalog"), 0
    )
    version = (
        GenerativeModel.objects.filter(family=Family.RECS, state=GenerativeModel.State.ACTIVE)
        .values_list("pk", flat=True)
        .first()
    )
    return State(row["rules"], row["features"], row["catalog"], version)


@dataclass
class CatalogView:
    table: ItemTable
    pairings: dict[int, dict[int, float]]  # category -> {paired category: weight}
    features_upto: int  # the newest ImageFeature it holds


def product_features(products, *, upto: int | None = None) -> dict[int, np.ndarray]:
    """Each product's features: the mean of its images' (its photos and approved generated images), as a unit
    vector; from the features up to the id `upto` when given."""
    sums: dict[int, np.ndarray] = {}
    stored = ImageFeature.objects.filter(product__in=products)
    if upto is not None:
        stored = stored.filter(pk__lte=upto)
    for product, vector in stored.values_list("product_id", "vector"):
        v = np.frombuffer(vector, dtype=np.float32)
        sums[product] = sums[product] + v if product in sums else v.copy()
    return {p: v / (np.linalg.norm(v) or 1.0) for p, v in sums.items()}


def _newest_feature() -> int:
    return ImageFeature.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _catalog_build() -> CatalogView:
    upto = _newest_feature()
    active = Product.objects.filter(status=Product.Status.ACTIVE)
    rows = list(active.values_list("id", "category_id", "attributes"))
    features = product_features(active, upto=upto)
    dimensions = len(next(iter(features.values()))) if features else 1
    matrix = np.zeros((len(rows), dimensions), dtype=np.float32)
    for i, (product, _, _) in enumerate(rows):
        if product in features:
            matrix[i] = features[product]
    table = ItemTable.build(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] or {} for r in rows], matrix
    )  # fmt: skip
    pairings: dict[int, dict[int, float]] = {}
    for category, other, weight in CategoryPairing.objects.values_list("category_id", "goes_with_id", "weight"):
        pairings.setdefault(category, {})[other] = weight
    return CatalogView(table, pairings, upto)


def _with_new_features(view: CatalogView) -> CatalogView:
    """The view with the features stored since it was built: a photo's similar items at once, without reading
    the whole catalog again (a demo's 70,000 photos arrive in batches of a thousand)."""
    upto = _newest_feature()
    products = set(
        ImageFeature.objects.filter(pk__gt=view.features_upto, pk__lte=upto).values_list("product_id", flat=True)
    )
    rows = view.table.rows(np.array(sorted(products), dtype=np.int64))
    present = rows >= 0  # the others are not active
    if not present.any():
        return CatalogView(view.table, view.pairings, upto)
    changed = view.table.ids[rows[present]]
    features = product_features(changed.tolist(), upto=upto)
    dimensions = view.table.features.shape[1]
    if features and len(next(iter(features.values()))) != dimensions:  # the first features of a catalog
        return _catalog_build()
    vectors = np.stack([features.get(int(p), np.zeros(dimensions, np.float32)) for p in changed])
    return CatalogView(view.table.with_features(rows[present], vectors), view.pairings, upto)


_held: dict = {}  # this process's catalog view, with the tokens it was built under
_building = threading.Lock()  # one build at a time: threads of a process wait for it rather than each build
_models: ProcessCache[ForYouModel | None] = ProcessCache(size=2)
_rules: ProcessCache[list[Rule]] = ProcessCache(size=2)
_alignments: ProcessCache[Aligned] = ProcessCache(size=2)
_rows: ProcessCache[list] = ProcessCache(size=ROWS_KEPT)


def catalog_view(state: State) -> CatalogView:
    if _held.get("tokens") == (state.catalog, state.features):
        return _held["view"]
    with _building:
        held = _held.get("view")
        if _held.get("tokens") == (state.catalog, state.features):
            return held
        if held is not None and _held["tokens"][0] == state.catalog:
            view = _with_new_features(held)
        else:
            view = _catalog_build()
        _held.update(tokens=(state.catalog, state.features), view=view)
        return view


def active_model(state: State) -> ForYouModel | None:
    def load() -> ForYouModel | None:
        version = GenerativeModel.objects.filter(pk=state.version).first()
        if version is None or not version.checkpoint:
            return None
        with version.checkpoint.open("rb") as handle:
            return ForYouModel.load(handle, config=version.config)

    return _models.get(state.version, load) if state.version else None


def rules_now(state: State) -> list[Rule]:
    def load() -> list[Rule]:
        return [
            Rule(r.pk, r.action, r.product_id, r.category_id, r.placement, r.starts_at, r.ends_at)
            for r in RecommendationRule.objects.all()
        ]

    return _rules.get(state.rules, load)


def _aligned(state: State, view: CatalogView, model: ForYouModel | None) -> Aligned | None:
    if model is None:
        return None
    return _alignments.get((state.catalog, state.features, state.version), lambda: aligned(model, view.table))


def _co_purchased(model: ForYouModel | None, product: int) -> dict[int, float]:
    if model is None:
        return {}
    row = int(np.searchsorted(model.item_ids, product))
    if row >= len(model.item_ids) or model.item_ids[row] != product:
        return {}
    items, counts = model.co_purchase_rows[row], model.co_purchase_counts[row]
    known = items >= 0
    if not known.any():
        return {}
    return dict(zip(model.item_ids[items[known]].tolist(), (counts[known] / counts[known].max()).tolist(), strict=True))


@dataclass(frozen=True)
class Row:
    """A row as shown: product ids best first, each with why it is there."""

    products: tuple[int, ...]
    because: tuple[int | None, ...]  # for-you: the shopper's own product each is most like


def _ruled(
    ranked: list[int], state: State, view: CatalogView, *, placement: str, k: int, leave_out: set[int]
) -> list[int]:
    table = view.table
    return rules_apply(
        ranked, rules_now(state), placement=placement, now=timezone.now(), category_of=_category_of(state, view),
        eligible=lambda p: table.row(p) is not None and p not in leave_out, k=k,
    )  # fmt: skip


_categories: ProcessCache[dict[int, int]] = ProcessCache(size=2)


def _category_of(state: State, view: CatalogView) -> dict[int, int]:
    return _categories.get(state.catalog, view.table.category_of)  # the features do not change categories


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
            seed, pairings=view.pairings.get(product.category_id, {}), co_purchased=_co_purchased(model, product.pk),
            k=k + SPARE, popularity=on_table.popularity if (on_table := _aligned(state, view, model)) else None,
        )  # fmt: skip
        leave_out = {product.pk}
        shown = (
            _ruled(ranked, state, view, placement=COMPLETE_THE_LOOK, k=k, leave_out=leave_out)
            if apply_rules
            else ranked[:k]
        )
        return Row(tuple(shown), (None,) * len(shown))

    return _rows.get(key, build)


def for_you(shopper: str, *, k: int, apply_rules: bool = True) -> Row:
    """A shopper's row from their events (the newest HISTORY), the active version and the look of what they
    chose; bought products are left out; a shopper with no events gets what is popular."""
    state = serving_state()
    events = list(
        ShopperEvent.objects.filter(shopper=shopper).order_by("-id").values_list("id", "product_id", "kind")[:HISTORY]
    )
    key = (FOR_YOU, shopper, k, state, events[0][0] if events else 0, apply_rules and _in_force(state, FOR_YOU))

    def build() -> Row:
        view, model = catalog_view(state), active_model(state)
        products = np.array([e[1] for e in reversed(events)], dtype=np.int64)
        kinds = np.array([e[2] for e in reversed(events)], dtype=np.int64)
        picks = for_you_rank(
            model, view.table, shopper=shopper, products=products, kinds=kinds, k=k + SPARE,
            on_table=_aligned(state, view, model),
        )  # fmt: skip
        bought = set(products[kinds == ShopperEvent.Kind.PURCHASE].tolist())
        because = {pick.product: pick.because for pick in picks}
        ranked = [pick.product for pick in picks]
        shown = _ruled(ranked, state, view, placement=FOR_YOU, k=k, leave_out=bought) if apply_rules else ranked[:k]
        return Row(tuple(shown), tuple(because.get(p) for p in shown))

    return _rows.get(key, build)


@dataclass(frozen=True)
class Card:
    product: Product
    reason: str


def row_cards(
    row: Row, *, placement: str, seed: Product | None = None, shopper: str = "", photos: bool = False
) -> list[Card]:  # fmt: skip
    """The row's products, in a query or two, each with why it is there, in words a shopper can read; with
    their `photos` for a page that shows them."""
    products = Product.objects.select_related("category")
    if photos:
        products = products.prefetch_related(photos_prefetch())
    products = products.in_bulk([*row.products, *filter(None, row.because)])
    bought = set()
    if shopper and any(row.because):
        bought = set(
            ShopperEvent.objects.filter(
                shopper=shopper, product__in=list(filter(None, row.because)), kind=ShopperEvent.Kind.PURCHASE
            ).values_list("product_id", flat=True)
        )
    cards = []
    for product, because in zip(row.products, row.because, strict=True):
        if placement == SIMILAR and seed is not None:
            reason = f"looks like {seed.title}"
        elif placement == COMPLETE_THE_LOOK and seed is not None:
            reason = f"goes with {seed.title}"
        elif because in products:
            reason = f"because you {'bought' if because in bought else 'viewed'} {products[because].title}"
        else:
            reason = "popular with shoppers"
        cards.append(Card(products[product], reason))
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
            FOR_YOU, row_cards(before, placement=FOR_YOU, shopper=shopper, photos=True),
            row_cards(after, placement=FOR_YOU, shopper=shopper, photos=True),
        ))  # fmt: skip
    return previews


_cards: ProcessCache[list[Card]] = ProcessCache(size=ROWS_KEPT)


def product_row_cards(product: Product, *, placement: str, k: int, photos: bool = False) -> list[Card]:
    """A product's similar or complete-the-look row as shoppers get it, ready to show (kept with the row: the
    same row of a popular product is asked for again and again)."""
    row = (similar_items if placement == SIMILAR else complete_the_look)(product, k=k)
    key = (placement, product.pk, product.title, row, photos, serving_state().catalog)
    return _cards.get(key, lambda: row_cards(row, placement=placement, seed=product, photos=photos))
