"""What copy says, before how: a plan is data built from the product's category, its attributes and the
merchandiser's own description alone (Reiter and Dale's content determination). Each fact keeps what it means to
a shopper (its benefit); the realiser may say a plan's facts and nothing else, so a fact the product lacks cannot
appear."""

from dataclasses import dataclass
from itertools import combinations

from generation.copy.descriptions import description_clauses

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

# How many facts each kind of copy can carry, at most: a headline says one thing, a long description most.
FACTS_PER_KIND = {"ad_headline": 2, "title": 3, "ad_description": 2, "description": 3, "description_long": 20}
# Short kinds choose among the product's most telling facts only: every subset of them is a plan. A title and a
# headline lead with what a shopper searches for: its colour, material and pattern, then who it is for.
SHORT_KIND_CHOICES = 5
SEARCHED_FIRST = ("colour", "material", "pattern", "audience", "tone", "surface")
SEARCHED_KINDS = {"title", "ad_headline"}
# A headline leads with the one fact that sells most: what the product is made of or how it is made sets it apart
# from its category's other products; its colour and who it is for, most of them share.
SELLS_FIRST = ("material", "describing", "pattern", "features", "occasion", "usage", "season", "colour", "audience")

# Never said: where the data came from, identifiers, the catalog's own taxonomy and its translations.
UNSAID = set(
    "source source_id source_index id sku ean gtin upc barcode year group master_category sub_category "
    "article_type".split()
)
# Where a field is said: "never", "long" (in long descriptions alone: care is a long description's last word) or
# "any". A shop changes these for its own fields (the Copy fields admin); these are the defaults.
DEFAULT_SAID_IN = {"price": "never", "care": "long"}
LONG_KINDS = {"description_long"}
DESCRIPTION = "description"  # a phrase of the merchandiser's own description, said in its own language only
# What else a shop's catalog holds, in the order a copywriter says it after the fields above: what it is made
# of and how it is cut, then its details, what it is for, then care.
CUT_FIELDS = ("pattern", "fit", "neckline", "collar", "closure", "length", "rise", "heel", "sole", "lining")
PURPOSE_FIELDS = ("occasion", "usage", "activity")
DESCRIBING_ENDINGS = ("ed", "able", "ible", "proof", "less", "-on", "-in", "lined", "ribbed")
KEEP_CASE = {"brand"}  # a name, said as the shop writes it
# The shop's own word for who it is for is our audience.
AUDIENCE_OF = {"men": "men", "women": "women", "unisex": "unisex", "boys": "kids", "girls": "kids", "kids": "kids"}


@dataclass(frozen=True)
class Fact:
    field: str
    value: str
    language: str | None = None  # a phrase of one language's description; None: said in any language

    @property
    def benefit(self) -> str:
        return BENEFITS.get((self.field, self.value), self.field)


@dataclass(frozen=True)
class CopyPlan:
    category: str
    facts: tuple[Fact, ...]  # in the order they are said: the first leads

    def holds(self, field: str, value: str) -> bool:
        return Fact(field, value) in self.facts


def _values(value) -> list[str]:
    """A list, or values separated by ";", as one value each; a single value as itself."""
    items = value if isinstance(value, list | tuple) else str(value).split(";")
    return [str(item).strip() for item in items if isinstance(item, str | int | float) and str(item).strip()]


def _rank(name: str) -> int:
    """Where a field is said: what it is, how it is cut, any other detail, what it is for, then care."""
    if name in FACT_FIELDS:
        return FACT_FIELDS.index(name)
    if name in CUT_FIELDS:
        return 10 + CUT_FIELDS.index(name)
    if name in PURPOSE_FIELDS:
        return 30 + PURPOSE_FIELDS.index(name)
    if name == DESCRIPTION:
        return 27
    if name == "care":
        return 50
    return 25  # a field we do not know: a detail, said after the cut and before the purpose


def _said(name: str, kind: str | None, said_in: dict[str, str]) -> bool:
    where = said_in.get(name, "any")
    return where == "any" or (where == "long" and (kind is None or kind in LONG_KINDS))


def product_facts(
    attributes: dict,
    *,
    kind: str | None = None,
    descriptions: dict[str, str] | None = None,
    said_in: dict[str, str] | None = None,
) -> list[Fact]:
    """Every fact the product holds that copy may say, in the order a copywriter would: what it is (season,
    sleeves, colour, material, tone, surface, audience), how it is cut, its details (one fact per item of a
    list such as `features`), the phrases of the merchandiser's description (`descriptions`: language -> text;
    long descriptions only, each said in its own language), what it is for, then care. Provenance, identifiers,
    translations (`*_zh`) and fields the kind does not say (`said_in`, over `DEFAULT_SAID_IN`) stay out. `kind`
    None: every kind's facts."""
    said_in = DEFAULT_SAID_IN | (said_in or {})
    facts: list[tuple[int, int, Fact]] = []
    for order, (name, value) in enumerate(attributes.items()):
        name = str(name).strip().lower()
        if name in UNSAID or name.endswith("_zh") or not _said(name, kind, said_in):
            continue
        if name == "color":
            name = "colour"
        if name == "gender":
            name = "audience"
            value = AUDIENCE_OF.get(str(value).strip().lower(), value)
        if name in ("colour", "audience") and any(f.field == name for _, _, f in facts):
            continue  # colour beside color, gender beside audience: the first says it
        for item in _values(value):
            facts.append((_rank(name), order, Fact(name, item if name in KEEP_CASE else item.lower())))
    if kind is None or kind in LONG_KINDS:
        for language, text in (descriptions or {}).items():
            for order, clause in enumerate(description_clauses(text or "", language)):
                facts.append((_rank(DESCRIPTION), order, Fact(DESCRIPTION, clause, language)))
    return [fact for _, _, fact in sorted(facts, key=lambda entry: entry[:2])]


def _sells(fact: Fact) -> int:
    field = "describing" if fact.field in ("features", "details") and describes(fact.value) else fact.field
    return SELLS_FIRST.index(field) if field in SELLS_FIRST else len(SELLS_FIRST)


def describes(value: str) -> bool:
    """A describing word or phrase ("fully lined", "packable", "slip-on"), not a thing ("flap pockets")."""
    return value.lower().rstrip().endswith(DESCRIBING_ENDINGS)


def copy_plans(
    category: str,
    attributes: dict,
    *,
    kind: str,
    descriptions: dict[str, str] | None = None,
    said_in: dict[str, str] | None = None,
) -> list[CopyPlan]:
    """The plans a kind can carry. Short kinds: each subset of the product's most telling facts (up to the kind's
    size), each of its facts in the lead once, the rest in order; different plans say different things, so
    variants differ in what they say, not only in word order. A headline leads with the fact that sells most. A
    long description: most of what the product holds, in the copywriter's order, once with each of its first
    facts in the lead. A product with no facts still has its category."""
    facts = product_facts(attributes, kind=kind, descriptions=descriptions, said_in=said_in)
    if not facts:
        return [CopyPlan(category, ())]
    if kind == "description_long":
        chosen = facts[: FACTS_PER_KIND[kind]]
        leads = chosen[: min(3, len(chosen))]
        return [CopyPlan(category, (lead, *(f for f in chosen if f != lead))) for lead in leads]
    plans = []
    if kind in SEARCHED_KINDS:
        facts = sorted(facts, key=lambda f: SEARCHED_FIRST.index(f.field) if f.field in SEARCHED_FIRST else 99)
    candidates = facts[:SHORT_KIND_CHOICES]
    best_seller = min(candidates, key=_sells) if kind == "ad_headline" else None
    for size in range(1, min(len(candidates), FACTS_PER_KIND[kind]) + 1):
        for subset in combinations(candidates, size):
            for lead in subset if best_seller is None else [best_seller] * (best_seller in subset):
                plans.append(CopyPlan(category, (lead, *(f for f in subset if f != lead))))
    return plans
