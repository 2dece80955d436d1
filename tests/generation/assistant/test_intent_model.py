"""The learned understanding beside the rules, without Django: trained on paraphrases generated from the cues and
a shop's vocabulary, measured on paraphrases written apart (tests/fixtures/assistant_paraphrases.json) in both
languages; it reads questions the rules alone misread, never takes back a hand-off the rules made for safety, and
travels as arrays."""

import json
from functools import cache
from pathlib import Path

import pytest

from generation.assistant.answer import ANSWER
from generation.assistant.intent_model import (
    Example,
    IntentModel,
    generated_examples,
    intent_accuracy,
    label_of,
    overruled,
    train_intent_model,
)
from generation.assistant.understanding import understand
from tests.generation.assistant.test_shop_vocabulary import DEMO, SHOP, VOCABULARY, shop_of

HELD_OUT = json.loads((Path(__file__).parents[2] / "fixtures" / "assistant_paraphrases.json").read_text())


def reader(rows):
    shop = shop_of(rows)

    def understood(example: Example):
        return understand(
            example.text, vocabulary=VOCABULARY, language=example.language, in_view=example.in_view, shop=shop
        )

    return shop, understood


@cache
def trained(name: str):
    shop, understood = reader({"demo": DEMO, "shop": SHOP}[name])
    examples = [e for language in ("en", "zh") for e in generated_examples(shop, language)]
    return train_intent_model(examples, understood), understood


def held_out(language: str) -> list[Example]:
    return [Example(q["text"], language, q["kind"], q["in_view"]) for q in HELD_OUT[language]]


@pytest.mark.parametrize("catalog", ["demo", "shop"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_held_out_paraphrases_are_read_better_than_by_the_rules_alone(catalog, language):
    model, understood = trained(catalog)
    rules = intent_accuracy(None, held_out(language), understood)
    learned = intent_accuracy(model, held_out(language), understood)
    # Measured: demo en 0.66 -> 0.89, zh 0.60 -> 0.84; shop en 0.74 -> 0.94, zh 0.68 -> 0.96 (this set's misses
    # were read to mend the cue data: the fresh set below is the unread measure).
    assert learned >= rules + 0.15 and learned >= 0.8, (rules, learned)


FRESH = json.loads((Path(__file__).parents[2] / "fixtures" / "assistant_paraphrases_fresh.json").read_text())


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_fresh_set_of_the_shops_shoppers_questions_is_read_right_nine_times_in_ten(language):
    model, understood = trained("shop")
    fresh = [Example(q["text"], language, q["kind"], q["in_view"]) for q in FRESH[language]]
    # Measured: en 0.96 (rules alone 0.79), zh 1.00 (0.95).
    assert intent_accuracy(model, fresh, understood) >= 0.9


@pytest.mark.parametrize(
    ("text", "language", "in_view", "kind"),
    [
        ("Are these boots good for cold weather?", "en", True, "product_fact"),
        ("I need something warm for cold weather", "en", False, "clarify"),
        ("Is this coat dark or light?", "en", True, "product_fact"),
        ("想给妈妈买个礼物", "zh", False, "clarify"),
        ("这件跟什么包比较搭？", "zh", True, "goes_with"),
    ],
)
def test_paraphrases_the_rules_misread_and_the_model_reads(text, language, in_view, kind):
    model, understood = trained("shop")
    example = Example(text, language, kind, in_view)
    assert label_of(understood(example)).split(":")[0] != kind
    assert overruled(understood(example), model, in_view=in_view).kind == kind


def test_a_hand_off_for_safety_is_never_taken_back():
    model, understood = trained("shop")
    for text in ("I want to speak to a person", "where is my order 12345?", "我要找人工客服"):
        question = understood(Example(text, "zh" if "我" in text else "en", "", False))
        assert question.kind == "handoff"
        assert overruled(question, model, in_view=False) == question


class SureOf:
    """A model sure of one reading, whatever it is asked."""

    def __init__(self, label: str):
        self.reading = label

    def label(self, question, in_view):
        return self.reading, 0.99


def test_a_field_of_the_product_in_view_the_question_names_is_not_overruled_into_a_search():
    _, understood = reader(SHOP)
    named = understood(Example("Is this shirt formal?", "en", "", True))
    assert named.kind == "product_fact"
    assert overruled(named, SureOf("like_this"), in_view=True) == named
    # Asking to find ("do you have…") leaves the model its say.
    finding = understood(Example("有没有差不多但是带图案的", "zh", "", True))
    assert overruled(finding, SureOf("like_this"), in_view=True).kind == "like_this"


def test_the_model_travels_as_arrays_and_reads_the_same():
    model, understood = trained("demo")
    again = IntentModel.from_bytes(model.to_bytes())
    for example in held_out("en") + held_out("zh"):
        question = understood(example)
        assert again.label(question, example.in_view) == pytest.approx(model.label(question, example.in_view))


def test_the_answerer_uses_the_model_where_the_rules_misread():
    from generation.assistant.answerer import ProductFacts, answer_question
    from tests.generation.assistant.test_answerer import ARTICLES, Catalog

    model, _ = trained("demo")
    coat = ProductFacts("C1", "Plain mid coat", "Coat", {"tone": "mid", "season": "cold weather"})
    kwargs = {"vocabulary": VOCABULARY, "articles": ARTICLES, "catalog": Catalog(), "product": coat}
    by_rules = answer_question("Are these good for cold weather?", **kwargs)
    learned = answer_question("Are these good for cold weather?", understanding=model, **kwargs)
    assert by_rules.kind == "handoff"
    assert learned.action == ANSWER and any(c.field == "season" for c in learned.citations), learned
