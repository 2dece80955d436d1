"""Telling what a shopper asks: a hand-off, a fact about the product in view, products to find (or one like the
product in view), or a question for the store's articles. Cues are data (vocab/<language>.json); category,
colour and tone words are the copy grounding's vocabulary, so copy and answers read words the same way."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generation.copy.grounding import CJK, language_of, phrase_found
from generation.copy.shop_vocabulary import ShopVocabulary
from generation.copy.vocabulary import Vocabulary, find_mentions

VOCAB_DIR = Path(__file__).parent / "vocab"
HANDOFF_ORDER = ("person", "order", "payment", "account", "complaint", "outside")
SEARCHABLE = ("category", "colour", "tone", "material", "audience")
# Questions answered yes or no, by language.
YES_NO = {
    "en": re.compile(r"^\W*(is|are|does|do|can|will|would|could|should|has|have)\b"),
    "zh": re.compile(r"吗[？?]?\s*$|是不是|能不能|可不可以|有没有"),
}


@cache
def cues(language: str) -> dict:
    return json.loads((VOCAB_DIR / f"{language}.json").read_text(encoding="utf-8"))


def _has(text: str, phrase: str) -> bool:
    return bool(phrase.strip()) and phrase_found(phrase, text)


def _first(text: str, phrases) -> str:
    return next((p for p in sorted(phrases, key=len, reverse=True) if _has(text, p)), "")


@dataclass
class Question:
    text: str
    language: str
    kind: str  # handoff, small_talk, goes_with, like_this, search, clarify, product_fact, policy
    reason: str = ""  # a hand-off's reason; small talk's kind (greeting, thanks, goodbye)
    fields: list[str] = field(default_factory=list)  # product fields asked about, in the order asked
    wanted: dict[str, str] = field(default_factory=dict)  # what products to find: category, colour, tone…
    # What a relative ask ("warmer") also takes when its first value finds nothing, nearest first: {"season":
    # ["Fall"]} beside wanted {"season": "Winter"}.
    nearby: dict[str, list[str]] = field(default_factory=dict)


def asked_fields(lowered: str, language: str, extra_fields=()) -> list[str]:
    """The product fields a question names, by name or synonym, plus any of the product's own attribute names."""
    found = []
    for name, synonyms in cues(language)["fields"].items():
        position = min((lowered.find(s.lower()) for s in synonyms if _has(lowered, s)), default=-1)
        if position >= 0:
            found.append((position, name))
    for name in extra_fields:
        readable = name.replace("_", " ").lower()
        if name not in dict((n, p) for p, n in found) and len(readable) > 2 and _has(lowered, readable):
            found.append((lowered.find(readable), name))
    return [name for _, name in sorted(found)]


Spellings = Callable[[str, list[str]], list[str]]  # (field, values in order of preference) -> those the catalog holds


def _relative(lowered: str, language: str, spellings: Spellings) -> dict[str, list[str]]:
    """'Lighter', 'darker', 'warmer': more or less of an ordered attribute, as the values the catalog spells it,
    in order of preference (a field is left out where the catalog holds none of them)."""
    words, wanted = cues(language), {}
    for name, values in words["relative"].items():
        for value, phrases in values.items():
            if _first(lowered, phrases) and (
                spelled := spellings(name, words["relative_values"].get(name, {}).get(value, [value]))
            ):
                wanted[name] = spelled
    return wanted


def wanted_attributes(text: str, language: str, vocabulary: Vocabulary) -> dict[str, str]:
    """What products a question asks for: a category, a colour, a tone, a material, an audience; 'lighter' or
    'darker' is a tone, 'warmer' a season, as the grounding vocabulary spells them."""
    wanted: dict[str, str] = {}
    for mention in find_mentions(text, vocabulary):
        if mention.field in SEARCHABLE:
            wanted.setdefault(mention.field, mention.value)
    return wanted | {name: values[0] for name, values in _relative(text.lower(), language, _as_said).items()}


def shop_wanted(text: str, language: str, shop: ShopVocabulary) -> dict[str, str]:
    """What products a question asks for, in the shop's own fields and values ("navy blue shirts for men":
    category Shirts, colour Navy Blue, gender Men); 'lighter' or 'warmer' where the shop has tones or seasons."""
    relative = _relative(text.lower(), language, shop.spellings)
    return shop.find(text) | {name: values[0] for name, values in relative.items()}


def _as_said(name: str, values: list[str]) -> list[str]:
    return values[:1]  # the grounding vocabulary spells a value one way


def understand(
    text: str,
    *,
    vocabulary: Vocabulary,
    language: str | None = None,
    in_view: bool = False,
    product_fields=(),
    shop: ShopVocabulary | None = None,
) -> Question:
    """What is asked. `in_view`: the shopper has a product in view; `product_fields`: its attribute names;
    `shop`: the shop's vocabulary (searches in its own fields and values; the grounding vocabulary's where None)."""
    language = language or language_of(text)
    question = _understood(
        text, vocabulary=vocabulary, language=language, in_view=in_view, product_fields=product_fields, shop=shop
    )
    if shop is not None:
        for name, values in _relative(text.lower(), language, shop.spellings).items():
            if question.wanted.get(name) == values[0] and len(values) > 1:
                question.nearby[name] = values[1:]
    return question


def _understood(
    text: str,
    *,
    vocabulary: Vocabulary,
    language: str,
    in_view: bool,
    product_fields,
    shop: ShopVocabulary | None,
) -> Question:
    lowered = text.lower()
    words = cues(language)
    for reason in HANDOFF_ORDER:
        if _first(lowered, words["handoff"][reason]):
            return Question(text, language, "handoff", reason=reason)
    small_talk = _small_talk(lowered, language)
    if small_talk:
        return Question(text, language, "small_talk", reason=small_talk)
    wanted = shop_wanted(text, language, shop) if shop is not None else wanted_attributes(text, language, vocabulary)
    fields = asked_fields(lowered, language, product_fields)
    if in_view and _first(lowered, words["goes_with"]):
        return Question(text, language, "goes_with")
    if in_view and _first(lowered, words["like_this"]):
        return Question(text, language, "like_this", wanted=wanted)
    searching = asks_to_find(text, language)
    # A search names a kind of product, or two things it must be ("ethnic wear for women"); "a gift for my wife"
    # is too vague to search: it is asked which kind.
    if searching and (wanted.get("category") or len(wanted) >= 2):
        return Question(text, language, "search", wanted=wanted)
    # "Can I swap it for another size?" names a field but asks for the exchange policy.
    if in_view and fields and not _first(lowered, words["policy_over_fields"]):
        return Question(text, language, "product_fact", fields=fields)
    # "I bought a dress in the sale, can I get my money back?" asks about returns, not for dresses; "how thick is
    # this wallet?" asks about the one in view.
    about_this = in_view and _first(lowered, words["this_product"])
    # "这件男生能穿吗？", "is it for men?": whether the one in view holds a value is a fact of the field it names
    # ("do you have this in black?" asks for another one).
    named = [name for name in wanted if name != "category"]
    if (
        about_this
        and named
        and not searching
        and YES_NO.get(language, YES_NO["en"]).search(lowered)
        and not _first(lowered, words["policy"])
    ):
        return Question(text, language, "product_fact", fields=named)
    # A field's name ("for men") asks about the product in view only: without one it is what to search for.
    if wanted.get("category") and not (in_view and fields) and not _first(lowered, words["policy"]) and not about_this:
        return Question(text, language, "search", wanted=wanted)
    # "A gift for my mum?": for whom, or what for, but not which kind of product.
    if not in_view and (searching or _first(lowered, words["vague"])) and not _first(lowered, words["policy"]):
        return Question(text, language, "clarify", wanted=wanted)
    return Question(text, language, "policy", fields=fields, wanted=wanted)


def asks_to_find(text: str, language: str) -> bool:
    """Whether a question asks to find products ("do you have…", "有没有…")."""
    return bool(_first(text.lower(), cues(language)["search"]))


def mentions_policy(text: str, language: str) -> bool:
    """Whether a question speaks of the shop's policies (returns, delivery, warranty…)."""
    return bool(_first(text.lower(), cues(language)["policy"]))


def _small_talk(lowered: str, language: str) -> str:
    """ "greeting", "thanks" or "goodbye" when that is (nearly) all the message says, else ""."""
    words = cues(language)
    for reason, phrases in words["small_talk"].items():
        phrase = _first(lowered, phrases)
        if not phrase:
            continue
        rest = lowered.replace(phrase, " ", 1)
        left = len(CJK.findall(rest)) if language == "zh" else len(re.findall(r"[a-z0-9']+", rest))
        if left <= words["small_talk_room"]:
            return reason
    return ""
