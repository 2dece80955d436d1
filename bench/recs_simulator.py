"""The project's own shoppers for `make bench-recs`: each has one to three tastes (a pair of categories that
go together, a tone, and a collection of products within them, some far more wanted than others), views far
more than they cart or buy, and now and then buys a second piece that goes with the first. Their tastes hold
over the whole period, so what they did before a time says something about what they do after it, as in a
real shop; a tenth of their events are drawn from the whole catalog's popular products instead."""

from dataclasses import dataclass

import numpy as np

TASTES = 300
COLLECTION = 400  # products in a taste's collection
DAYS = 90


@dataclass
class SimulatedEvents:
    shoppers: np.ndarray  # (E,) str
    products: np.ndarray  # (E,) product ids
    kinds: np.ndarray  # (E,) 1 view, 2 cart, 3 purchase
    times: np.ndarray  # (E,) seconds since the epoch

    def __len__(self) -> int:
        return len(self.shoppers)


def simulate(
    product_ids: np.ndarray, categories: np.ndarray, tones: np.ndarray, pairs: list[tuple[int, int]], *,
    shoppers: int, events: int, start: int, seed: int = 0,
) -> SimulatedEvents:  # fmt: skip
    """`events` events of `shoppers` shoppers over DAYS days from `start` (epoch seconds), time-ordered;
    `pairs` are (category, category) that go together, as the pairing rules say."""
    rng = np.random.default_rng(seed)
    product_ids, categories, tones = map(np.asarray, (product_ids, categories, tones))
    collections, zipf = [], 1.0 / np.arange(1, COLLECTION + 1) ** 0.9
    for _ in range(TASTES):
        a, b = pairs[rng.integers(len(pairs))]
        tone = tones[rng.integers(len(tones))]
        pool = np.flatnonzero(np.isin(categories, (a, b)) & (tones == tone))
        if len(pool) < 20:
            pool = np.flatnonzero(np.isin(categories, (a, b)))
        collections.append(rng.choice(pool, size=min(COLLECTION, len(pool)), replace=False))
    popular = rng.permutation(len(product_ids))[:2000]
    popular_weights = 1.0 / np.arange(1, len(popular) + 1)
    popular_weights /= popular_weights.sum()
    # Shoppers' activity is long-tailed: a few do much, most little.
    activity = rng.lognormal(0.0, 1.0, size=shoppers)
    per_shopper = np.maximum(1, np.round(activity / activity.sum() * events)).astype(np.int64)
    users, items, kinds = [], [], []
    for shopper, count in enumerate(per_shopper):
        tastes = rng.choice(TASTES, size=rng.integers(1, 4), replace=False)
        mix = rng.dirichlet(np.ones(len(tastes)))
        chosen_taste = tastes[rng.choice(len(tastes), size=count, p=mix)]
        picks = np.empty(count, dtype=np.int64)
        for taste in np.unique(chosen_taste):
            where = np.flatnonzero(chosen_taste == taste)
            pool = collections[taste]
            weights = zipf[: len(pool)] / zipf[: len(pool)].sum()
            picks[where] = pool[rng.choice(len(pool), size=len(where), p=weights)]
        from_popular = rng.random(count) < 0.1
        picks[from_popular] = popular[rng.choice(len(popular), size=from_popular.sum(), p=popular_weights)]
        kind = rng.choice([1, 2, 3], size=count, p=[0.8, 0.12, 0.08])
        users.append(np.full(count, shopper))
        items.append(picks)
        kinds.append(kind)
    users, items, kinds = np.concatenate(users)[:events], np.concatenate(items)[:events], np.concatenate(kinds)[:events]
    times = start + np.sort(rng.integers(0, DAYS * 86400, size=len(users)))
    order = rng.permutation(len(users))  # shoppers' events interleaved in time
    return SimulatedEvents(
        shoppers=np.array([f"shopper-{u:05d}" for u in users[order]]), products=product_ids[items[order]],
        kinds=kinds[order].astype(np.int8), times=times,
    )  # fmt: skip
