"""The model chosen per shop on its own split: popularity where nothing beats it, a learnt model where shoppers
have tastes, and on three differently shaped shops a served row never below the better baseline on a later
split it was not chosen on."""

import numpy as np
import pytest

from generation.recommender.evaluation import evaluate, held_out_shoppers
from generation.recommender.interactions import CART, PURCHASE, VIEW, Interactions
from generation.recommender.learners import Candidate, model_fit
from generation.recommender.scoring import ALS, ITEM_KNN
from generation.recommender.selection import CO_OCCURRENCE_BASELINE, POPULARITY_BASELINE, model_select


def taste_shop(shoppers: int, items: int, per_shopper: int, *, taste_share: float, views: float = 0.8, seed: int = 0):
    """Shoppers of 8 tastes (a collection of products each, some wanted more than others); `taste_share` of each
    shopper's events are of their taste, the rest of the whole shop's best sellers; events spread over time."""
    rng = np.random.default_rng(seed)
    item_ids = np.arange(1, items + 1)
    collections = np.array_split(rng.permutation(items), 8)
    best_sellers = 1.0 / np.arange(1, items + 1) ** 1.1
    best_sellers /= best_sellers.sum()
    rows = []
    for shopper in range(shoppers):
        taste = collections[shopper % 8]
        weights = 1.0 / np.arange(1, len(taste) + 1) ** 0.7
        for _ in range(rng.integers(per_shopper // 2, per_shopper * 3 // 2 + 1)):
            if rng.random() < taste_share:
                row = taste[rng.choice(len(taste), p=weights / weights.sum())]
            else:
                row = rng.choice(items, p=best_sellers)
            kind = VIEW if rng.random() < views else rng.choice([CART, PURCHASE])
            rows.append((f"s{shopper}", int(item_ids[row]), kind, int(rng.integers(0, 10**7))))
    shopper_ids, products, kinds, times = zip(*rows, strict=True)
    return Interactions.build(shopper_ids, products, kinds, times, item_ids), (item_ids % 6)


def measured(model, train, test, shoppers):
    return evaluate(
        lambda rows, history: model.scores_of_its_shoppers(rows, history, None),
        train,
        test,
        shoppers=shoppers,
    )["recall_at_10"]


def test_where_nothing_beats_popularity_popularity_is_chosen():
    data, categories = taste_shop(800, 300, 12, taste_share=0.0)
    train, test = data.split_by_time(0.2)
    selection = model_select(train, test, item_categories=categories, budget_seconds=60)
    assert selection.best.candidate == POPULARITY_BASELINE, [t.as_dict() for t in selection.trials]


@pytest.mark.parametrize(
    ("shape", "winner"),
    [
        # Many events per product: the neighbours of a shopper's products say it best.
        (dict(shoppers=600, items=400, per_shopper=20, taste_share=0.85), ITEM_KNN),
        # Few shoppers over many products: neighbours are thin, the factors generalise.
        (dict(shoppers=150, items=1500, per_shopper=12, taste_share=0.7), ALS),
    ],
)
def test_where_shoppers_have_tastes_the_learnt_model_that_wins_is_chosen(shape, winner):
    data, categories = taste_shop(**shape, seed=1)
    train, test = data.split_by_time(0.2)
    selection = model_select(train, test, item_categories=categories, budget_seconds=60)
    best = selection.best
    assert best.candidate.kind == winner, [t.as_dict() for t in selection.trials]
    assert best.figures["recall_at_10"] > 1.2 * selection.of(POPULARITY_BASELINE)["recall_at_10"]
    assert {t.candidate.kind for t in selection.trials} == {"popularity", "category_popularity", ITEM_KNN, ALS}
    factors = {t.candidate.factors for t in selection.trials if t.candidate.kind == ALS}
    # The grid is sized to the data: no more factors than a quarter of the shoppers or products.
    assert factors == {f for f in (32, 64, 128) if f <= min(len(train.user_ids), len(train.item_ids)) // 4}


def test_a_small_budget_still_measures_the_baselines():
    data, categories = taste_shop(200, 100, 10, taste_share=0.5)
    train, test = data.split_by_time(0.2)
    selection = model_select(train, test, budget_seconds=0.0)
    assert {t.candidate for t in selection.trials} == {POPULARITY_BASELINE, CO_OCCURRENCE_BASELINE}


@pytest.mark.parametrize(
    "shape",
    [
        dict(shoppers=150, items=1500, per_shopper=12, taste_share=0.7),  # few shoppers, many products
        dict(shoppers=3000, items=60, per_shopper=6, taste_share=0.5),  # many shoppers, few products
        dict(shoppers=800, items=300, per_shopper=15, taste_share=0.6, views=0.97),  # mostly views
    ],
    ids=["few-shoppers-many-products", "many-shoppers-few-products", "mostly-views"],
)
def test_the_served_row_is_never_below_the_better_baseline_on_a_later_split(shape):
    data, categories = taste_shop(**shape, seed=1)
    train, later = data.split_by_time(0.15)
    selection = model_select(*train.split_by_time(0.15), item_categories=categories, budget_seconds=60)
    shoppers = held_out_shoppers(train, later, limit=5000)
    chosen = measured(model_fit(train, selection.best.candidate, item_categories=categories), train, later, shoppers)
    baselines = [
        measured(model_fit(train, c), train, later, shoppers) for c in (POPULARITY_BASELINE, CO_OCCURRENCE_BASELINE)
    ]
    assert chosen >= 0.97 * max(baselines), (selection.best.candidate.label, chosen, baselines)


def test_a_chosen_model_of_each_kind_saves_and_loads_as_it_was(tmp_path):
    data, categories = taste_shop(100, 60, 8, taste_share=0.8)
    for candidate in (
        POPULARITY_BASELINE,
        Candidate("category_popularity"),
        CO_OCCURRENCE_BASELINE,
        Candidate(ALS, factors=4, regularization=0.05, popularity_weight=0.5),
    ):
        model = model_fit(data, candidate, item_categories=categories)
        path = tmp_path / "model.npz"
        with path.open("wb") as handle:
            model.save(handle)
        with path.open("rb") as handle:
            loaded = type(model).load(handle)
        history = data.matrix()[:5]
        factors = model.user_factors[:5] if model.kind == ALS else None
        assert (loaded.kind, loaded.popularity_weight, loaded.look) == (model.kind, model.popularity_weight, False)
        assert np.allclose(loaded.scores(history, None, factors), model.scores(history, None, factors))
