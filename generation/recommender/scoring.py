"""The for-you model as it is served, with NumPy alone: a learnt part (ALS factors, item kNN or category
popularity, as the shop's own split chose) blended with popularity and with the shopper's taste in image
features, so a shopper with few events leans on what their products look like, and one with none on popularity."""

from dataclasses import dataclass, field
from functools import cached_property

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


# What a version's learnt part is (the selection on the shop's own split chooses one, selection.py): nothing
# but popularity; popularity within the categories the shopper chose; items chosen by the same shoppers as
# theirs (item kNN); or implicit's ALS factors.
POPULARITY, CATEGORY_POPULARITY, ITEM_KNN, ALS = "popularity", "category_popularity", "item_knn", "als"
KINDS = (POPULARITY, CATEGORY_POPULARITY, ITEM_KNN, ALS)
# A shopper's categories lift their products; other categories keep this share of their popularity.
OTHER_CATEGORIES = 0.1


def _empty(*shape) -> np.ndarray:
    return np.zeros(shape, dtype=np.float32)


@dataclass
class ForYouModel:
    """The served for-you model, as plain arrays (the web serves it with NumPy alone): its learnt part of one
    `kind`, blended with popularity by `popularity_weight` and, when `look`, with the look of the shopper's
    products."""

    item_ids: np.ndarray  # (I,) product ids
    popularity: np.ndarray  # (I,) in [0, 1]
    co_purchase_rows: np.ndarray  # (I, kept), -1 for none
    co_purchase_counts: np.ndarray
    kind: str = ALS
    popularity_weight: float = POPULARITY_WEIGHT
    look: bool = True
    user_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=str))  # (U,) sorted (ALS)
    user_factors: np.ndarray = field(default_factory=lambda: _empty(0, 0))  # (U, F) (ALS)
    item_factors: np.ndarray = field(default_factory=lambda: _empty(0, 0))  # (I, F) (ALS)
    regularization: float = 0.0
    similarity: sparse.csr_matrix | None = None  # (I, I) item to item (item kNN)
    item_categories: np.ndarray | None = None  # (I,) category codes (category popularity)
    config: dict = field(default_factory=dict)

    ARRAYS = ("item_ids", "user_ids", "user_factors", "item_factors", "popularity", "co_purchase_rows",
              "co_purchase_counts")  # fmt: skip

    def save(self, handle) -> None:
        arrays = {name: getattr(self, name) for name in self.ARRAYS}
        arrays["user_ids"] = arrays["user_ids"].astype(str)
        if self.similarity is not None:
            arrays |= {
                "similarity_data": self.similarity.data,
                "similarity_indices": self.similarity.indices,
                "similarity_indptr": self.similarity.indptr,
            }
        if self.item_categories is not None:
            arrays["item_categories"] = self.item_categories
        np.savez_compressed(
            handle,
            regularization=np.float32(self.regularization),
            kind=np.str_(self.kind),
            popularity_weight=np.float32(self.popularity_weight),
            look=np.bool_(self.look),
            **arrays,
        )

    @classmethod
    def load(cls, handle, config: dict | None = None) -> "ForYouModel":
        with np.load(handle, allow_pickle=False) as data:
            similarity = None
            if "similarity_data" in data:
                n = len(data["item_ids"])
                similarity = sparse.csr_matrix(
                    (data["similarity_data"], data["similarity_indices"], data["similarity_indptr"]), shape=(n, n)
                )
            # Versions saved before the selection were ALS with the look: what the defaults say.
            return cls(
                **{name: data[name] for name in cls.ARRAYS},
                regularization=float(data["regularization"]),
                kind=str(data["kind"]) if "kind" in data else ALS,
                popularity_weight=float(data["popularity_weight"])
                if "popularity_weight" in data
                else POPULARITY_WEIGHT,
                look=bool(data["look"]) if "look" in data else True,
                similarity=similarity,
                item_categories=data["item_categories"] if "item_categories" in data else None,
                config=config or {},
            )

    def user_rows(self, shoppers: np.ndarray) -> np.ndarray:
        """Each shopper's row of user_factors, or -1 for one the model never saw."""
        return positions(self.user_ids, shoppers)

    @cached_property
    def gram(self) -> np.ndarray:
        """VᵀV + λI over the item factors: the same for every shopper folded in, and at 70,000 items most of
        the time of folding one in, so computed once per loaded model."""
        v = self.item_factors
        return v.T @ v + self.regularization * np.eye(v.shape[1], dtype=np.float32)

    def folded_in(self, history: sparse.csr_matrix) -> np.ndarray:
        """Factors for shoppers the model never saw, from their events, by one ALS step against the frozen item
        factors (as implicit's recalculate_user does): a new shopper is personal from their first view."""
        v, gram = self.item_factors, self.gram
        out = np.zeros((history.shape[0], v.shape[1]), dtype=np.float32)
        for row in range(history.shape[0]):
            items = history.indices[history.indptr[row] : history.indptr[row + 1]]
            if len(items):
                confidence = history.data[history.indptr[row] : history.indptr[row + 1]]
                vh = v[items]
                a = gram + vh.T @ (vh * (confidence - 1.0)[:, None])
                out[row] = np.linalg.solve(a, vh.T @ confidence)
        return out

    def learnt(self, history: sparse.csr_matrix, factors: np.ndarray | None = None) -> np.ndarray:
        """(B, I) the learnt part's scores for B shoppers over this model's items, from their events (B x I) and,
        for ALS, their factors (None: folded in from the events)."""
        if self.kind == ALS:
            factors = self.folded_in(history) if factors is None else factors
            return factors @ self.item_factors.T
        if self.kind == ITEM_KNN:
            return np.asarray((history @ self.similarity).todense(), dtype=np.float32)
        if self.kind == CATEGORY_POPULARITY:
            chosen = history.copy()
            chosen.data[:] = 1.0
            codes = self.item_categories
            per_category = np.zeros((history.shape[0], int(codes.max()) + 1 if len(codes) else 1), np.float32)
            rows = np.repeat(np.arange(history.shape[0]), np.diff(chosen.indptr))
            np.add.at(per_category, (rows, codes[chosen.indices]), 1.0)
            share = per_category / np.maximum(per_category.sum(axis=1, keepdims=True), 1.0)
            return (share[:, codes] + OTHER_CATEGORIES) * self.popularity[None, :]
        return np.zeros(history.shape, dtype=np.float32)

    def scores(
        self, history: sparse.csr_matrix, features: np.ndarray | None, factors: np.ndarray | None = None
    ) -> np.ndarray:
        """(B, I) served scores over this model's items for B shoppers (`features`: the items' image features)."""
        return blended_scores(
            self.learnt(history, factors),
            history,
            features if self.look else None,
            self.popularity,
            self.popularity_weight,
        )

    def scores_of_its_shoppers(
        self, rows: np.ndarray, history: sparse.csr_matrix, features: np.ndarray | None
    ) -> np.ndarray:
        """`scores` for shoppers it was fitted on (`rows` of user_factors: their learnt factors where ALS has
        them), as the offline figures ask for them."""
        return self.scores(history, features, self.user_factors[rows] if self.kind == ALS else None)


def blended_scores(
    learnt: np.ndarray,
    history: sparse.csr_matrix,
    features: np.ndarray | None,
    popularity: np.ndarray,
    popularity_weight: float = POPULARITY_WEIGHT,
) -> np.ndarray:
    """The for-you blend over N items: the learnt scores (B, N), trusted as a shopper's events grow, and the
    rest from how close each item looks to what the shopper chose (`history`, B x N weights; `features`, (N, D)
    unit rows, zeros where an item has none), and popularity (N,) by `popularity_weight`."""
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
    return blended + popularity_weight * popularity[None, :]
