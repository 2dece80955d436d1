"""What learns from interactions (in a worker): popularity, co-purchases for complete-the-look, and the for-you
model of each kind the selection tries (selection.py): item kNN by implicit's cosine neighbours, ALS factors by
implicit's ALS, category popularity."""

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from implicit.cpu.als import AlternatingLeastSquares
from implicit.nearest_neighbours import CosineRecommender, bm25_weight
from implicit.utils import ParameterWarning
from threadpoolctl import threadpool_limits

from generation.recommender.interactions import CART, PURCHASE, Interactions
from generation.recommender.scoring import ALS, CATEGORY_POPULARITY, ITEM_KNN, POPULARITY, ForYouModel

CO_PURCHASES_KEPT = 20
ITERATIONS = 15  # ALS iterations of a fit
BM25, RAW = "bm25", "raw"  # how ALS weighs the events: BM25 damps heavy shoppers and best sellers


def popularity(interactions: Interactions) -> np.ndarray:
    """Each item's summed event weight, the most popular 1."""
    counts = np.asarray(interactions.matrix().sum(axis=0)).ravel()
    return (counts / counts.max()).astype(np.float32) if counts.max() > 0 else counts.astype(np.float32)


def co_purchases(interactions: Interactions, kept: int = CO_PURCHASES_KEPT) -> tuple[np.ndarray, np.ndarray]:
    """For each item, the items most often carted or bought by the same shoppers: (I, kept) item rows (-1 for
    none) and their counts, most first."""
    bought = interactions.matrix(kinds=(CART, PURCHASE))
    bought.data[:] = 1.0
    together = (bought.T @ bought).tocsr()
    together.setdiag(0)
    together.eliminate_zeros()
    rows = np.full((together.shape[0], kept), -1, dtype=np.int32)
    counts = np.zeros((together.shape[0], kept), dtype=np.float32)
    for item in np.flatnonzero(np.diff(together.indptr)):
        start, end = together.indptr[item], together.indptr[item + 1]
        order = np.argsort(-together.data[start:end], kind="stable")[:kept]
        rows[item, : len(order)] = together.indices[start:end][order]
        counts[item, : len(order)] = together.data[start:end][order]
    return rows, counts


@dataclass(frozen=True)
class Candidate:
    """One configuration the selection measures: a kind and its parameters, and how it is blended when served."""

    kind: str
    popularity_weight: float = 0.0
    look: bool = False
    neighbours: int = 0  # item kNN
    factors: int = 0  # ALS ...
    regularization: float = 0.0
    weighting: str = BM25

    @property
    def label(self) -> str:
        part = {
            POPULARITY: "popularity",
            CATEGORY_POPULARITY: "popularity in the shopper's categories",
            ITEM_KNN: f"item kNN ({self.neighbours} neighbours)",
            ALS: f"ALS ({self.factors} factors, regularisation {self.regularization:g}, {self.weighting} weights)",
        }[self.kind]
        if self.kind not in (POPULARITY, CATEGORY_POPULARITY) and self.popularity_weight:
            part += f" + popularity x{self.popularity_weight:g}"
        return part + (" + the look" if self.look else "")


ProgressFn = Callable[[int, float], None]  # (iteration done, training loss)


def model_fit(
    interactions: Interactions,
    candidate: Candidate,
    *,
    item_categories: np.ndarray | None = None,
    seed: int = 0,
    progress: ProgressFn | None = None,
) -> ForYouModel:
    """The for-you model `candidate` describes, fitted on `interactions` (`item_categories`: (I,) a code per
    item, for category popularity)."""
    rows, counts = co_purchases(interactions)
    model = ForYouModel(
        item_ids=interactions.item_ids,
        popularity=popularity(interactions),
        co_purchase_rows=rows,
        co_purchase_counts=counts,
        kind=candidate.kind,
        popularity_weight=candidate.popularity_weight,
        look=candidate.look,
        config={"candidate": candidate.label, "kind": candidate.kind, "seed": seed},
    )
    if candidate.kind == ITEM_KNN:
        knn = CosineRecommender(K=candidate.neighbours)
        with warnings.catch_warnings():  # it normalises the matrix into another format itself, and says so
            warnings.simplefilter("ignore", ParameterWarning)
            knn.fit(interactions.matrix(), show_progress=False)
        model.similarity = knn.similarity.tocsr().astype(np.float32)
    elif candidate.kind == CATEGORY_POPULARITY:
        model.item_categories = np.asarray(item_categories, dtype=np.int32)
    elif candidate.kind == ALS:
        model.user_ids = interactions.user_ids.astype(str)
        model.user_factors, model.item_factors = _als(interactions, candidate, seed=seed, progress=progress)
        model.regularization = candidate.regularization
    return model


def _als(interactions: Interactions, candidate: Candidate, *, seed: int, progress: ProgressFn | None):
    """Measured on the simulated shop's time split (make bench-recs), BM25 weights took recall@10 from 0.112
    (raw weights) to 0.154 at 64 factors; other shops differ, which is why the selection tries both."""
    matrix = interactions.matrix()
    weighted = bm25_weight(matrix, K1=100, B=0.8).tocsr() if candidate.weighting == BM25 else matrix
    with threadpool_limits(1, "blas"):  # implicit parallelises itself; BLAS threads on top of it only contend
        als = AlternatingLeastSquares(
            factors=candidate.factors,
            regularization=candidate.regularization,
            iterations=ITERATIONS,
            random_state=seed,
            calculate_training_loss=progress is not None,
        )
        callback = (lambda iteration, _elapsed, loss: progress(iteration + 1, float(loss))) if progress else None
        als.fit(weighted.astype(np.float32).tocsr(), show_progress=False, callback=callback)
    return np.asarray(als.user_factors, dtype=np.float32), np.asarray(als.item_factors, dtype=np.float32)
