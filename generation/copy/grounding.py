"""Grounding rules for product copy: plain functions over a text and what is known of the product.

A colour, material, audience or category word that contradicts the product, a banned word, a missing required
keyword or a text longer than its kind allows is flagged, with the words that broke the rule. Words are matched
on word boundaries in English and longest first everywhere, compounds before their parts, so "redwood" is not
red, "navy-blue" is navy and "off-white" is white; Chinese, which has no word boundaries, relies on the
compounds (红木 is rosewood, not red). The vocabularies are data files (vocab/*.json) that admins can extend.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

VOCAB_DIR = Path(__file__).parent / "vocab"
LANGUAGES = ("en", "zh")
FIELDS = ("colour", "tone", "material", "audience", "category")

# The channels' limits, in characters: a search-result title, a short description, ad texts.
KIND_LIMITS = {
    "title": 70,
    "description": 160,
    "description_long": 2000,
    "ad_headline": 30,
    "ad_description": 90,
}

Meaning = tuple[str, str] | None  # (field, canonical value); None: a compound that names nothing checked


@dataclass
class Vocabulary:
    terms: dict[str, Meaning] = field(default_factory=dict)  # lower-case term -> meaning
    tone_of_colour: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern | None = field(default=None, repr=False)

    @classmethod
    def load(cls, languages: Iterable[str] = LANGUAGES, extra: Iterable[tuple[str, str, str]] = ()) -> "Vocabulary":
        """The shipped vocabularies, plus `extra` (term, field, value) rows; field "compound" with value "" is a
        compound that names nothing."""
        vocabulary = cls()
        for language in languages:
            data = json.loads((VOCAB_DIR / f"{language}.json").read_text(encoding="utf-8"))
            for name in FIELDS:
                for value, terms in data.get(name, {}).items():
                    for term in terms:
                        vocabulary.terms[term.lower()] = (name, value)
            vocabulary.tone_of_colour |= data.get("tone_of_colour", {})
            for term, meaning in data.get("compounds", {}).items():
                vocabulary.terms[term.lower()] = tuple(meaning) if meaning else None
        for term, name, value in extra:
            vocabulary.terms[term.lower()] = (name, value) if name != "compound" or value else None
        return vocabulary

    @property
    def pattern(self) -> re.Pattern:
        """One alternation, longest terms first: at each place the longest term wins, so a compound hides its
        parts. Latin-script terms need a word boundary on each side; others match anywhere."""
        if self._pattern is None:
            ordered = sorted(self.terms, key=len, reverse=True)
            latin = "|".join(re.escape(t) for t in ordered if t.isascii())
            other = "|".join(re.escape(t) for t in ordered if not t.isascii())
            parts = [rf"(?<![a-z0-9])(?:{latin})(?![a-z0-9])"] if latin else []
            parts += [f"(?:{other})"] if other else []
            self._pattern = re.compile("|".join(parts) or r"(?!x)x")
        return self._pattern

    def meaning(self, text: str) -> Meaning:
        return self.terms.get(text.strip().lower())


@dataclass(frozen=True)
class Mention:
    term: str  # as written in the text
    field: str
    value: str


def find_mentions(text: str, vocabulary: Vocabulary) -> list[Mention]:
    mentions = []
    for match in vocabulary.pattern.finditer(text.lower()):
        meaning = vocabulary.terms[match.group()]
        if meaning is not None:
            mentions.append(Mention(text[match.start() : match.end()], *meaning))
    return mentions


def _canonical(value, name: str, vocabulary: Vocabulary) -> str:
    """An attribute as the vocabulary names it ("Navy Blue" -> navy), else as written, lower case."""
    meaning = vocabulary.meaning(str(value))
    return meaning[1] if meaning and meaning[0] == name else str(value).strip().lower()


def _contradicts(mention: Mention, category: str, attributes: dict, vocabulary: Vocabulary) -> str | None:
    """The rule a mention breaks, or None."""
    if mention.field == "category":
        return "category" if mention.value != category else None
    if mention.field == "colour":
        own = attributes.get("colour") or attributes.get("color")
        if own:
            return "colour" if mention.value != _canonical(own, "colour", vocabulary) else None
        # Only a tone is known (grey photos): a colour must have that tone; a hue cannot be supported.
        if attributes.get("tone"):
            return "colour" if vocabulary.tone_of_colour.get(mention.value) != attributes["tone"] else None
        return None
    own = attributes.get(mention.field)
    if not own:
        return None  # nothing known: a mention cannot contradict it
    own = _canonical(own, mention.field, vocabulary)
    if mention.field == "audience" and own == "unisex" and mention.value in ("women", "men", "unisex"):
        return None
    rule = "colour" if mention.field == "tone" else mention.field  # "dark" is a colour word to a reader
    return rule if mention.value != own else None


def _phrase_found(phrase: str, lowered: str) -> bool:
    phrase = phrase.strip().lower()
    if not phrase:
        return True
    if phrase.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", lowered) is not None
    return phrase in lowered


def check_copy(
    *, text: str, kind: str, category: str, attributes: dict, vocabulary: Vocabulary,
    keywords: Iterable[str] = (), banned: Iterable[str] = (),
) -> list[dict]:  # fmt: skip
    """[{"rule", "words"}] for every rule the text breaks; an empty list when it passes."""
    flags: dict[str, list[str]] = {}

    def flag(rule: str, word: str) -> None:
        words = flags.setdefault(rule, [])
        if word not in words:
            words.append(word)

    for mention in find_mentions(text, vocabulary):
        rule = _contradicts(mention, category, attributes, vocabulary)
        if rule:
            flag(rule, mention.term)
    lowered = text.lower()
    for word in banned:
        if word.strip() and _phrase_found(word, lowered):
            flag("banned", word)
    for keyword in keywords:
        if not _phrase_found(keyword, lowered):
            flag("missing_keyword", keyword)
    limit = KIND_LIMITS.get(kind)
    if limit is None:
        raise ValueError(f"Unknown kind of copy: {kind!r}; one of {', '.join(KIND_LIMITS)}.")
    if len(text) > limit:
        flag("length", text[limit:])
    return [{"rule": rule, "words": words} for rule, words in flags.items()]
