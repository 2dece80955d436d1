"""Shoppers' events as arrays, one row an event, and the matrices the models learn from."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

VIEW, CART, PURCHASE = 1, 2, 3
# How much an event says about a shopper's taste: a purchase more than a cart, a cart more than a view.
EVENT_WEIGHTS = np.array([0.0, 1.0, 3.0, 5.0], dtype=np.float32)


def positions(keys: np.ndarray, values) -> np.ndarray:
    """Where each of `values` stands in the sorted `keys`, or -1 for one that is not there: how products and
    shoppers are found in the models' and the tables' sorted ids."""
    values = np.asarray(values, dtype=keys.dtype if keys.dtype.kind != "U" else None)
    if not len(keys):
        return np.full(len(values), -1, dtype=np.int64)
    position = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return np.where(keys[position] == values, position, -1)


@dataclass(frozen=True)
class Interactions:
    users: np.ndarray  # (E,) int32: a row of user_ids
    items: np.ndarray  # (E,) int32: a row of item_ids
    kinds: np.ndarray  # (E,) int8: VIEW, CART or PURCHASE
    times: np.ndarray  # (E,) int64: seconds since the epoch
    user_ids: np.ndarray  # (U,) the shops' shopper ids
    item_ids: np.ndarray  # (I,) product ids: every product that can be recommended, with events or not

    @classmethod
    def build(cls, shoppers, products, kinds, times, item_ids) -> "Interactions":
        """From parallel sequences of shopper ids, product ids, kinds and times; events of products not in
        `item_ids` are left out."""
        item_ids = np.asarray(item_ids, dtype=np.int64)
        position = positions(item_ids, np.asarray(products, dtype=np.int64))
        known = position >= 0
        user_ids, users = np.unique(np.asarray(shoppers, dtype=object)[known].astype(str), return_inverse=True)
        return cls(
            users=users.astype(np.int32), items=position[known].astype(np.int32),
            kinds=np.asarray(kinds, dtype=np.int8)[known], times=np.asarray(times, dtype=np.int64)[known],
            user_ids=user_ids, item_ids=item_ids,
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.users)

    def select(self, mask: np.ndarray) -> "Interactions":
        """A subset of the events, with the same shopper and item indexes."""
        return Interactions(
            self.users[mask], self.items[mask], self.kinds[mask], self.times[mask], self.user_ids, self.item_ids
        )

    def split_by_time(self, held_out: float = 0.1) -> tuple["Interactions", "Interactions"]:
        """The newest `held_out` share of events apart: a model learns from the past and is judged on what
        shoppers did next, as it will be used."""
        cutoff = np.quantile(self.times, 1.0 - held_out) if len(self) else 0
        return self.select(self.times < cutoff), self.select(self.times >= cutoff)

    def matrix(self, kinds: tuple[int, ...] = (VIEW, CART, PURCHASE)) -> sparse.csr_matrix:
        """Shoppers x items, each cell the summed weight of that shopper's events with that item."""
        mask = np.isin(self.kinds, kinds)
        return sparse.csr_matrix(
            (EVENT_WEIGHTS[self.kinds[mask]], (self.users[mask], self.items[mask])),
            shape=(len(self.user_ids), len(self.item_ids)), dtype=np.float32,
        ).tocsr()  # fmt: skip
