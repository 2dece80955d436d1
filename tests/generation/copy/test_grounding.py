"""Grounding rules on known contradictions and on correct texts that must pass, in English and Chinese."""

import json

import pytest

from generation.copy.grounding import KIND_LIMITS, VOCAB_DIR, Vocabulary, check_copy

VOCABULARY = Vocabulary.load()
BLACK_SNEAKER = {"colour": "black", "material": "leather", "audience": "women"}
DARK_DEMO_SNEAKER = {"tone": "dark", "surface": "plain", "group": "footwear"}


def flags(text: str, *, kind: str = "description", category: str = "Sneaker", attributes=None, **rules) -> dict:
    found = check_copy(
        text=text, kind=kind, category=category, attributes=BLACK_SNEAKER if attributes is None else attributes,
        vocabulary=VOCABULARY, **rules,
    )  # fmt: skip
    return {flag["rule"]: flag["words"] for flag in found}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A red sneaker for every day.", {"colour": ["red"]}),
        ("Crimson leather trainers for women.", {"colour": ["Crimson"]}),
        ("Black suede sneakers.", {"material": ["suede"]}),
        ("Black leather sneakers for men.", {"audience": ["men"]}),
        ("Black leather sandals for women.", {"category": ["sandals"]}),
        ("Black leather ankle boots.", {"category": ["ankle boots"]}),
        ("Off-white leather sneakers.", {"colour": ["Off-white"]}),
        ("Navy-blue sneakers.", {"colour": ["Navy-blue"]}),
        ("红色女士运动鞋", {"colour": ["红色"]}),
        ("黑色真皮男士运动鞋", {"audience": ["男士"]}),
        ("黑色麂皮运动鞋", {"material": ["麂皮"]}),
        ("黑色女士凉鞋", {"category": ["凉鞋"]}),
    ],
)
def test_contradictions_are_flagged_with_their_words(text, expected):
    assert flags(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Black leather sneakers for women.",
        "Jet-black trainers for women, shipped in a redwood box.",  # redwood is not red
        "A women's sneaker in onyx leather, lightweight and ready for the red carpet.",
        "Ladies' black leather sneakers, the classic of footwear.",
        "黑色真皮女士运动鞋，红木色鞋盒包装，全国包邮。",  # rosewood (红木), packaging (包装), free shipping (包邮)
    ],
)
def test_correct_texts_pass_including_compounds(text):
    assert flags(text) == {}


def test_a_hyphenated_pair_that_is_no_compound_names_both_words():
    assert flags("Dark-grey leather sneakers for women.") == {"colour": ["grey"]}


def test_a_grey_demo_photo_supports_its_tone_and_no_hue():
    assert flags("Dark plain sneaker, black as night.", attributes=DARK_DEMO_SNEAKER) == {}
    assert flags("A navy sneaker.", attributes=DARK_DEMO_SNEAKER) == {}  # navy is a dark colour
    assert flags("A white sneaker.", attributes=DARK_DEMO_SNEAKER) == {"colour": ["white"]}
    assert flags("A pale sneaker.", attributes=DARK_DEMO_SNEAKER) == {"colour": ["pale"]}
    assert flags("A red sneaker.", attributes=DARK_DEMO_SNEAKER) == {"colour": ["red"]}  # no hue in a grey photo
    assert flags("A leather sneaker.", attributes=DARK_DEMO_SNEAKER) == {}  # nothing known to contradict


def test_banned_words_missing_keywords_and_length():
    text = "Black leather sneakers for women, cheap and cheerful."
    assert flags(text, banned=["cheap", "bargain"], keywords=["leather", "vegan"]) == {
        "banned": ["cheap"], "missing_keyword": ["vegan"],
    }  # fmt: skip
    assert flags("Black cheapskate sneakers", banned=["cheap"]) == {}  # word boundaries
    assert flags("黑色便宜运动鞋", banned=["便宜"]) == {"banned": ["便宜"]}
    headline = "Black leather sneakers for women"  # 32 characters
    assert flags(headline, kind="ad_headline") == {"length": [headline[KIND_LIMITS["ad_headline"] :]]}
    assert flags(headline, kind="title") == {}
    with pytest.raises(ValueError, match="Unknown kind"):
        flags(headline, kind="poem")


def test_admins_extend_the_vocabulary_with_terms_and_compounds():
    extended = Vocabulary.load(
        extra=[("jet", "colour", "black"), ("oxblood", "colour", "red"), ("blackout", "compound", "")]
    )
    found = check_copy(
        text="Oxblood sneakers with blackout laces", kind="title", category="Sneaker", attributes=BLACK_SNEAKER,
        vocabulary=extended,
    )  # fmt: skip
    assert found == [{"rule": "colour", "words": ["Oxblood"]}]


def test_the_vocabularies_ship_as_readable_data_files():
    for language in ("en", "zh"):
        data = json.loads((VOCAB_DIR / f"{language}.json").read_text(encoding="utf-8"))
        assert {"colour", "material", "audience", "category", "compounds"} <= set(data)
        assert set(data["category"]) == {
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        }  # fmt: skip
