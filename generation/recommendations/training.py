"""Training the recommender in a worker: image features first (any still missing), then the shoppers' events
as they are now (an erased shopper is simply not there), the offline figures on a time split beside the
popularity and co-occurrence baselines measured on the same split, the final model on every event, and its
registration as a version; it replaces the active one only if it beats it."""

import io
import time
from collections.abc import Callable

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from catalog.models import Category, Product
from generation.models import Family, GenerativeModel
from generation.recommendations.features import image_features_compute
from generation.recommendations.models import ShopperEvent, shopper_key
from generation.recommendations.snapshot import features_matrix, product_features
from generation.recommendations.versions import ITERATIONS, RECOMMENDER_NAME, recommender_promote_if_better
from generation.recommender.evaluation import evaluate, held_out_shoppers
from generation.recommender.interactions import Interactions
from generation.recommender.learners import CoOccurrence, for_you_train, popularity
from generation.services.models import next_version
from retail_studio.errors import StudioError

HELD_OUT = 0.1  # the newest tenth of the events is what the figures are measured on
TEST_SHOPPERS = 5000


def events_load() -> Interactions:
    """Every event now stored, over the active products; a storefront's shoppers apart from every other's."""
    shoppers, products, kinds, times = [], [], [], []
    rows = ShopperEvent.objects.values_list("shopper", "storefront_id", "product_id", "kind", "at")
    for shopper, storefront_id, product, kind, at in rows.iterator(chunk_size=20_000):
        shoppers.append(shopper_key(storefront_id, shopper))  # two storefronts' shoppers are never one
        products.append(product)
        kinds.append(kind)
        times.append(int(at.timestamp()))
    items = np.array(
        sorted(Product.objects.filter(status=Product.Status.ACTIVE).values_list("id", flat=True)), dtype=np.int64
    )
    return Interactions.build(shoppers, products, kinds, times, items)


def item_features(item_ids: np.ndarray) -> np.ndarray:
    """The features of the interactions' items, row for row."""
    ids = item_ids.tolist()
    return features_matrix(ids, product_features(ids))


def offline_figures(
    train: Interactions, test: Interactions, features: np.ndarray, *, seed: int = 0, progress=None
) -> dict:
    """recall@10, NDCG@10 and coverage of the for-you model trained on `train`, and of the two baselines, on the
    same shoppers of the same split."""
    shoppers = held_out_shoppers(train, test, limit=TEST_SHOPPERS, seed=seed)
    model = for_you_train(train, iterations=ITERATIONS, seed=seed, progress=progress)
    figures = evaluate(
        lambda rows, h: model.scores(model.user_factors[rows], h, features), train, test, shoppers=shoppers
    )
    liked = popularity(train)
    co = CoOccurrence.fit(train)
    figures["baselines"] = {
        "popularity": evaluate(lambda rows, h: np.tile(liked, (len(rows), 1)), train, test, shoppers=shoppers),
        "co_occurrence": evaluate(lambda rows, h: co.scores(h), train, test, shoppers=shoppers),
    }
    baseline = figures["baselines"]["popularity"]["recall_at_10"]
    figures["lift_over_popularity"] = round(figures["recall_at_10"] / baseline, 3) if baseline else None
    return figures


PointFn = Callable[[dict], None]
PhaseFn = Callable[[str, int, int], None]


def recommender_train(
    *, name: str = RECOMMENDER_NAME, seed: int = 0, user=None, progress_fn: PointFn | None = None,
    phase_fn: PhaseFn | None = None, abort_fn: Callable[[], bool] | None = None, **_budget,
) -> GenerativeModel | None:  # fmt: skip
    """Returns the registered version, or None when cancelled. Raises StudioError when there are no events."""
    phase = phase_fn or (lambda what, done, total: None)
    started = time.monotonic()
    image_features_compute(progress=phase)
    if abort_fn and abort_fn():
        return None
    phase("reading shoppers' events", 0, 1)
    interactions = events_load()
    if not len(interactions):
        raise StudioError("There are no shoppers' events yet: import some (manage.py import_events) or send them.")
    features = item_features(interactions.item_ids)
    train, test = interactions.split_by_time(HELD_OUT)

    def point(offset: float):
        def report(iteration: int, loss: float) -> None:
            if progress_fn:
                fraction = offset + 0.45 * iteration / ITERATIONS
                progress_fn({"fraction": fraction, "step": iteration + (ITERATIONS if offset else 0),
                             "elapsed": time.monotonic() - started, "loss": loss})  # fmt: skip

        return report

    phase("measuring on the newest tenth of the events", 0, 1)
    figures = offline_figures(train, test, features, seed=seed, progress=point(0.05))
    if abort_fn and abort_fn():
        return None
    phase("training on every event", 0, 1)
    model = for_you_train(interactions, iterations=ITERATIONS, seed=seed, progress=point(0.5))
    figures |= {"events": len(interactions), "shoppers": len(interactions.user_ids),
                "held_out_from": int(test.times.min()) if len(test) else None}  # fmt: skip
    if progress_fn:
        progress_fn({"fraction": 1.0, "step": 2 * ITERATIONS, "elapsed": time.monotonic() - started, "loss": 0.0})
    version = _register(name, model, figures, user, newest=ShopperEvent.objects.aggregate(Max("at"))["at__max"])
    recommender_promote_if_better(model=version)
    return version


@transaction.atomic
def _register(name: str, model, figures: dict, user, newest) -> GenerativeModel:
    version, state = next_version(name, Family.RECS)
    buffer = io.BytesIO()
    model.save(buffer)
    row = GenerativeModel(
        name=name, version=version, family=Family.RECS, state=GenerativeModel.State.CANDIDATE,
        category_names=list(Category.objects.order_by("name").values_list("name", flat=True)), config=model.config,
        metrics=figures, steps=ITERATIONS, trained_on_photos_until=newest, created_by=user,
    )  # fmt: skip
    row.checkpoint.save(f"{name}-v{version}.npz", ContentFile(buffer.getvalue()), save=False)
    row.save()
    return row
