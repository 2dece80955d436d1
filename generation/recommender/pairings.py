"""Which categories complete each other's look, learnt from baskets: a shopper's carts and purchases of one day
are a basket, and category B goes with category A when baskets holding A hold B more often than B's share of
all baskets (lift), in at least a minimum of baskets (support). A category never pairs with itself."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from generation.recommender.interactions import CART, PURCHASE, Interactions

BASKET_SECONDS = 86_400
MIN_SUPPORT = 10  # baskets holding both: fewer is chance
MIN_LIFT = 1.2
KEPT = 5  # the strongest pairings per category


@dataclass(frozen=True)
class LearntPairing:
    category: int
    goes_with: int
    lift: float  # how many times more often than chance the two share a basket
    support: int  # the baskets holding both
    weight: float  # the lift as a share of the category's strongest pairing's, (0, 1]


def baskets(interactions: Interactions, item_categories: np.ndarray) -> sparse.csr_matrix:
    """Baskets x categories, 1 where a basket holds a product of the category (`item_categories`: a category
    code per item, codes from 0)."""
    chosen = np.flatnonzero(np.isin(interactions.kinds, (CART, PURCHASE)))
    if not len(chosen):
        return sparse.csr_matrix((0, int(item_categories.max(initial=0)) + 1), dtype=np.float32)
    keys = interactions.users[chosen].astype(np.int64) * (1 << 32) + interactions.times[chosen] // BASKET_SECONDS
    _, basket = np.unique(keys, return_inverse=True)
    held = sparse.csr_matrix(
        (np.ones(len(chosen), dtype=np.float32), (basket, item_categories[interactions.items[chosen]])),
        shape=(int(basket.max()) + 1, int(item_categories.max()) + 1),
    )
    held.data[:] = 1.0  # a basket holds a category or not, however many of its products
    return held


def pairings_learn(
    interactions: Interactions,
    item_categories: np.ndarray,
    *,
    min_support: int = MIN_SUPPORT,
    min_lift: float = MIN_LIFT,
    kept: int = KEPT,
) -> list[LearntPairing]:
    """For each category, up to `kept` others by lift, each with at least `min_support` baskets and `min_lift`;
    `item_categories`: each item's category id. Strongest first within a category."""
    ids, codes = np.unique(np.asarray(item_categories, dtype=np.int64), return_inverse=True)
    held = baskets(interactions, codes)
    total = held.shape[0]
    if not total:
        return []
    together = (held.T @ held).tocoo()
    alone = np.asarray(held.sum(axis=0)).ravel()
    keep = (together.row != together.col) & (together.data >= min_support)
    a, b, both = together.row[keep], together.col[keep], together.data[keep]
    lift = both * total / (alone[a] * alone[b])
    strong = lift >= min_lift
    a, b, both, lift = a[strong], b[strong], both[strong], lift[strong]
    learnt = []
    for category in np.unique(a):
        mine = np.flatnonzero(a == category)
        mine = mine[np.argsort(-lift[mine], kind="stable")][:kept]
        top = lift[mine[0]]
        learnt += [
            LearntPairing(
                int(ids[category]),
                int(ids[b[i]]),
                round(float(lift[i]), 3),
                int(both[i]),
                round(float(lift[i] / top), 3),
            )
            for i in mine
        ]
    return learnt
