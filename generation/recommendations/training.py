"""Training the recommender in a worker: image features first (any still missing), then the shoppers' events
as they are now (an erased shopper is simply not there), the model chosen on the shop's own time split among
candidates that include the popularity and co-occurrence baselines, the chosen one fitted on every event, the
category pairings learnt from the baskets, and the version registered with every candidate's figures; it
replaces the active one only if it beats it."""

import io
import time
from collections.abc import Callable

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from catalog.models import Category, Product
from generation.models import Family, GenerativeModel
from generation.recommendations.features import image_features_compute
from generation.recommendations.models import ShopperEvent, shopper_key
from generation.recommendations.rules import pairings_learnt_replace
from generation.recommendations.snapshot import features_matrix, product_features
from generation.recommendations.versions import (
    RECOMMENDER_NAME,
    RECS_BUDGET_MINUTES,
    recommender_promote_if_better,
)
from generation.recommender.interactions import Interactions
from generation.recommender.learners import model_fit
from generation.recommender.pairings import pairings_learn
from generation.recommender.selection import (
    CO_OCCURRENCE_BASELINE,
    HELD_OUT,
    POPULARITY_BASELINE,
    Selection,
    Trial,
    model_select,
)
from generation.services.models import next_version
from retail_studio.errors import StudioError

SELECTION_SHARE = 0.8  # of the budget (and of the progress bar): the rest is the final fit on every event


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


def item_categories(item_ids: np.ndarray) -> np.ndarray:
    """Each of the interactions' items' category id, row for row."""
    category_of = dict(Product.objects.filter(pk__in=item_ids.tolist()).values_list("id", "category_id"))
    return np.array([category_of.get(int(i), 0) for i in item_ids], dtype=np.int64)


def selection_figures(selection: Selection) -> dict:
    """The chosen candidate's figures, the baselines' and every candidate's, on the same shoppers of one split."""
    best = selection.best
    baseline = selection.of(POPULARITY_BASELINE)["recall_at_10"]
    return best.figures | {
        "chosen": best.candidate.label,
        "baselines": {
            "popularity": selection.of(POPULARITY_BASELINE),
            "co_occurrence": selection.of(CO_OCCURRENCE_BASELINE),
        },
        "candidates": [trial.as_dict() for trial in selection.trials],
        "lift_over_popularity": round(best.figures["recall_at_10"] / baseline, 3) if baseline else None,
    }


PointFn = Callable[[dict], None]
PhaseFn = Callable[[str, int, int], None]


def recommender_train(
    *,
    name: str = RECOMMENDER_NAME,
    seed: int = 0,
    user=None,
    minutes: float | None = None,
    progress_fn: PointFn | None = None,
    phase_fn: PhaseFn | None = None,
    abort_fn: Callable[[], bool] | None = None,
    **_budget,
) -> GenerativeModel | None:
    """The model chosen on the shop's own split (within `minutes`), fitted on every event and registered;
    returns None when cancelled. Raises StudioError when there are no events."""
    phase = phase_fn or (lambda what, done, total: None)
    started = time.monotonic()
    image_features_compute(progress=phase)
    if abort_fn and abort_fn():
        return None
    phase("reading shoppers' events", 0, 1)
    interactions = events_load()
    if not len(interactions):
        raise StudioError(
            gettext("There are no shoppers' events yet: import some (manage.py import_events) or send them.")
        )
    features = item_features(interactions.item_ids)
    categories = item_categories(interactions.item_ids)
    train, test = interactions.split_by_time(HELD_OUT)
    budget = (minutes or RECS_BUDGET_MINUTES) * 60 * SELECTION_SHARE

    def measured(trial: Trial, done: int, planned: int) -> None:
        phase(f"measured: {trial.candidate.label}", done, planned)
        if progress_fn:  # the job's chart: each candidate's recall@10 as it is measured
            fraction = SELECTION_SHARE * min(done / planned, 1.0)
            elapsed = time.monotonic() - started
            progress_fn({"fraction": fraction, "step": done, "elapsed": elapsed, "loss": trial.figures["recall_at_10"]})

    selection = model_select(
        train,
        test,
        item_categories=categories,
        features=features,
        budget_seconds=budget,
        seed=seed,
        progress=measured,
    )
    if abort_fn and abort_fn():
        return None
    chosen = selection.best.candidate
    phase(f"fitting on every event: {chosen.label}", 0, 1)
    model = model_fit(interactions, chosen, item_categories=categories, seed=seed)
    figures = selection_figures(selection) | {
        "events": len(interactions),
        "shoppers": len(interactions.user_ids),
        "held_out_from": int(test.times.min()) if len(test) else None,
    }
    phase("learning pairings from baskets", 0, 1)
    figures["learnt_pairings"] = pairings_learnt_replace(learnt=pairings_learn(interactions, categories))
    version = _register(name, model, figures, user, newest=ShopperEvent.objects.aggregate(Max("at"))["at__max"])
    recommender_promote_if_better(model=version)
    return version


@transaction.atomic
def _register(name: str, model, figures: dict, user, newest) -> GenerativeModel:
    version, state = next_version(name, Family.RECS)
    buffer = io.BytesIO()
    model.save(buffer)
    row = GenerativeModel(
        name=name,
        version=version,
        family=Family.RECS,
        state=GenerativeModel.State.CANDIDATE,
        category_names=list(Category.objects.order_by("name").values_list("name", flat=True)),
        config=model.config,
        metrics=figures,
        steps=len(figures["candidates"]),
        trained_on_photos_until=newest,
        created_by=user,
    )
    row.checkpoint.save(f"{name}-v{version}.npz", ContentFile(buffer.getvalue()), save=False)
    row.save()
    return row
