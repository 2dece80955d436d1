"""What a web process serves the rows from: the active products with their image features, the pairings, the
rules and the active version, built from the database and kept until the serving state changes (its tokens:
the catalog's revision of the products, and its own of rules, features and pairings; and the active version).
New features are patched into what is kept; anything else is built again. Every token is made anew
explicitly by the service that changes what it covers, never by a signal."""

import secrets
import threading
import time
from dataclasses import dataclass, replace

import numpy as np

from catalog.models import Product
from catalog.services.revision import catalog_revision
from generation.models import Family, GenerativeModel
from generation.recommendations.models import CategoryPairing, ImageFeature, RecommendationRule, ServingState
from generation.recommender.catalog import ItemTable
from generation.recommender.foryou import Aligned, aligned
from generation.recommender.interactions import positions
from generation.recommender.rules import Rule
from generation.recommender.scoring import ForYouModel
from generation.services.process_cache import ProcessCache


def serving_changed(*, rules: bool = False, features: bool = False, catalog: bool = False) -> None:
    """Tells every web process that what it built is stale: the rules, the image features (new ones are added
    to what it holds), or the pairings and features taken away (`catalog`: it is built again). Called in the
    changing transaction: other processes see the token when the change commits. The products themselves
    are the catalog's revision (catalog.services.revision)."""
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
    products: int = 0  # the catalog's revision


STATE_SECONDS = 1.0  # how long a process trusts the state it read: other processes see a change within it
_state_read: dict = {}


def serving_state() -> State:
    read = _state_read.get("state")
    if read is not None and time.monotonic() - read[0] < STATE_SECONDS:
        state = read[1]
    else:
        state = _serving_state_now()
        _state_read["state"] = (time.monotonic(), state)
    return replace(state, products=catalog_revision())


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


def features_matrix(product_ids: list[int], features: dict[int, np.ndarray]) -> np.ndarray:
    """(N, D) in the order of `product_ids`: each product's features (from product_features), zeros where it
    has none (D is 1 when none has any)."""
    dimensions = len(next(iter(features.values()))) if features else 1
    matrix = np.zeros((len(product_ids), dimensions), dtype=np.float32)
    for i, product in enumerate(product_ids):
        if product in features:
            matrix[i] = features[product]
    return matrix


def _newest_feature() -> int:
    return ImageFeature.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _catalog_build() -> CatalogView:
    upto = _newest_feature()
    active = Product.objects.filter(status=Product.Status.ACTIVE)
    rows = list(active.values_list("id", "category_id", "attributes"))
    matrix = features_matrix([r[0] for r in rows], product_features(active, upto=upto))
    table = ItemTable.build(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] or {} for r in rows], matrix
    )  # fmt: skip
    pairings: dict[int, dict[int, float]] = {}
    served = CategoryPairing.objects.filter(removed=False)
    for category, other, weight in served.values_list("category_id", "goes_with_id", "weight"):
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
    changed = view.table.ids[rows[present]].tolist()
    vectors = features_matrix(changed, product_features(changed, upto=upto))
    if vectors.shape[1] != view.table.features.shape[1]:  # the first features of a catalog
        return _catalog_build()
    return CatalogView(view.table.with_features(rows[present], vectors), view.pairings, upto)


_held: dict = {}  # this process's catalog view, with the tokens it was built under
_building = threading.Lock()  # one build at a time: threads of a process wait for it rather than each build
_models: ProcessCache[ForYouModel | None] = ProcessCache(size=2)
_rules: ProcessCache[list[Rule]] = ProcessCache(size=2)
_alignments: ProcessCache[Aligned] = ProcessCache(size=2)


def catalog_view(state: State) -> CatalogView:
    tokens = (state.products, state.catalog, state.features)
    if _held.get("tokens") == tokens:
        return _held["view"]
    with _building:
        held = _held.get("view")
        if _held.get("tokens") == tokens:
            return held
        if held is not None and _held["tokens"][:2] == tokens[:2]:
            view = _with_new_features(held)
        else:
            view = _catalog_build()
        _held.update(tokens=tokens, view=view)
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


def model_on_table(state: State, view: CatalogView, model: ForYouModel | None) -> Aligned | None:
    if model is None:
        return None
    key = (state.products, state.catalog, state.features, state.version)
    return _alignments.get(key, lambda: aligned(model, view.table))


def co_purchased(model: ForYouModel | None, product: int) -> dict[int, float]:
    if model is None:
        return {}
    row = int(positions(model.item_ids, [product])[0])
    if row < 0:
        return {}
    items, counts = model.co_purchase_rows[row], model.co_purchase_counts[row]
    known = items >= 0
    if not known.any():
        return {}
    return dict(zip(model.item_ids[items[known]].tolist(), (counts[known] / counts[known].max()).tolist(), strict=True))
