"""A shopper's for-you row at serving time, over the products active now: the model's learnt scores for the
products it knows, the look of every product (a new one too), popularity; the products the shopper already
viewed, carted or bought left out; and for each product the one of the shopper's that it is most like
("because you viewed ...")."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from generation.recommender.catalog import ItemTable
from generation.recommender.interactions import EVENT_WEIGHTS, positions
from generation.recommender.scoring import ALS, POPULARITY_WEIGHT, ForYouModel, blended_scores


@dataclass(frozen=True)
class Aligned:
    """Where the model's items sit in the table (built once per model and table, not per request)."""

    model_rows: np.ndarray  # the model's items that are still active, as rows of the model
    table_rows: np.ndarray  # ... and as rows of the table
    popularity: np.ndarray  # (N,) over the table; 0 for products the model never saw


def aligned(model: ForYouModel, table: ItemTable) -> Aligned:
    shared = table.rows(model.item_ids)
    known = np.flatnonzero(shared >= 0)
    popularity = np.zeros(len(table), dtype=np.float32)
    popularity[shared[known]] = model.popularity[known]
    return Aligned(known, shared[known], popularity)


@dataclass(frozen=True)
class Pick:
    product: int
    score: float
    because: int | None  # the shopper's own product this one is most like; None: popular with shoppers


def for_you_rank(
    model: ForYouModel | None,
    table: ItemTable,
    *,
    shopper: str,
    products: np.ndarray,
    kinds: np.ndarray,
    k: int,
    on_table: Aligned | None = None,
) -> list[Pick]:
    """The top `k` for `shopper`, whose events are `products` (ids) and `kinds`, newest last; `on_table` is
    `aligned(model, table)` when the caller keeps it."""
    if model is None and not len(products):
        return []  # nothing known of the shop's shoppers or of this one: no row rather than an arbitrary one
    rows = table.rows(np.asarray(products, dtype=np.int64))
    weights = EVENT_WEIGHTS[np.asarray(kinds, dtype=np.int64)]
    seen = rows >= 0
    history = sparse.csr_matrix(
        (weights[seen], (np.zeros(seen.sum(), dtype=np.int64), rows[seen])), shape=(1, len(table)), dtype=np.float32
    )
    history.sum_duplicates()
    learnt, popularity = np.zeros((1, len(table)), dtype=np.float32), np.zeros(len(table), np.float32)
    features, popularity_weight = table.features, POPULARITY_WEIGHT  # no model: the look and a nudge of popularity
    if model is not None and len(model.item_ids):
        on_table = on_table or aligned(model, table)
        popularity, popularity_weight = on_table.popularity, model.popularity_weight
        features = table.features if model.look else None
        own = _model_history(model, products, weights)
        if own is not None:
            learnt[0, on_table.table_rows] = model.learnt(own, _known_factors(model, shopper))[0, on_table.model_rows]
    scores = blended_scores(learnt, history, features, popularity, popularity_weight)[0]
    # What the shopper already chose is left out (bought above all): the row is for what they have not seen,
    # as the offline figures measure it.
    scores[rows[seen]] = -np.inf
    k = min(k, int(np.isfinite(scores).sum()))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    because = _because(table, _newest_first(rows[seen]), top)
    return [Pick(int(table.ids[i]), float(scores[i]), b) for i, b in zip(top, because, strict=True)]


def _model_history(model: ForYouModel, products: np.ndarray, weights: np.ndarray) -> sparse.csr_matrix | None:
    """The shopper's events over the model's items (1 x I), or None when it knows none of them (no events, an
    erased shopper too: what the model learnt of them is not used)."""
    items = positions(model.item_ids, products) if len(products) else np.empty(0, dtype=np.int64)
    known = items >= 0
    if not known.any():
        return None
    history = sparse.csr_matrix(
        (weights[known], (np.zeros(known.sum(), dtype=np.int64), items[known])),
        shape=(1, len(model.item_ids)),
        dtype=np.float32,
    )
    history.sum_duplicates()
    return history


def _known_factors(model: ForYouModel, shopper: str) -> np.ndarray | None:
    """The shopper's learnt factors when the model was trained on them (None: folded in from their events)."""
    if model.kind != ALS:
        return None
    row = model.user_rows(np.array([shopper]))[0]
    return model.user_factors[row : row + 1] if row >= 0 else None


def _newest_first(rows: np.ndarray) -> np.ndarray:
    """The shopper's products' rows (their events' order, newest last), each once, the newest first."""
    backwards = rows[::-1]
    _, first = np.unique(backwards, return_index=True)
    return backwards[np.sort(first)]


def _because(table: ItemTable, own: np.ndarray, rows: np.ndarray) -> list[int | None]:
    """For each of `rows`, the shopper's own product (`own`, newest first) it looks most like: the newest of
    those it looks equally like, and the newest when none has features."""
    if not len(own):
        return [None] * len(rows)
    closeness = table.features[rows] @ table.features[own].T
    nearest = np.where(closeness.max(axis=1) > 0, closeness.argmax(axis=1), 0)
    return [int(p) for p in table.ids[own[nearest]]]
