"""Offline figures on a time split: what each shopper did after the cutoff, against the top k recommended from
what they did before it (products they had already chosen left out, as a row of "new for you" would)."""

from collections.abc import Callable

import numpy as np
from scipy import sparse

from generation.recommender.interactions import Interactions

# scores(shopper rows, their events before the cutoff) -> (B, I)
ScoreFn = Callable[[np.ndarray, sparse.csr_matrix], np.ndarray]
BATCH = 512


def held_out_shoppers(train: Interactions, test: Interactions, *, limit: int, seed: int = 0) -> np.ndarray:
    """Shoppers with events on both sides of the cutoff, at most `limit` of them (a fixed sample)."""
    both = np.intersect1d(np.unique(train.users), np.unique(test.users))
    if len(both) > limit:
        both = np.sort(np.random.default_rng(seed).choice(both, size=limit, replace=False))
    return both


def evaluate(score: ScoreFn, train: Interactions, test: Interactions, *, shoppers: np.ndarray, k: int = 10) -> dict:
    """recall@k (hits over the smaller of k and what the shopper chose next), NDCG@k and catalog coverage (the
    share of items that are in someone's top k)."""
    before, after = train.matrix().tocsr(), test.matrix().tocsr()
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    recalls, ndcgs, shown = [], [], np.zeros(len(train.item_ids), dtype=bool)
    for start in range(0, len(shoppers), BATCH):
        rows = shoppers[start : start + BATCH]
        history = before[rows]
        scores = score(rows, history)
        scores[history.nonzero()] = -np.inf  # already chosen
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1), axis=1)
        for i, row in enumerate(rows):
            truth = set(after.indices[after.indptr[row] : after.indptr[row + 1]]) - set(
                history.indices[history.indptr[i] : history.indptr[i + 1]]
            )
            if not truth:
                continue
            hits = np.array([item in truth for item in top[i]])
            shown[top[i]] = True
            recalls.append(hits.sum() / min(k, len(truth)))
            ndcgs.append((hits * discount).sum() / discount[: min(k, len(truth))].sum())
    return {
        f"recall_at_{k}": round(float(np.mean(recalls)), 4) if recalls else 0.0,
        f"ndcg_at_{k}": round(float(np.mean(ndcgs)), 4) if ndcgs else 0.0,
        "coverage": round(float(shown.mean()), 4) if len(shown) else 0.0,
        "shoppers_measured": len(recalls),
    }
