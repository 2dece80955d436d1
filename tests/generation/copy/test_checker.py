"""The checker of form, without Django: each class of mistake found, and right texts left alone."""

import pytest

from generation.copy.checker import form_problems, indefinite_article

NOUNS = ["tshirt", "casual shoe", "shoe", "coat", "bag", "dress"]


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("umber", "an"),
        ("one-off", "a"),
        ("oversized", "an"),
        ("unisex", "a"),
        ("unlined", "an"),
        ("hour", "an"),
        ("user", "a"),
        ("navy", "a"),
        ("elegant", "an"),
        ("euro", "a"),
        ("honest", "an"),
        ("uninspired", "an"),
    ],
)
def test_a_or_an_by_sound(word, article):
    assert indefinite_article(word) == article


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The tone of the The plain light bag is light.", "doubled article"),
        ("A a coat.", "doubled article"),
        ("这款这款T恤。", "doubled article"),
        ("T恤，男女同款款式。", "doubled article"),
        ("Bag,", "stray punctuation"),
        (". Bag.", "stray punctuation"),
        ("A coat, .", "stray punctuation"),
        ("A coat , warm.", "stray punctuation"),
        ("Warm coat,", "stray punctuation"),
        ("A coat.. Warm.", "stray punctuation"),
        ("It comes in a umber.", "a/an"),
        ("An one-off piece.", "a/an"),
        ("A tshirts. It comes in yellow.", "agreement"),
        ("A casual shoes.", "agreement"),
        ("A plain black jeans.", "agreement"),
    ],
)
def test_each_class_of_mistake_is_found(text, kind):
    assert kind in {problem.kind for problem in form_problems(text, singulars=NOUNS)}


@pytest.mark.parametrize(
    "text",
    [
        "A dress with pockets.",
        "A pair of jeans in indigo.",
        "An umber coat... made for cold days.",
        "Navy wool coat – double-breasted, with flap pockets.",
        "An oversized cream jumper. It comes in cream.",
        "Jeans in black denim.",
        "藏青色羊毛大衣，双排扣设计。",
        "Price 3.50 euros.",
    ],
)
def test_right_texts_are_left_alone(text):
    assert form_problems(text, singulars=NOUNS) == []


def _catalog_shapes():
    """Categories of three catalogs: the demo's ten, the fashion shop's 141 (in the shipped glossary) and the test
    fixture's 17, each with facts of the kind that catalog holds."""
    import csv
    import json
    from pathlib import Path

    from generation.copy.vocabulary import VOCAB_DIR

    demo = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    shop = list(json.loads((VOCAB_DIR / "zh" / "glossary.json").read_text(encoding="utf-8"))["category"])
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "shop_catalog.csv"
    with fixture.open(encoding="utf-8") as handle:
        fixture_categories = sorted({row["category"] for row in csv.DictReader(handle)})
    facts = [
        {"tone": "dark", "surface": "patterned", "season": "cold weather", "sleeves": "long", "audience": "unisex"},
        {"colour": "umber", "material": "organic cotton", "audience": "women", "brand": "U.S. Polo Assn."},
        {"colour": "navy blue", "usage": "ethnic", "gender": "unisex", "season": "summer"},  # the shop's own values
        {},
    ]
    return [(c, f) for c in demo + shop + fixture_categories for f in facts]


def test_every_template_for_every_catalogs_categories_reads_right_even_with_optional_slots_empty():
    import random

    from generation.copy.limits import KINDS
    from generation.copy.planning import copy_plans
    from generation.copy.realisation import PhraseBank

    banks = {language: PhraseBank.load(language) for language in ("en", "zh")}
    bare = {language: PhraseBank.load(language) for language in ("en", "zh")}
    for bank in bare.values():  # every style without its lead-ins and sign-offs: those slots left empty
        for style in bank.data["styles"].values():
            style["lead"], style["close"] = [], []
    singulars = [n for nouns in banks["en"].data["nouns"].values() for n in nouns]
    found = []
    for category, attributes in _catalog_shapes():
        for kind in KINDS:
            for bank in (*banks.values(), *bare.values()):
                for style in bank.styles:
                    for plan in copy_plans(category, attributes, kind=kind)[:3]:
                        for realisation in bank.realise(plan, kind=kind, style=style, limit=500, rng=random.Random(0)):
                            problems = form_problems(realisation.text, singulars=singulars)
                            found += [(p.kind, realisation.text) for p in problems]
    assert not found, found[:20]


def test_every_answer_sentence_for_every_catalogs_categories_reads_right():
    from generation.copy.planning import product_facts
    from generation.copy.realisation import PhraseBank

    banks = {language: PhraseBank.load(language) for language in ("en", "zh")}
    singulars = [n for nouns in banks["en"].data["nouns"].values() for n in nouns]
    found, said = [], 0
    extra = {
        "neckline": "crew neck",
        "closure": "zip",
        "fit": "relaxed",
        "features": "flap pockets; fully lined",
        "occasion": "evening",
        "usage": "casual",
        "care": "hand wash",
        "heel_height": "5 cm",
        "sleeves": "short",
    }
    for category, attributes in _catalog_shapes():
        for fact in product_facts({**attributes, **extra}):
            for bank in banks.values():
                text = bank.answer(fact, category=category, field_name=fact.field.replace("_", " "))
                if text is not None:
                    said += 1
                    found += [(p.kind, text) for p in form_problems(text, singulars=singulars)]
    assert said > 1000 and not found, found[:20]


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("hoodies", "hoodie"),
        ("watches", "watch"),
        ("dresses", "dress"),
        ("tops", "top"),
        ("canvas", "canvas"),
        ("blouses", "blouse"),
        ("dress", "dress"),
    ],
)
def test_a_category_the_glossary_does_not_name_is_said_in_the_singular(plural, one):
    from generation.copy.checker import singular

    assert singular(plural) == one
