"""Long descriptions, the merchandiser's own description as facts, the shop's rules for its fields, headlines and
answers, without Django, on three shapes of catalog: the grey demo's few facts, a fashion shop's many (the test
fixture's rows), and a catalog whose attribute names are its own."""

import csv
import random
from pathlib import Path

import pytest

from generation.copy.checker import form_problems
from generation.copy.descriptions import description_clauses
from generation.copy.grounding import CJK
from generation.copy.limits import kind_limit
from generation.copy.planning import Fact, copy_plans, product_facts
from generation.copy.realisation import PhraseBank
from generation.copy.writer import write_copy

BANKS = {language: PhraseBank.load(language) for language in ("en", "zh")}
STYLES = ("plain", "premium", "playful")
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "shop_catalog.csv"
NOT_ATTRIBUTES = {"sku", "title", "category", "description", "title_zh", "description_zh"}
DEMO_COAT = {"tone": "dark", "surface": "patterned", "season": "cold weather", "sleeves": "long"}
OWN_NAMES = {
    "colour": "teal",
    "lining": "fleece",
    "toe_shape": "almond",
    "heel_height": "5 cm",
    "fastening_detail": "hidden poppers",
    "material": "suede",
}


def fixture_rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def long_texts(category, attributes, *, language="en", style="plain", descriptions=None, said_in=None, count=2):
    plans = copy_plans(category, attributes, kind="description_long", descriptions=descriptions, said_in=said_in)
    variants = write_copy(
        plans=plans,
        bank=BANKS[language],
        kind="description_long",
        style=style,
        limit=kind_limit("description_long", language),
        count=count,
        seed=3,
    )
    return variants


def row_facts(row: dict) -> tuple[dict, dict]:
    attributes = {k: v for k, v in row.items() if k not in NOT_ATTRIBUTES and v}
    return attributes, {"en": row["description"], "zh": row["description_zh"]}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_fashion_shops_long_description_says_what_the_product_holds_in_paragraphs(style, language):
    for row in fixture_rows()[:24]:
        attributes, descriptions = row_facts(row)
        variants = long_texts(row["category"], attributes, language=language, style=style, descriptions=descriptions)
        assert variants, row["sku"]
        sayable = [
            f
            for f in product_facts(attributes, kind="description_long", descriptions=descriptions)
            if f.language in (None, language) and BANKS[language].can_say(f)
        ]
        for variant in variants:
            text = variant.text
            assert len(variant.realisation.plan.facts) >= 0.9 * len(sayable), (row["sku"], text)
            assert text.count("\n\n") >= 2, text  # what it is, its cut and details, what it is for / care
            assert not form_problems(text), (form_problems(text), text)
            assert bool(CJK.search(text)) == (language == "zh"), text


def test_the_opening_names_the_product_with_its_colour_material_and_details_and_lists_its_cut():
    row = next(r for r in fixture_rows() if r["sku"] == "CO-101")
    attributes, descriptions = row_facts(row)
    texts = [v.text for v in long_texts("Coat", attributes, descriptions=descriptions, count=3)]
    opening = texts[0].split(".")[0]
    assert opening.startswith("A navy double-breasted") and opening.endswith("for women"), texts[0]
    for text in texts:
        assert "a notch collar" in text and "a button fastening" in text and "flap pockets" in text, text
        assert text.rstrip().endswith("Care: dry clean only."), text  # care is said last
        assert "every day" not in text and "everyday" not in text  # a product for work is not signed off so


def test_the_merchandisers_description_adds_what_the_fields_do_not_and_only_in_its_language():
    row = next(r for r in fixture_rows() if r["sku"] == "CO-101")
    attributes, descriptions = row_facts(row)
    english = [v.text for v in long_texts("Coat", attributes, descriptions=descriptions)]
    chinese = [v.text for v in long_texts("Coat", attributes, language="zh", descriptions=descriptions)]
    assert all("Cut to sit just above the knee." in text for text in english), english
    # "A double-breasted coat in a soft wool blend" only restates the fields: it is left out.
    assert not any("soft wool blend" in text for text in english), english
    assert all("长度及膝" in text and "knee" not in text for text in chinese), chinese
    assert not any("长度及膝" in text for text in english)
    assert BANKS["zh"].unsayable(product_facts(attributes, descriptions=descriptions)) == []


def test_the_demo_and_a_catalog_with_its_own_names_read_right_too():
    for category, attributes in (("Coat", DEMO_COAT), ("Ankle boot", OWN_NAMES)):
        for style in STYLES:
            for variant in long_texts(category, attributes, style=style, count=3):
                assert not form_problems(variant.text), variant.text
    text = long_texts("Ankle boot", OWN_NAMES)[0].text
    for said in ("teal", "suede", "a fleece lining", "an almond toe shape", "a 5 cm heel height", "hidden poppers"):
        assert said in text, text


def test_a_shop_decides_where_a_field_is_said():
    attributes = {"colour": "navy", "price": "189.00", "care": "dry clean only", "material": "wool"}
    fields = lambda **options: {f.field for f in product_facts(attributes, **options)}  # noqa: E731
    assert fields(kind="title") == {"colour", "material"}  # price never, care in long descriptions only
    assert fields(kind="description_long") == {"colour", "material", "care"}
    assert fields(kind="title", said_in={"price": "any", "colour": "never"}) == {"material", "price"}
    assert fields(kind="description_long", said_in={"care": "never"}) == {"colour", "material"}


def test_a_headline_leads_with_the_fact_that_sells_most():
    attributes = {"colour": "navy", "material": "cashmere", "gender": "women", "season": "winter"}
    plans = copy_plans("Jumper", attributes, kind="ad_headline")
    assert plans and {plan.facts[0] for plan in plans} == {Fact("material", "cashmere")}
    assert {
        plan.facts[0] for plan in copy_plans("Jumper", {"colour": "navy", "gender": "women"}, kind="ad_headline")
    } == {Fact("colour", "navy")}


@pytest.mark.parametrize(
    ("fact", "category", "en", "zh"),
    [
        (Fact("colour", "navy"), "Coat", "This coat comes in navy.", "这款外套是藏青色的。"),
        (Fact("season", "cold weather"), "Coat", "This coat is made for cold weather.", "这款外套适合寒冷天气穿着。"),
        (Fact("colour", "indigo"), "Jeans", "These jeans come in indigo.", "这款牛仔裤是靛蓝色的。"),
        (Fact("sleeves", "long"), "Shirts", "This shirt has long sleeves.", "这款衬衫是长袖款。"),
        (Fact("lining", "umber"), "Tshirts", "This T-shirt's lining is umber.", None),
        (Fact("price", "49.00"), "Jeans", "These jeans' price is 49.00.", "这款牛仔裤的价格是49.00。"),
    ],
)
def test_an_answer_is_one_sentence_through_the_realiser(fact, category, en, zh):
    assert BANKS["en"].answer(fact, category=category, field_name=fact.field) == en
    assert BANKS["zh"].answer(fact, category=category, field_name="价格") == zh


def test_items_and_playful_sentences_keep_the_styles_rules():
    row = next(r for r in fixture_rows() if r["sku"] == "CO-102")
    attributes, _ = row_facts(row)
    for variant in long_texts("Coat", attributes, style="playful", count=3):
        sentences = [s for s in variant.text.replace("\n", " ").split("!") if s.strip()]
        assert all(len(s.split()) <= 10 for s in sentences), variant.text
    assert BANKS["en"].phrase(Fact("closure", "buttons"), "item", "plain", random.Random(0)) == "a button fastening"


def test_the_rankings_agreement_with_reviewers_is_counted_beside_the_banks_order():
    from generation.copy.writer import ReviewedPair, approval_agreement, banks_order, normalised

    plans = copy_plans("Coat", DEMO_COAT, kind="title")
    order = banks_order(plans=plans, bank=BANKS["en"], kind="title", style="plain", limit=70, seed=4)
    texts = sorted(order, key=order.get)
    assert len(texts) >= 4 and order == banks_order(
        plans=plans, bank=BANKS["en"], kind="title", style="plain", limit=70, seed=4
    )
    # Reviewers approved what the banks put last; a ranking that prefers shorter texts agrees with them or not
    pairs = [ReviewedPair({}, texts[-1], texts[0], banks_first=False), ReviewedPair({}, texts[-2], texts[1], False)]
    shorter = approval_agreement(pairs, lambda controls, found: [-len(text) for text in found])
    assert shorter["pairs"] == 2 and shorter["banks"] == 0.0
    assert shorter["ranker"] == sum(len(p.approved) < len(p.rejected) for p in pairs) / 2
    assert approval_agreement([], lambda c, t: [0.0] * len(t)) == {"pairs": 0, "ranker": None, "banks": None}
    assert normalised(texts[0]) == texts[0]


def test_a_decimal_number_does_not_end_a_sentence():
    assert description_clauses("Weighs 1.5 kg. Made in Italy.", "en") == ["Weighs 1.5 kg", "Made in Italy"]
