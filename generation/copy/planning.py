"""What copy says, before how: a plan is data built from the product's category and attributes alone (Reiter
and Dale's content determination). Each fact keeps what it means to a shopper (its benefit); the realiser may
say a plan's facts and nothing else, so a fact the product lacks cannot appear."""

from dataclasses import dataclass
from itertools import combinations

# The facts copy may speak of, most telling first: what the product is for, then how it looks.
FACT_FIELDS = ("season", "sleeves", "colour", "material", "tone", "surface", "audience")

# What a fact means to a shopper; a bank says it in each language and style. A value without an entry here
# is still a fact (a colour, a material): its benefit is the field's own ("in navy", "made of linen").
BENEFITS = {
    ("season", "cold weather"): "warmth",
    ("season", "warm weather"): "cool",
    ("sleeves", "long"): "cover",
    ("sleeves", "short"): "ease",
    ("tone", "dark"): "versatile",
    ("tone", "light"): "fresh",
    ("tone", "mid"): "easy",
    ("surface", "patterned"): "stands_out",
    ("surface", "plain"): "clean",
}

# How many facts each kind of copy can carry, at most: a headline says one thing, a long description all.
FACTS_PER_KIND = {"ad_headline": 2, "title": 3, "ad_description": 2, "description": 3, "description_long": 7}


@dataclass(frozen=True)
class Fact:
    field: str
    value: str

    @property
    def benefit(self) -> str:
        return BENEFITS.get((self.field, self.value), self.field)


@dataclass(frozen=True)
class CopyPlan:
    category: str
    facts: tuple[Fact, ...]  # in the order they are said: the first leads

    def holds(self, field: str, value: str) -> bool:
        return Fact(field, value) in self.facts


def product_facts(attributes: dict) -> list[Fact]:
    """The product's facts copy may speak of, most telling first; provenance and unknown fields stay out."""
    facts = []
    for name in FACT_FIELDS:
        value = attributes.get(name) or (attributes.get("color") if name == "colour" else None)
        if isinstance(value, str | int | float) and str(value).strip():
            facts.append(Fact(name, str(value).strip().lower()))
    return facts


def copy_plans(category: str, attributes: dict, *, kind: str) -> list[CopyPlan]:
    """Every plan a kind can carry: each subset of the facts (up to the kind's size), each of its facts in the
    lead once, the rest in order of importance. Different plans say different things, so variants that come
    from different plans differ in what they say, not only in word order. A product with no facts still has
    its category."""
    facts = product_facts(attributes)
    plans = [] if facts else [CopyPlan(category, ())]
    for size in range(1, min(len(facts), FACTS_PER_KIND[kind]) + 1):
        for chosen in combinations(facts, size):
            for lead in chosen:
                plans.append(CopyPlan(category, (lead, *(f for f in chosen if f != lead))))
    return plans
