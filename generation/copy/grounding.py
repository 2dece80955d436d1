"""Grounding rules for generated text (copy, and the assistant's answers): plain functions over a text and what
is known of the product.

Flagged, with the words that broke the rule: a colour, material, audience or category word that contradicts the
product; text not in the asked language; provenance and identifiers (data-set names, image numbers, SKUs, long
numbers the product's facts do not hold); a banned word, a missing required keyword, a text over its limit.
Not flagged: words in a clause that speaks of other items ("pairs well with a white shirt"), and the modifier of
a colour compound ("rose-red" is red, "sky blue" is blue).
"""

import re
from collections.abc import Iterable

from generation.copy.limits import Limits, kind_limit
from generation.copy.planning import AUDIENCE_OF
from generation.copy.vocabulary import Mention, Vocabulary, find_mentions

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A clause ends at a sentence's end (a list of items to pair with goes on past its commas).
CLAUSE_END = re.compile(r"[.;!?:。；！？\n]")
# Identifiers: an image or item number, a SKU-shaped token (letters and digits joined by hyphens), a long number.
NUMBERED = re.compile(r"(?:\b(?:image|photo|picture|img|item|no\.?|number)|#|图片?|照片|编号|第)\s*#?\s*\d+", re.I)
SKU_LIKE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+\b")
LONG_NUMBER = re.compile(r"\d{4,}")


def language_of(text: str) -> str:
    return "zh" if CJK.search(text) else "en"


def _pairing_spans(lowered: str, vocabulary: Vocabulary) -> list[tuple[int, int]]:
    """From each pairing cue to the end of its clause: words there describe the other items."""
    spans = []
    for cue in vocabulary.pairing_pattern.finditer(lowered):
        end = CLAUSE_END.search(lowered, cue.end())
        spans.append((cue.start(), end.start() if end else len(lowered)))
    return spans


def _modifiers(mentions: list[Mention], text: str) -> set[int]:
    """Colour mentions that modify the colour right after them ("rose-red", "sky blue", 紫红): the compound
    names its last colour."""
    modifying = set()
    for index, (first, second) in enumerate(zip(mentions, mentions[1:])):
        joined = text[first.end : second.start]
        if first.field == second.field == "colour" and joined in ("", "-", " "):
            modifying.add(index)
    return modifying


def _canonical(value, name: str, vocabulary: Vocabulary) -> str:
    """An attribute as the vocabulary names it ("Navy Blue" -> navy), else as written, lower case."""
    meaning = vocabulary.meaning(str(value))
    return meaning[1] if meaning and meaning[0] == name else str(value).strip().lower()


def _same_category(value: str, category: str) -> bool:
    return value.casefold().rstrip("s") == category.casefold().rstrip("s")


def _stem(word: str) -> str:
    return re.sub(r"[^\w]", "", word.casefold()).rstrip("s")


def _names_category(term: str, category: str, category_nouns: Iterable[str]) -> bool:
    """The term is the product's own category: its name ("jumper" of Jumper, "T-shirt" of Tshirts), its last word
    ("shoes" of Casual Shoes) or a noun the banks use for it (T恤 of Tshirts)."""
    if term.casefold() in {noun.casefold() for noun in category_nouns}:
        return True
    words = category.split()
    return _stem(term) in (_stem(category), _stem(words[-1]) if words else "")


def _contradicts(
    mention: Mention, category: str, attributes: dict, vocabulary: Vocabulary, category_nouns: Iterable[str] = ()
) -> str | None:
    """The rule a mention breaks, or None."""
    if mention.field == "category":
        same = _same_category(mention.value, category) or _names_category(mention.term, category, category_nouns)
        return None if same else "category"
    if mention.field == "colour":
        own = attributes.get("colour") or attributes.get("color")
        if own:
            return "colour" if mention.value != _canonical(own, "colour", vocabulary) else None
        # Only a tone is known (grey photos): a colour must have that tone; a hue cannot be supported.
        if attributes.get("tone"):
            return "colour" if vocabulary.tone_of_colour.get(mention.value) != attributes["tone"] else None
        return None
    if mention.field in ("occasion", "season"):
        return _claim_contradicts(mention, attributes, vocabulary)
    own = attributes.get(mention.field) or (AUDIENCE_OF.get(str(attributes.get("gender", "")).strip().lower()))
    if not own:
        return None  # nothing known: a mention cannot contradict it
    if phrase_found(mention.term, str(own).lower()) or phrase_found(mention.value, str(own).lower()):
        return None  # the product's own words: "wool" of a wool blend, "leather" of "leather and suede"
    own = _canonical(own, mention.field, vocabulary)
    if mention.field == "audience" and own == "unisex" and mention.value in ("women", "men", "unisex"):
        return None
    rule = "colour" if mention.field == "tone" else mention.field  # "dark" is a colour word to a reader
    return rule if mention.value != own else None


# What a claim of occasion is compatible with, beyond itself: an evening dress is for parties too.
OCCASIONS_ALIKE = {
    "everyday": {"weekend", "home", "travel"},
    "weekend": {"everyday"},
    "home": {"everyday"},
    "travel": {"holiday", "everyday"},
    "holiday": {"beach", "travel"},
    "beach": {"holiday"},
    "evening": {"party", "wedding"},
    "party": {"evening", "wedding"},
    "wedding": {"evening", "party"},
    "outdoor": {"sport"},
    "sport": {"outdoor"},
}


def _claim_contradicts(mention: Mention, attributes: dict, vocabulary: Vocabulary) -> str | None:
    """ "Every day", "for the office", "summer", 日常, 夏日… against the occasion (or usage) and season the product
    holds: a claim it does not hold contradicts it; nothing held, nothing contradicted."""
    names = ("occasion", "usage") if mention.field == "occasion" else ("season",)
    held = {_canonical(value, mention.field, vocabulary) for name in names if (value := attributes.get(name))}
    if not held or "all year" in held:
        return None
    if mention.value == "all year":
        return mention.field
    return None if held & ({mention.value} | OCCASIONS_ALIKE.get(mention.value, set())) else mention.field


def _phrase_pattern(phrase: str) -> str:
    """A lower-case phrase as a pattern: on word boundaries in Latin script, anywhere in Chinese."""
    return rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])" if phrase.isascii() else re.escape(phrase)


def _phrase_spans(lowered: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in {p.strip().lower() for p in phrases if p and p.strip()}:
        spans += [(m.start(), m.end()) for m in re.finditer(_phrase_pattern(phrase), lowered)]
    return spans


def phrase_found(phrase: str, lowered: str) -> bool:
    """A phrase in lower-case text: on word boundaries in Latin script, anywhere in Chinese."""
    phrase = phrase.strip().lower()
    return not phrase or re.search(_phrase_pattern(phrase), lowered) is not None


def _facts_text(attributes: dict) -> str:
    return " ".join(str(value) for value in attributes.values()).lower()


def wrong_language(text: str, language: str, attributes: dict) -> list[str]:
    """What in `text` is not `language`: Chinese characters in English; in Chinese, a text without Chinese or
    Latin words the product's own facts do not hold (a brand or a size may stay as written; so may the T of T恤)."""
    if language == "en":
        return CJK.findall(text)
    if language == "zh":
        if not CJK.search(text):
            return [text]
        facts = _facts_text(attributes)
        return [word for word in LATIN_WORD.findall(text) if word.lower() not in facts]
    return []


def identifiers(text: str, attributes: dict, vocabulary: Vocabulary) -> list[str]:
    """Provenance and identifiers no shopper needs and no plan holds; numbers the product's facts hold are
    facts (a size, a price)."""
    lowered, facts = text.lower(), _facts_text(attributes)
    found = [text[m.start() : m.end()] for m in vocabulary.provenance_pattern.finditer(lowered)]
    found += [m.group() for m in NUMBERED.finditer(text)]
    found += [m.group() for m in SKU_LIKE.finditer(text)]
    found += [m.group() for m in LONG_NUMBER.finditer(text) if m.group() not in facts]
    return found


def check_copy(
    *, text: str, kind: str, category: str, attributes: dict, vocabulary: Vocabulary, language: str | None = None,
    keywords: Iterable[str] = (), banned: Iterable[str] = (), limits: Limits | None = None,
    category_nouns: Iterable[str] = (), own_phrases: Iterable[str] = (),
) -> list[dict]:  # fmt: skip
    """[{"rule", "words"}] for every rule the text breaks; an empty list when it passes. `language` None: the
    text's own script decides its limit and no language rule applies (the catalog's own copy). `own_phrases`:
    the product's own values and how copy writes them ("leather sole" of a suede boot, "belt loops" of trousers,
    棕褐色 of tan): a word inside one is the product's, never a claim against it."""
    flags: dict[str, list[str]] = {}

    def flag(rule: str, word: str) -> None:
        words = flags.setdefault(rule, [])
        if word not in words:
            words.append(word)

    lowered = text.lower()
    pairing = _pairing_spans(lowered, vocabulary) + _phrase_spans(lowered, own_phrases)
    mentions = find_mentions(text, vocabulary)
    modifying = _modifiers(mentions, lowered)
    for index, mention in enumerate(mentions):
        if index in modifying or any(start <= mention.start < end for start, end in pairing):
            continue
        rule = _contradicts(mention, category, attributes, vocabulary, category_nouns)
        if rule:
            flag(rule, mention.term)
    for word in wrong_language(text, language, attributes) if language else ():
        flag("language", word)
    for word in identifiers(text, attributes, vocabulary):
        flag("identifier", word)
    for word in banned:
        if word.strip() and phrase_found(word, lowered):
            flag("banned", word)
    for keyword in keywords:
        if not phrase_found(keyword, lowered):
            flag("missing_keyword", keyword)
    limit = kind_limit(kind, language or language_of(text), limits)
    if len(text) > limit:
        flag("length", text[limit:])
    return [{"rule": rule, "words": words} for rule, words in flags.items()]


NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def uncited_claims(
    text: str, *, cited: dict[str, set[str]], vocabulary: Vocabulary, quotes: Iterable[str] = ()
) -> list[str]:
    """What an answer claims that no citation supports: a colour, tone, material, audience or category word whose
    value no cited field holds, and a number (a price, a size) no cited value holds. What a cited article's quote
    says is supported (quoted whole, or a word or number of it), and so is a word a cited value holds. `cited`:
    field -> the cited values, as the vocabulary names them ("Navy Blue" is navy) or as written."""
    quotes = list(quotes)
    for quote in quotes:
        text = text.replace(quote, " ")
    held = {name: {_canonical(v, name, vocabulary) for v in values} for name, values in cited.items()}
    held["category"] = {v.casefold().rstrip("s") for v in cited.get("category", ())}
    # A quote or a cited value supports the words it holds, under whatever name the shop gave its field: a
    # "fabric" of "100% cotton canvas" supports "cotton".
    for said in [*quotes, *(str(v) for values in cited.values() for v in values)]:
        for mention in find_mentions(said, vocabulary):
            value = mention.value.casefold().rstrip("s") if mention.field == "category" else mention.value
            held.setdefault(mention.field, set()).add(value)
    found = []
    for mention in find_mentions(text, vocabulary):
        if mention.field in ("occasion", "season") and mention.field not in held:
            continue  # "wear it every day": a claim only where the answer cites that field, as copy's grounding
        value = mention.value.casefold().rstrip("s") if mention.field == "category" else mention.value
        supported = value in held.get(mention.field, set())
        if mention.field == "colour" and not supported:  # a grey photo's tone supports colours of that tone
            supported = vocabulary.tone_of_colour.get(mention.value) in held.get("tone", set())
        if not supported:
            found.append(mention.term)
    sources = [str(v) for values in cited.values() for v in values] + quotes
    numbers = {n for source in sources for n in NUMBER.findall(source)}
    found += [n for n in NUMBER.findall(text) if n not in numbers]
    return found
