"""The words the grounding rules recognise, per language, as data files (vocab/<language>/terms.json) that
admins extend (copy terms). Terms are matched on word boundaries in English and longest first everywhere,
compounds before their parts, so "redwood" is not red, "navy-blue" is navy and "off-white" is white; Chinese,
which has no word boundaries, relies on the compounds (红木 is rosewood, not red)."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

VOCAB_DIR = Path(__file__).parent / "vocab"
LANGUAGES = ("en", "zh")
FIELDS = ("colour", "tone", "material", "audience", "category", "occasion", "season")

Meaning = tuple[str, str] | None  # (field, canonical value); None: a compound that names nothing checked


def _alternation(terms: Iterable[str]) -> re.Pattern:
    """One pattern, longest terms first: at each place the longest term wins, so a compound hides its parts.
    Latin-script terms need a word boundary on each side; others match anywhere."""
    ordered = sorted(set(terms), key=len, reverse=True)
    latin = "|".join(re.escape(t) for t in ordered if t.isascii())
    other = "|".join(re.escape(t) for t in ordered if not t.isascii())
    parts = [rf"(?<![a-z0-9])(?:{latin})(?![a-z0-9])"] if latin else []
    parts += [f"(?:{other})"] if other else []
    return re.compile("|".join(parts) or r"(?!x)x")


@dataclass
class Vocabulary:
    terms: dict[str, Meaning] = field(default_factory=dict)  # lower-case term -> meaning
    tone_of_colour: dict[str, str] = field(default_factory=dict)
    # What starts a clause about other items: a verb, up to three words, then a link; or a cue alone.
    pairing_verbs: set[str] = field(default_factory=set)
    pairing_links: set[str] = field(default_factory=set)
    pairing_cues: set[str] = field(default_factory=set)
    provenance: set[str] = field(default_factory=set)  # data sets and sources copy never names
    _patterns: dict[str, re.Pattern] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, languages: Iterable[str] = LANGUAGES, extra: Iterable[tuple[str, str, str]] = ()) -> "Vocabulary":
        """The shipped vocabularies, plus `extra` (term, field, value) rows; field "compound" with value "" is a
        compound that names nothing."""
        vocabulary = cls()
        for language in languages:
            data = json.loads((VOCAB_DIR / language / "terms.json").read_text(encoding="utf-8"))
            for name in FIELDS:
                for value, terms in data.get(name, {}).items():
                    vocabulary.terms |= {term.lower(): (name, value) for term in terms}
            # Kinds of product the catalog does not sell: named, they contradict every category it has.
            for value, terms in data.get("other_garments", {}).items():
                vocabulary.terms |= {term.lower(): ("category", value) for term in terms}
            vocabulary.tone_of_colour |= data.get("tone_of_colour", {})
            for term, meaning in data.get("compounds", {}).items():
                vocabulary.terms[term.lower()] = tuple(meaning) if meaning else None
            pairing = data.get("pairing", {})
            vocabulary.pairing_verbs |= {verb.lower() for verb in pairing.get("verbs", ())}
            vocabulary.pairing_links |= {link.lower() for link in pairing.get("links", ())}
            vocabulary.pairing_cues |= {cue.lower() for cue in pairing.get("cues", ())}
            vocabulary.provenance |= {name.lower() for name in data.get("provenance", ())}
        for term, name, value in extra:
            vocabulary.terms[term.lower()] = (name, value) if name != "compound" or value else None
        return vocabulary

    def _pattern(self, name: str, terms: Iterable[str]) -> re.Pattern:
        if name not in self._patterns:
            self._patterns[name] = _alternation(terms)
        return self._patterns[name]

    @property
    def pattern(self) -> re.Pattern:
        return self._pattern("terms", self.terms)

    @property
    def pairing_pattern(self) -> re.Pattern:
        if "pairing" not in self._patterns:
            cues = _alternation(self.pairing_cues).pattern
            if self.pairing_verbs and self.pairing_links:
                verbs, links = _alternation(self.pairing_verbs).pattern, _alternation(self.pairing_links).pattern
                cues = rf"(?:{verbs})(?:\W+\w+){{0,3}}?\W+(?:{links})|{cues}"
            self._patterns["pairing"] = re.compile(cues)
        return self._patterns["pairing"]

    @property
    def provenance_pattern(self) -> re.Pattern:
        return self._pattern("provenance", self.provenance)

    def meaning(self, text: str) -> Meaning:
        return self.terms.get(text.strip().lower())


@dataclass(frozen=True)
class Mention:
    term: str  # as written in the text
    field: str
    value: str
    start: int = 0
    end: int = 0


def find_mentions(text: str, vocabulary: Vocabulary) -> list[Mention]:
    mentions = []
    for match in vocabulary.pattern.finditer(text.lower()):
        meaning = vocabulary.terms[match.group()]
        if meaning is not None:
            mentions.append(Mention(text[match.start() : match.end()], *meaning, match.start(), match.end()))
    return mentions
