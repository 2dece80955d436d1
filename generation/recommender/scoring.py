"""The for-you model as it is served, with NumPy alone: implicit's ALS factors blended with the shopper's taste in
image features, so a shopper with few events leans on what their products look like, and one with none on
popularity."""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from generation.recommender.interactions import positions

# A shopper's events at which the learnt factors and the look of their products weigh the same: after a few
# events the factors know a shopper better than the look of what they chose does.
BLEND_EVENTS = 2.0
# Past this trust in the factors (18 events) the look is left out: it would move the row by a tenth at most,
# and computing it is half of a for-you request's time.
TRUSTED = 0.9
POPULARITY_WEIGHT = 0.05  # a nudge: between two equally fitting products, the one more shoppers chose


def _row_max_normalised(scores: np.ndarray) -> np.ndarray:
    top = np.abs(scores).max(axis=1, keepdims=True)
    return scores / np.where(top > 0, top, 1.0)


def _row_spread(scores: np.ndarray) -> np.ndarray:
    """Each row from its lowest (0) to its highest (1), NaN (left out) as 0: image features' cosines crowd near
    1, the factors' do not."""
    low, high = np.nanmin(scores, axis=1, keepdims=True), np.nanmax(scores, axis=1, keepdims=True)
    return np.nan_to_num((scores - low) / np.where(high > low, high - low, 1.0), nan=0.0)


def normalised_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)


@dataclass
class ForYouModel:
    """The trained for-you model, as plain arrays (the web serves it with NumPy alone)."""

    item_ids: np.ndarray  # (I,) product ids
    user_ids: np.ndarray  # (U,) shopper ids, sorted
    user_factors: np.ndarray  # (U, F)
    item_factors: np.ndarray  # (I, F)
    popularity: np.ndarray  # (I,) in [0, 1]
    co_purchase_rows: np.ndarray  # (I, kept), -1 for none
    co_purchase_counts: np.ndarray
    regularization: float
    config: dict = field(default_factory=dict)

    ARRAYS = ("item_ids", "user_ids", "user_factors", "item_factors", "popularity", "co_purchase_rows",
              "co_purchase_counts")  # fmt: skip

    def save(self, handle) -> None:
        arrays = {name: getattr(self, name) for name in self.ARRAYS}
        arrays["user_ids"] = arrays["user_ids"].astype(str)
        np.savez_compressed(handle, regularization=np.float32(self.regularization), **arrays)

    @classmethod
    def load(cls, handle, config: dict | None = None) -> "ForYouModel":
        with np.load(handle, allow_pickle=False) as data:
            return cls(**{name: data[name] for name in cls.ARRAYS}, regularization=float(data["regularization"]),
                       config=config or {})  # fmt: skip

    def user_rows(self, shoppers: np.ndarray) -> np.ndarray:
        """Each shopper's row of user_factors, or -1 for one the model never saw."""
        return positions(self.user_ids, shoppers)

    def folded_in(self, history: sparse.csr_matrix) -> np.ndarray:
        """Factors for shoppers the model never saw, from their events, by one ALS step against the frozen item
        factors (as implicit's recalculate_user does): a new shopper is personal from their first view."""
        v = self.item_factors
        gram = v.T @ v + self.regularization * np.eye(v.shape[1], dtype=np.float32)
        out = np.zeros((history.shape[0], v.shape[1]), dtype=np.float32)
        for row in range(history.shape[0]):
            items = history.indices[history.indptr[row] : history.indptr[row + 1]]
            if len(items):
                confidence = history.data[history.indptr[row] : history.indptr[row + 1]]
                vh = v[items]
                a = gram + vh.T @ (vh * (confidence - 1.0)[:, None])
                out[row] = np.linalg.solve(a, vh.T @ confidence)
        return out

    def scores(self, factors: np.ndarray, history: sparse.csr_matrix, features: np.ndarray | None) -> np.ndarray:
        """(B, I) scores over this model's items for B shoppers, given their factors and their events (B x I)."""
        return blended_scores(factors @ self.item_factors.T, history, features, self.popularity)


def blended_scores(
    learnt: np.ndarray, history: sparse.csr_matrix, features: np.ndarray | None, popularity: np.ndarray
) -> np.ndarray:  # fmt: skip
    """The for-you blend over N items: the learnt scores (B, N), trusted as a shopper's events grow, and the
    rest from how close each item looks to what the shopper chose (`history`, B x N weights; `features`, (N, D)
    unit rows, zeros where an item has none), with a nudge of popularity (N,)."""
    counts = np.diff(history.indptr).astype(np.float32)
    trust = (counts / (counts + BLEND_EVENTS))[:, None]
    # Each part is scaled over what the shopper has not chosen yet (what a row can show): the factors fit the
    # chosen products best, and would otherwise squeeze every other score towards nothing.
    unchosen = np.ones(history.shape, dtype=bool)
    unchosen[history.nonzero()] = False
    blended = trust * _row_max_normalised(np.where(unchosen, learnt, 0.0))
    looking = np.flatnonzero(trust[:, 0] < TRUSTED)  # shoppers whose look still counts
    if features is not None and len(looking):
        taste = normalised_rows(np.asarray(history[looking] @ features))
        looks = _row_spread(np.where(unchosen[looking], taste @ features.T, np.nan))
        blended[looking] += (1.0 - trust[looking]) * looks
    return blended + POPULARITY_WEIGHT * popularity[None, :]
