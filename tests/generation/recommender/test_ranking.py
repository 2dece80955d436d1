"""The rankings on tiny catalogs: visual neighbours, complete-the-look, the for-you row, the time split and the
offline figures, and the ALS model against the popularity baseline on shoppers with clear tastes."""

import numpy as np
from scipy import sparse

from generation.recommender.catalog import ItemTable
from generation.recommender.evaluation import evaluate, held_out_shoppers
from generation.recommender.foryou import for_you_rank
from generation.recommender.interactions import CART, PURCHASE, VIEW, Interactions
from generation.recommender.learners import Candidate, co_purchases, model_fit
from generation.recommender.scoring import ALS, ForYouModel
from generation.recommender.selection import CO_OCCURRENCE_BASELINE, POPULARITY_BASELINE


def als(data: Interactions, factors: int) -> ForYouModel:
    return model_fit(data, Candidate(ALS, factors=factors, regularization=0.05, popularity_weight=0.05, look=True))


def unit(*values) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def table() -> ItemTable:
    """Two shirts (category 1), a trouser pair (2), a bag (3): features say 10 and 11 look alike."""
    ids = [10, 11, 12, 20, 21, 30]
    categories = [1, 1, 1, 2, 2, 3]
    attributes = [{"tone": "dark"}, {"tone": "dark"}, {"tone": "light"}, {"tone": "light", "season": "cold weather"},
                  {"tone": "dark"}, {"tone": "light"}]  # fmt: skip
    features = np.stack(
        [unit(1, 0, 0), unit(0.95, 0.1, 0), unit(0, 1, 0), unit(0, 0, 1), unit(0.1, 0, 1), unit(1, 1, 1)]
    )
    return ItemTable.build(ids, categories, attributes, features)


def test_similar_items_are_the_nearest_by_look_and_never_the_product_itself():
    t = table()
    assert t.similar(t.features[t.row(10)], 3, leave_out=10)[:1] == [11]
    assert 10 not in t.similar(t.features[t.row(10)], 5, leave_out=10)


def test_a_product_without_features_has_no_similar_items_and_is_nobodys():
    t = table()
    t = t.with_features(np.array([t.row(11)]), np.zeros((1, 3), dtype=np.float32))
    assert t.similar(np.zeros(3, dtype=np.float32), 3) == []
    assert 11 not in t.similar(t.features[t.row(10)], 5, leave_out=10)


def test_complete_the_look_takes_paired_categories_in_turn_with_contrasting_tones_first():
    t = table()
    seed = t.seed(10, 1, {"tone": "dark"})
    look = t.complete_the_look(seed, pairings={2: 1.0, 3: 0.5}, co_purchased={}, k=3)
    assert look[0] == 20  # the light trouser contrasts with the dark shirt
    assert set(look) == {20, 21, 30} and look[1] == 30  # then the next category's best, then trousers again
    assert all(t.categories[t.row(p)] != 1 for p in look)
    # k in all, however many categories are paired: the rules never wade through k per category.
    assert len(t.complete_the_look(seed, pairings={2: 1.0, 3: 0.5}, co_purchased={}, k=2)) == 2


def test_season_clash_and_co_purchase_move_the_look():
    t = table()
    warm = t.seed(99, 1, {"tone": "dark", "season": "warm weather"})
    assert t.complete_the_look(warm, pairings={2: 1.0}, co_purchased={}, k=2) == [21]  # never the cold-weather pair
    # ... even when it is all a paired category has (a coat's look has no sandal)
    assert t.complete_the_look(warm, pairings={2: 1.0}, co_purchased={20: 1.0}, k=2) == [21]
    bought_together = t.complete_the_look(
        t.seed(10, 1, {"tone": "dark"}), pairings={2: 1.0}, co_purchased={21: 1.0}, k=2
    )
    assert bought_together[0] == 21


def events(rows) -> Interactions:
    shoppers, products, kinds, times = zip(*rows, strict=True)
    return Interactions.build(shoppers, products, kinds, times, [10, 11, 12, 20, 21, 30])


def test_for_you_leaves_out_what_the_shopper_chose_and_says_why():
    t = table()
    picks = for_you_rank(None, t, shopper="s", products=np.array([10, 20]), kinds=np.array([VIEW, PURCHASE]), k=5)
    shown = [p.product for p in picks]
    assert 10 not in shown and 20 not in shown
    # The purchase weighs most: first what looks like the trouser they bought, and why; then the viewed shirt's twin.
    assert shown[0] == 21 and picks[0].because == 20
    assert 11 in shown and next(p.because for p in picks if p.product == 11) == 10
    assert for_you_rank(None, t, shopper="new", products=np.array([]), kinds=np.array([]), k=5) == []


def test_for_you_only_shows_active_products():
    t = table()
    model = als(events([("a", 10, VIEW, 1), ("a", 11, CART, 2), ("b", 10, VIEW, 3), ("b", 99, VIEW, 4)]), factors=4)
    picks = for_you_rank(model, t, shopper="b", products=np.array([10]), kinds=np.array([VIEW]), k=10)
    assert {p.product for p in picks} <= set(t.ids.tolist())


def test_the_time_split_keeps_the_newest_tenth_apart():
    data = events([("a", 10, VIEW, t) for t in range(100)])
    train, test = data.split_by_time(0.1)
    assert len(train) == 90 and len(test) == 10 and train.times.max() < test.times.min()


def test_co_purchases_count_shoppers_who_bought_both():
    data = events([("a", 10, PURCHASE, 1), ("a", 20, CART, 2), ("b", 10, PURCHASE, 3), ("b", 20, PURCHASE, 4),
                   ("b", 30, VIEW, 5)])  # fmt: skip
    rows, counts = co_purchases(data)
    first = data.item_ids.tolist().index(10)
    assert data.item_ids[rows[first, 0]] == 20 and counts[first, 0] == 2  # the view of 30 is not a purchase
    assert rows[first, 1] == -1


def clustered_shop(seed: int = 0):
    """200 shoppers in 4 tastes of 25 products each, plus a few best sellers everyone views."""
    rng = np.random.default_rng(seed)
    item_ids = np.arange(1, 101)
    rows = []
    for shopper in range(200):
        taste = item_ids[(shopper % 4) * 25 : (shopper % 4 + 1) * 25]
        for t in range(30):
            product = rng.choice(taste) if rng.random() < 0.8 else rng.choice(item_ids[:5])
            rows.append((f"s{shopper}", int(product), VIEW, t * 1000 + shopper))
    shoppers, products, kinds, times = zip(*rows, strict=True)
    return Interactions.build(shoppers, products, kinds, times, item_ids)


def test_als_beats_popularity_on_shoppers_with_clear_tastes():
    train, test = clustered_shop().split_by_time(0.2)
    shoppers = held_out_shoppers(train, test, limit=500)
    model = als(train, factors=8)
    learnt = evaluate(lambda rows, h: model.scores(h, None, model.user_factors[rows]), train, test, shoppers=shoppers)
    liked = model_fit(train, POPULARITY_BASELINE)
    baseline = evaluate(lambda rows, h: liked.scores(h, None), train, test, shoppers=shoppers)
    co = model_fit(train, CO_OCCURRENCE_BASELINE)
    items = evaluate(lambda rows, h: co.scores(h, None), train, test, shoppers=shoppers)
    assert learnt["recall_at_10"] > 2 * baseline["recall_at_10"]
    assert items["recall_at_10"] > baseline["recall_at_10"]
    assert learnt["coverage"] > baseline["coverage"]
    assert 0 < learnt["ndcg_at_10"] <= 1


def test_the_recall_counts_hits_among_what_was_chosen_next():
    train = events([("a", 10, VIEW, 1), ("b", 10, VIEW, 2)])
    test = events([("a", 20, VIEW, 3), ("b", 21, VIEW, 4)])
    # A scorer that puts 20 first for everyone: shopper a is a hit, shopper b a miss.
    perfect_for_a = np.zeros(6, dtype=np.float32)
    perfect_for_a[train.item_ids.tolist().index(20)] = 1
    figures = evaluate(lambda rows, h: np.tile(perfect_for_a, (len(rows), 1)), train, test,
                       shoppers=np.array([0, 1]), k=1)  # fmt: skip
    assert figures["recall_at_1"] == 0.5 and figures["shoppers_measured"] == 2


def test_a_saved_model_loads_as_it_was(tmp_path):
    model = als(clustered_shop(), factors=4)
    path = tmp_path / "model.npz"
    with path.open("wb") as handle:
        model.save(handle)
    with path.open("rb") as handle:
        loaded = ForYouModel.load(handle)
    assert np.array_equal(loaded.user_ids, model.user_ids) and np.allclose(loaded.item_factors, model.item_factors)
    assert loaded.user_rows(np.array(["s3", "nobody"])).tolist()[1] == -1


def test_a_shopper_the_model_never_saw_is_folded_in_from_their_events():
    data = clustered_shop()
    model = als(data, factors=8)
    taste = np.arange(0, 25)  # the first taste's products, by row
    history = sparse.csr_matrix((np.ones(5, dtype=np.float32), (np.zeros(5, dtype=int), taste[:5])), shape=(1, 100))
    scores = (model.folded_in(history) @ model.item_factors.T)[0]
    top = np.argsort(-scores)[:10]
    assert np.isin(top, taste).mean() >= 0.7


def test_because_names_the_shoppers_newest_product_among_equally_close_ones():
    t = table()
    # The two trousers made to look the same: every product shown is as close to one as to the other, and the
    # reason names whichever the shopper viewed last (not the higher id).
    newest_last = np.array([21, 20])
    t = t.with_features(np.array([t.row(20), t.row(21)]), np.stack([unit(0, 0, 1), unit(0, 0, 1)]))
    picks = for_you_rank(None, t, shopper="s", products=newest_last, kinds=np.array([VIEW, VIEW]), k=5)
    assert {p.because for p in picks} == {20}
    picks = for_you_rank(None, t, shopper="s", products=newest_last[::-1], kinds=np.array([VIEW, VIEW]), k=5)
    assert {p.because for p in picks} == {21}


def test_a_look_is_for_one_person_a_mens_shirt_gets_mens_or_unisex_trousers():
    ids, categories = [1, 2, 3, 4], [1, 2, 2, 2]
    attributes = [{"gender": "Men"}, {"gender": "Women", "tone": "light"}, {"gender": "Men"}, {"gender": "Unisex"}]
    t = ItemTable.build(ids, categories, attributes, np.eye(4, dtype=np.float32))
    assert set(t.complete_the_look(t.seed(1, 1, {"gender": "Men"}), pairings={2: 1.0}, co_purchased={}, k=3)) == {3, 4}
    women = t.complete_the_look(t.seed(9, 1, {"gender": "Women"}), pairings={2: 1.0}, co_purchased={}, k=3)
    assert set(women) == {2, 4}
    assert len(t.complete_the_look(t.seed(9, 1, {}), pairings={2: 1.0}, co_purchased={}, k=3)) == 3  # unsaid: anyone
