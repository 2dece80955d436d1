"""An endpoint's phrasing may say a drafted answer kindly, never more: each kind of addition, in both
languages, without Django."""

import pytest

from generation.assistant.phrasing import phrasing_additions

DRAFT = "You can return an item within 30 days of delivery for a refund."
SOURCES = ["returns", "Returns", "Return any unworn item within 30 days of delivery for a full refund."]
ZH_DRAFT, ZH_SOURCES = "收货后30天内可以退货退款。", ["returns-zh", "退货", "收货后30天内可退货退款，商品须未穿着。"]


def additions(text: str, language: str = "en") -> list[str]:
    if language == "zh":
        return phrasing_additions(text, draft=ZH_DRAFT, sources=ZH_SOURCES, language="zh")
    return phrasing_additions(text, draft=DRAFT, sources=SOURCES, language="en")


@pytest.mark.parametrize(
    "kind",
    [
        "Sure! You can return an item within 30 days of delivery for a refund.",
        "Happy to help: return any unworn item within 30 days of delivery for a full refund.",
        "Thanks for your question. Returns within 30 days of delivery get a refund.",
    ],
)
def test_saying_the_draft_kindly_adds_nothing(kind):
    assert additions(kind) == []


@pytest.mark.parametrize(
    ("phrased", "added"),
    [
        ("Returns are free forever.", "adds a word: free"),
        (
            "Return it within 30 days at https://evil.example.com/r for a refund.",
            "adds a link: https://evil.example.com/r",
        ),
        ("Return it within 30 days via www.evil.shop for a refund.", "adds a link"),
        ("Mail help@evil.example.com within 30 days for a refund.", "adds an e-mail address: help@evil.example.com"),
        ("Call +1 (555) 010-9999 within 30 days for a refund.", "adds a phone number"),
        ("You can return an item within 60 days of delivery for a refund.", "adds a number: 60"),
        ("You cannot return an item within 30 days of delivery.", "adds a word: cannot"),
    ],
)
def test_each_kind_of_addition_is_named(phrased, added):
    assert any(a.startswith(added) for a in additions(phrased)), additions(phrased)


def test_chinese_phrasing_is_held_to_the_same():
    assert additions("您好！收货后30天内可以退货退款。", "zh") == []
    assert "adds a word: 永久" in additions("退货退款永久免费。", "zh")
    assert "adds a number: 90" in additions("收货后90天内可以退货。", "zh")
