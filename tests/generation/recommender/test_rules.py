"""The merchandisers' rules on plain lists: one function, one order (exclude, pin, boost, bury)."""

from datetime import UTC, datetime, timedelta

from generation.recommender.rules import BOOST, BURY, EXCLUDE, PIN, Rule, rules_apply

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
# Products 1-9: 1-3 shirts (category 10), 4-6 trousers (20), 7-9 bags (30); 9 is not active.
CATEGORY = {1: 10, 2: 10, 3: 10, 4: 20, 5: 20, 6: 20, 7: 30, 8: 30}
RANKED = [1, 2, 3, 4, 5, 6, 7, 8, 9]


def apply(rules, placement="similar", k=9, eligible=lambda p: True, ranked=RANKED, now=NOW):
    return rules_apply(ranked, rules, placement=placement, now=now, category_of=CATEGORY, eligible=eligible, k=k)


def test_without_rules_the_ranking_is_kept_and_only_active_products_are_shown():
    assert apply([]) == [1, 2, 3, 4, 5, 6, 7, 8]  # 9 has no category here: it is not active


def test_a_pin_takes_the_first_place_and_the_newest_pin_comes_first():
    assert apply([Rule(1, PIN, product=5)])[:2] == [5, 1]
    assert apply([Rule(1, PIN, product=5), Rule(2, PIN, product=7)])[:3] == [7, 5, 1]


def test_a_pinned_product_the_ranking_did_not_propose_is_put_in_first():
    assert apply([Rule(1, PIN, product=8)], ranked=[1, 2, 3], k=3) == [8, 1, 2]


def test_an_exclusion_beats_a_pin_and_is_never_shown():
    shown = apply([Rule(1, PIN, product=5), Rule(2, EXCLUDE, product=5)])
    assert 5 not in shown and shown[0] == 1


def test_a_category_exclusion_removes_all_of_it():
    assert apply([Rule(1, EXCLUDE, category=20)]) == [1, 2, 3, 7, 8]


def test_boosted_come_before_the_rest_and_buried_after_in_their_ranked_order():
    assert apply([Rule(1, BOOST, category=30), Rule(2, BURY, product=1)]) == [7, 8, 2, 3, 4, 5, 6, 1]


def test_rules_of_another_placement_or_outside_their_dates_do_nothing():
    other = Rule(1, PIN, product=5, placement="for_you")
    later = Rule(2, PIN, product=6, starts_at=NOW + timedelta(days=1))
    ended = Rule(3, EXCLUDE, product=1, ends_at=NOW - timedelta(seconds=1))
    assert apply([other, later, ended]) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert apply([other], placement="for_you")[0] == 5
    assert apply([later], now=NOW + timedelta(days=2))[0] == 6


def test_a_pin_never_shows_a_product_that_may_not_be_shown():
    bought = {5}
    assert 5 not in apply([Rule(1, PIN, product=5)], eligible=lambda p: p not in bought)
    assert 9 not in apply([Rule(1, PIN, product=9)])  # not active


def test_k_cuts_the_row_after_the_rules():
    assert apply([Rule(1, PIN, product=8)], k=3) == [8, 1, 2]
