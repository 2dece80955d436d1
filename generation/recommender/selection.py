"""The for-you model chosen per shop on its own time split, as Gorse and RecBole tune per dataset: popularity,
item co-occurrence, popularity in the shopper's categories, item kNN and ALS over a small grid sized to the
data, and blends of each with popularity and with the look of the shopper's products, every one measured on
the same shoppers of the same split. The two baselines are candidates too, so the one chosen is never below
the better of them on that split. A budget bounds the search: the cheap candidates first, the grid as time
allows."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from generation.recommender.evaluation import evaluate, held_out_shoppers
from generation.recommender.interactions import Interactions
from generation.recommender.learners import BM25, RAW, Candidate, model_fit
from generation.recommender.scoring import ALS, CATEGORY_POPULARITY, ITEM_KNN, POPULARITY, ForYouModel

HELD_OUT = 0.1  # the newest tenth of a shop's events is what its candidates are measured on
TEST_SHOPPERS = 5000
POPULARITY_BASELINE = Candidate(POPULARITY, popularity_weight=1.0)
CO_OCCURRENCE_BASELINE = Candidate(ITEM_KNN, neighbours=50)  # shoppers' items' neighbours alone
NEIGHBOURS = (20, 200)
FACTORS = (32, 64, 128)
REGULARIZATIONS = (0.05, 1.0)
BLEND_WEIGHTS = (0.05, 0.5, 2.0)  # popularity beside a learnt part scaled to at most 1


@dataclass(frozen=True)
class Trial:
    candidate: Candidate
    figures: dict  # recall_at_10, ndcg_at_10, coverage, shoppers_measured
    seconds: float

    def as_dict(self) -> dict:
        return {"label": self.candidate.label, **self.figures, "seconds": round(self.seconds, 2)}


@dataclass
class Selection:
    trials: list[Trial] = field(default_factory=list)

    @property
    def best(self) -> Trial:
        """By recall@10, NDCG@10 among equals; the earlier (simpler) of two that tie."""
        return max(self.trials, key=lambda t: (t.figures["recall_at_10"], t.figures["ndcg_at_10"]))

    def of(self, candidate: Candidate) -> dict:
        return next(t.figures for t in self.trials if t.candidate == candidate)


ProgressFn = Callable[[Trial, int, int], None]  # (the trial just measured, trials done, trials planned)


def model_select(
    train: Interactions,
    test: Interactions,
    *,
    item_categories: np.ndarray | None = None,
    features: np.ndarray | None = None,
    budget_seconds: float = 300.0,
    seed: int = 0,
    progress: ProgressFn | None = None,
) -> Selection:
    """Every candidate fitted on `train` and measured on what the same shoppers did in `test`; `features`: the
    items' image features (N, D), None or all zeros when the shop has none; `item_categories`: a code per item."""
    began = time.monotonic()
    shoppers = held_out_shoppers(train, test, limit=TEST_SHOPPERS, seed=seed)
    has_look = features is not None and bool(features.any())
    selection = Selection()
    planned = 4 + len(NEIGHBOURS) + len(FACTORS) + 2 * len(BLEND_WEIGHTS)

    def measure(candidate: Candidate, model: ForYouModel) -> Trial:
        started = time.monotonic()
        figures = evaluate(
            lambda rows, history: model.scores_of_its_shoppers(rows, history, features),
            train,
            test,
            shoppers=shoppers,
        )
        trial = Trial(candidate, figures, time.monotonic() - started)
        selection.trials.append(trial)
        if progress:
            progress(trial, len(selection.trials), planned)
        return trial

    def fitted(candidate: Candidate) -> ForYouModel:
        return model_fit(train, candidate, item_categories=item_categories, seed=seed)

    def in_budget() -> bool:
        return time.monotonic() - began < budget_seconds

    # The baselines always: what nothing else may fall below.
    measure(POPULARITY_BASELINE, fitted(POPULARITY_BASELINE))
    measure(CO_OCCURRENCE_BASELINE, fitted(CO_OCCURRENCE_BASELINE))
    if item_categories is not None and len(np.unique(item_categories)) > 1:
        candidate = Candidate(CATEGORY_POPULARITY)
        measure(candidate, fitted(candidate))
    models: dict[Candidate, ForYouModel] = {}
    for neighbours in NEIGHBOURS:
        if in_budget():
            candidate = Candidate(ITEM_KNN, neighbours=neighbours)
            models[candidate] = fitted(candidate)
            measure(candidate, models[candidate])
    # ALS: factors first (no more than a quarter of the smaller side of the matrix), then regularisation, then
    # the events' weighting, each step keeping the best so far.
    sides = min(len(train.user_ids), len(train.item_ids))
    best_als: Trial | None = None
    for step in ("factors", "regularization", "weighting"):
        options = {
            "factors": [f for f in FACTORS if f <= max(8, sides // 4)] or [8],
            "regularization": REGULARIZATIONS,
            "weighting": (BM25, RAW),
        }[step]
        for value in options:
            base = best_als.candidate if best_als else Candidate(ALS, factors=64, regularization=0.05)
            candidate = replace(base, **{step: value})
            if candidate in models or not in_budget():
                continue
            models[candidate] = fitted(candidate)
            trial = measure(candidate, models[candidate])
            if best_als is None or trial.figures["recall_at_10"] > best_als.figures["recall_at_10"]:
                best_als = trial
    # Blends of the best learnt part of each kind with popularity and, where the shop has photos, the look.
    for kind in (ITEM_KNN, ALS):
        tried = [t for t in selection.trials if t.candidate.kind == kind and t.candidate in models]
        if not tried:
            continue
        best = max(tried, key=lambda t: t.figures["recall_at_10"]).candidate
        for weight in BLEND_WEIGHTS:
            for look in (False, True) if has_look else (False,):
                candidate = replace(best, popularity_weight=weight, look=look)
                if in_budget() and candidate not in (t.candidate for t in selection.trials):
                    measure(candidate, replace(models[best], popularity_weight=weight, look=look))
    return selection
