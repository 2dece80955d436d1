"""The shop's vocabulary, learnt from its catalog: every category and every value of every attribute the shop
keeps, in the forms a shopper types them (singular and plural, multi-word, "women's"), with the grounding
vocabulary's synonyms (navy of "Navy Blue", casual of "every day") and the glossary's words in each language
(衬衫 of Shirts, 男士 of Men). A question's words are matched to the longest phrases, so "casual shoes" is a
category before "casual" is a usage. Plain Python: the studio builds it from the active catalog and rebuilds it
when the catalog changes."""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generation.copy.checker import singular
from generation.copy.planning import AUDIENCE_OF, UNSAID, Fact
from generation.copy.vocabulary import Vocabulary

CATEGORY = "category"
MAX_VALUES = 400  # a field with more distinct values is free text (a title, a code), not a vocabulary
# The grounding vocabulary's field for a shop's field of another name: its synonyms are the shop's too.
VOCABULARY_FIELD = {"color": "colour", "gender": "audience", "usage": "occasion"}
# Where one phrase names values of several fields, the first of these wins: a category before its taxonomy.
FIELD_PRIORITY = (CATEGORY, "colour", "color", "gender", "audience", "usage", "occasion", "season", "material")
TAXONOMY = {"master_category", "sub_category", "article_type"}
LATIN = re.compile(r"[a-z0-9]")
PEOPLE = {"men", "women", "kids", "children", "boys", "girls", "ladies", "man", "woman", "boy", "girl", "baby"}


def _forms(phrase: str) -> set[str]:
    """How a shopper types an English phrase: as it is, its singular, its plural, and a possessive."""
    phrase = phrase.strip().lower()
    if not phrase or not LATIN.search(phrase):
        return {phrase} if phrase else set()
    last = phrase.split()[-1]
    if last in PEOPLE:  # "women's", "womens"; "kids'"
        return {phrase, phrase + "'"} if last.endswith("s") else {phrase, phrase + "'s", phrase + "s"}
    forms = {phrase, singular(phrase)}
    if not last.endswith("s"):
        forms.add(phrase + ("es" if last.endswith(("ch", "sh", "x")) else "s"))
    return forms


@dataclass
class ShopVocabulary:
    phrases: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)  # phrase -> {(field, value): n}
    # (phrase, field, value) where the phrase is that value's own name or its glossary word, not a synonym: "olive"
    # is the shop's Olive before it is one of the greens.
    own: set[tuple[str, str, str]] = field(default_factory=set)
    _pattern: re.Pattern | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        *,
        categories: Mapping[str, int],
        values: Mapping[str, Mapping[str, int]],
        vocabulary: Vocabulary,
        words: Mapping[str, Iterable[tuple[str, str, str]]] = (),
        synonyms: Mapping[str, Mapping[str, list[str]]] = (),
    ) -> "ShopVocabulary":
        """`categories`: name -> products; `values`: field -> value -> products; `words`: (field, value, word) a
        language writes a value or a category in (the glossary's, the banks' nouns); `synonyms`: field ->
        canonical value -> words (the assistant's "wife" of women)."""
        shop = cls()
        by_meaning: dict[tuple[str, str], list[tuple[str, str]]] = {}
        canonical = {meaning for meaning in vocabulary.terms.values() if meaning}
        for name, count in categories.items():
            shop._add(_forms(name), CATEGORY, name, count, own=True)
            meaning = _meaning(CATEGORY, name, vocabulary, canonical)
            if meaning:
                by_meaning.setdefault(meaning, []).append((CATEGORY, name))
        for name, found in values.items():
            if name in UNSAID - TAXONOMY or len(found) > MAX_VALUES:
                continue
            for value, count in found.items():
                if not str(value).strip() or str(value).strip()[0].isdigit():
                    continue  # a number or a measure ("5 cm") is no word a shopper searches by
                shop._add(_forms(str(value)), name, str(value), count, own=True)
                meaning = _meaning(name, str(value), vocabulary, canonical)
                if meaning:
                    by_meaning.setdefault(meaning, []).append((name, str(value)))
        # A synonym names every value of the shop that means the same ("navy" of Navy Blue, 男士 of Men).
        for term, meaning in vocabulary.terms.items():
            for name, value in by_meaning.get(meaning, ()) if meaning else ():
                shop._add(_forms(term), name, value, _count(values, categories, name, value))
        for name, canonical_words in dict(synonyms).items():
            for canonical, terms in canonical_words.items():
                for shop_field, value in by_meaning.get((name, canonical), ()):
                    shop._add(
                        {t.lower() for t in terms}, shop_field, value, _count(values, categories, shop_field, value)
                    )
        for name, value, word in (entry for language_words in dict(words).values() for entry in language_words):
            if name == CATEGORY and value in categories or value in values.get(name, {}):
                shop._add(_forms(word), name, value, _count(values, categories, name, value), own=True)
        return shop

    def _add(self, phrases: Iterable[str], name: str, value: str, count: int, *, own: bool = False) -> None:
        for phrase in phrases:
            if len(phrase) >= 2 or not LATIN.search(phrase):
                self.phrases.setdefault(phrase, {})[(name, value)] = count
                if own:
                    self.own.add((phrase, name, value))
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            ordered = sorted(self.phrases, key=len, reverse=True)
            latin = "|".join(re.escape(p) for p in ordered if LATIN.search(p))
            other = "|".join(re.escape(p) for p in ordered if not LATIN.search(p))
            parts = [rf"(?<![a-z0-9])(?:{latin})(?![a-z0-9])"] if latin else []
            parts += [f"(?:{other})"] if other else []
            self._pattern = re.compile("|".join(parts) or r"(?!x)x")
        return self._pattern

    def find(self, text: str) -> dict[str, str]:
        """Field -> the shop's value a question names, longest phrases first; where a phrase names several values
        of a field, the one it is the own name of ("clutches": Clutches, not Handbags), else the value most
        products hold; a field named twice keeps its first."""
        found: dict[str, str] = {}
        for match in self.pattern.finditer(text.lower().replace("’", "'")):
            meanings = self.phrases[match.group()]
            ranked = sorted(meanings.items(), key=lambda item: (_priority(item[0][0]), -item[1]))
            name = ranked[0][0][0]
            if name not in found:
                phrase = match.group()
                found[name] = max(
                    (v for (n, v) in meanings if n == name),
                    key=lambda v: ((phrase, name, v) in self.own, meanings[(name, v)]),
                )
        return found

    def fields(self) -> set[str]:
        return {name for meanings in self.phrases.values() for name, _ in meanings}

    def spellings(self, name: str, values: Iterable[str]) -> list[str]:
        """The shop's own spellings of those of `values` (any case, in their order) it holds in the field `name`:
        the demo's "cold weather" is a fashion shop's "Winter" or "Fall"."""
        held = {v.lower(): v for meanings in self.phrases.values() for n, v in meanings if n == name}
        return [held[v.lower()] for v in values if v.lower() in held]


def _priority(name: str) -> int:
    if name in TAXONOMY:
        return len(FIELD_PRIORITY) + 1
    return FIELD_PRIORITY.index(name) if name in FIELD_PRIORITY else len(FIELD_PRIORITY)


def _meaning(name: str, value: str, vocabulary: Vocabulary, canonical: set) -> tuple[str, str] | None:
    """What the grounding vocabulary reads the shop's value as: a term of it ("Navy Blue" is navy), or one of
    its own values ("light" is the tone light; "Bag" the category Bag)."""
    field_name = VOCABULARY_FIELD.get(name, name)
    if field_name == "audience":
        audience = AUDIENCE_OF.get(value.strip().lower())
        return ("audience", audience) if audience else None
    meaning = vocabulary.meaning(value)
    if meaning and meaning[0] == field_name:
        return meaning
    for own in (value, value.strip().lower()):
        if (field_name, own) in canonical:
            return (field_name, own)
    return None


def _count(values: Mapping[str, Mapping[str, int]], categories: Mapping[str, int], name: str, value: str) -> int:
    return categories.get(value, 0) if name == CATEGORY else values.get(name, {}).get(value, 0)


def catalog_counts(products: Iterable[tuple[str, dict]]) -> tuple[Counter, dict[str, Counter]]:
    """(category -> products, field -> value -> products) of (category, attributes) pairs."""
    categories, values = Counter(), {}
    for category, attributes in products:
        categories[category] += 1
        for name, value in (attributes or {}).items():
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                values.setdefault(str(name), Counter())[str(value)] += 1
    return categories, values


def glossary_words(bank, categories: Iterable[str], values: Mapping[str, Iterable[str]]) -> list[tuple[str, str, str]]:
    """(field, value, word): how a phrase bank's language names the shop's categories and values."""
    fallback = bank.data.get("fallback_noun")  # 单品, "an item": no category's own name
    found = [(CATEGORY, name, noun) for name in categories for noun in bank.nouns(name) if noun != fallback]
    for name, names in values.items():
        for value in names:
            word = bank.word(Fact(name, str(value).lower()))
            if word and word.lower() != str(value).lower():
                found.append((name, str(value), word))
    return found
