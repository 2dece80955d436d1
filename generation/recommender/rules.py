"""Merchandisers' rules on a ranked row, in one function and one order: exclusions go first (an excluded
product is never shown, whatever else says), then pins take the first places (the newest pin first), boosted
products come before the rest and buried ones after them; within each tier the ranking's order is kept."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

PIN, BOOST, BURY, EXCLUDE = "pin", "boost", "bury", "exclude"
ACTIONS = (PIN, BOOST, BURY, EXCLUDE)
SIMILAR, COMPLETE_THE_LOOK, FOR_YOU, ALL = "similar", "complete_the_look", "for_you", "all"
PLACEMENTS = (SIMILAR, COMPLETE_THE_LOOK, FOR_YOU)
_TIER = {PIN: 0, BOOST: 1, BURY: 3}
_NORMAL = 2


@dataclass(frozen=True)
class Rule:
    id: int
    action: str
    product: int | None = None  # a product id, or
    category: int | None = None  # a category id: the rule is about every product in it
    placement: str = ALL
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def in_force(self, placement: str, now: datetime) -> bool:
        return (
            self.placement in (ALL, placement)
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or now < self.ends_at)
        )

    def matches(self, product: int, category_of: Mapping[int, int]) -> bool:
        if self.product is not None:
            return product == self.product
        return category_of.get(product) == self.category


def rules_apply(
    ranked: Sequence[int], rules: Sequence[Rule], *, placement: str, now: datetime, category_of: Mapping[int, int],
    eligible: Callable[[int], bool], k: int,
) -> list[int]:  # fmt: skip
    """The first `k` of `ranked` (product ids, best first) after the rules in force for `placement` at `now`.
    A pinned product the ranking did not propose is put in too, when `eligible` (active, not the product in
    view, not bought): a pin means "show this first". `category_of` maps every product id to its category."""
    rules = [rule for rule in rules if rule.in_force(placement, now)]
    excluded = [rule for rule in rules if rule.action == EXCLUDE]
    pins = sorted((rule for rule in rules if rule.action == PIN), key=lambda rule: -rule.id)
    pinned_products = [rule.product for rule in pins if rule.product is not None]
    candidates = list(dict.fromkeys([*pinned_products, *ranked]))
    shown = [
        p for p in candidates
        if eligible(p) and p in category_of and not any(rule.matches(p, category_of) for rule in excluded)
    ]  # fmt: skip

    def tier(product: int) -> tuple[int, int]:
        for position, rule in enumerate(pins):  # among pins, the newest first
            if rule.matches(product, category_of):
                return _TIER[PIN], position
        tiers = [
            _TIER[rule.action] for rule in rules if rule.action in (BOOST, BURY) and rule.matches(product, category_of)
        ]
        return (min(tiers) if tiers else _NORMAL), 0

    order = {product: position for position, product in enumerate(ranked)}
    # Pinned products the ranking did not propose sit after the ranked ones of their tier.
    return sorted(shown, key=lambda p: (*tier(p), order.get(p, len(order))))[:k]
