"""Category pairings learnt from planted baskets: what shoppers put in one basket pairs, what only shares a
shop's best sellers does not, and nothing pairs with itself."""

import numpy as np

from generation.recommender.interactions import CART, PURCHASE, VIEW, Interactions
from generation.recommender.pairings import pairings_learn

DAY = 86_400


def planted(seed: int = 0) -> tuple[Interactions, np.ndarray]:
    """Products 1-60 in categories 10, 20, ... 60 (ten each). Shoppers buy a shirt (10) with trousers (20), or
    shoes (30) with a bag (40), on the same day; socks (50) go into any basket now and then; 60 is only viewed."""
    rng = np.random.default_rng(seed)
    item_ids = np.arange(1, 61)
    categories = (item_ids - 1) // 10 * 10 + 10
    rows = []
    for shopper in range(300):
        for day in range(4):
            first, second = (10, 20) if rng.random() < 0.5 else (30, 40)
            basket = [first, second] + ([50] if rng.random() < 0.3 else [])
            for category in basket:
                product = int(rng.choice(item_ids[categories == category]))
                rows.append((f"s{shopper}", product, rng.choice([CART, PURCHASE]), day * DAY + 3600 + shopper))
            rows.append((f"s{shopper}", int(rng.choice(item_ids[categories == 60])), VIEW, day * DAY + 7200))
    shoppers, products, kinds, times = zip(*rows, strict=True)
    return Interactions.build(shoppers, products, kinds, times, item_ids), categories


def test_categories_bought_in_one_basket_pair_with_their_lift_and_support():
    data, categories = planted()
    learnt = {(p.category, p.goes_with): p for p in pairings_learn(data, categories)}
    assert {(10, 20), (20, 10), (30, 40), (40, 30)} <= set(learnt)
    shirt_trousers = learnt[(10, 20)]
    assert shirt_trousers.lift > 1.8 and shirt_trousers.support > 500 and shirt_trousers.weight == 1.0
    assert not {(10, 30), (10, 40), (30, 20)} & set(learnt)  # never in one basket
    assert all(p.category != p.goes_with for p in learnt.values())
    assert not any(60 in pair for pair in learnt)  # views are not baskets
    # Socks go into any basket: no more often with one category than chance, so no pairing.
    assert not any(p.goes_with == 50 and p.lift >= 1.2 for p in learnt.values())


def test_too_few_baskets_teach_nothing():
    data, categories = planted()
    few = data.select(data.users < 3)
    assert pairings_learn(few, categories) == []
    assert pairings_learn(data.select(data.kinds == VIEW), categories) == []
