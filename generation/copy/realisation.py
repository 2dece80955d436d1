"""From a plan to words: a kind's templates for one style and language, filled from phrase banks
(vocab/<language>/phrases.json, plus admins' phrases). Every phrase belongs to one of the plan's facts or states
no fact (a style's lead-ins and sign-offs), so the text says what the plan holds and nothing else. A text that
does not fit its limit or its style's rules is not written: the limit is planned for, never cut."""

import json
import random
import re
import string
from dataclasses import dataclass, field

from generation.copy.checker import PLURAL_ONLY, singular
from generation.copy.long_form import LONG_SLOTS, long_slots
from generation.copy.planning import DESCRIPTION, CopyPlan, Fact, describes
from generation.copy.surface import agree, tidy, upper_first
from generation.copy.vocabulary import VOCAB_DIR

OCCASION_FIELDS = {"occasion", "usage"}  # a product made for one is not signed off "for every day"
NAMES = {"brand"}  # said as written in every language
# Fields whose values are details of the product; a value that describes ("double-breasted") is said as such.
DESCRIBED_FIELDS = {"features", "details", "highlights", "neckline", "closure", "collar"}


SLOTS = {
    "noun",
    "Noun",
    "adjs",
    "Adjs",
    "adj1",
    "Adj1",
    "tag1",
    "Tag1",
    "tag2",
    "sentences",
    "rest",
    "lead",
    "close",
    *LONG_SLOTS,
}
FACT_SLOTS = {"adjs", "Adjs", "adj1", "Adj1", "tag1", "Tag1", "tag2", "sentences", "rest", *LONG_SLOTS}
OPTIONAL_SLOTS = {"adjs", "Adjs", "rest", "lead", "close", *LONG_SLOTS}  # may be empty; others make it unusable
PARTS = ("adj", "tag", "sentence", "item")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")  # "1.5 kg" ends no sentence
FLAGS = {"yes": "yes", "true": "yes", "no": "no", "false": "no"}  # a field holding one is said as a flag


def _sign_off(plan: CopyPlan, spec: dict, rng: random.Random) -> str:
    """A style's sign-off speaks of every day: a product made for an occasion ends on that instead."""
    if any(fact.field in OCCASION_FIELDS for fact in plan.facts):
        return ""
    return rng.choice(spec.get("close") or [""])


@dataclass(frozen=True)
class Realisation:
    text: str
    plan: CopyPlan
    template: str


@dataclass(frozen=True)
class StyleRules:
    exclamation: bool = False
    max_sentence_length: int | None = None  # words in English, characters in Chinese


def template_slots(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_template(template: str) -> None:
    """Raises ValueError naming the unknown slots of an admin's template."""
    unknown = template_slots(template) - SLOTS
    if unknown:
        raise ValueError(f"Unknown slot(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(SLOTS))}.")


@dataclass
class PhraseBank:
    """One language's phrases: nouns of categories, each fact's adjective, tag and sentence per style, and each
    style's templates per kind, lead-ins, sign-offs and rules."""

    language: str
    data: dict
    rules: dict[str, StyleRules] = field(default_factory=dict)

    @classmethod
    def load(cls, language: str) -> "PhraseBank":
        data = json.loads((VOCAB_DIR / language / "phrases.json").read_text(encoding="utf-8"))
        rules = {name: StyleRules(**style.get("rules", {})) for name, style in data["styles"].items()}
        bank = cls(language, data, rules)
        glossary = VOCAB_DIR / language / "glossary.json"
        if glossary.exists():
            entries = json.loads(glossary.read_text(encoding="utf-8"))
            for number in ("plural_nouns", "mass_nouns"):
                data[number] = {noun.lower() for noun in entries.pop(number, [])}
            for name, terms in entries.items():
                for value, text in terms.items() if not name.startswith("_") else ():
                    bank.add_term(name, value, text, replace=False)  # the banks' own words come first
        return bank

    def add_term(self, name: str, value: str, text: str, *, replace: bool = True) -> None:
        """A glossary term: how this language says a category (`name` "category": its noun) or an attribute's
        value (colour "navy blue": 藏青色)."""
        if name == "category":
            if replace or value not in self.data["nouns"]:
                self.data["nouns"][value] = [text]
            return
        words = self.data.setdefault("values", {}).setdefault(name, {})
        if replace or value.strip().lower() not in words:
            words[value.strip().lower()] = text

    @property
    def styles(self) -> list[str]:
        return list(self.data["styles"])

    def add_style(self, name: str, *, base: str, rules: StyleRules) -> None:
        """An admin's preset: its base style's phrases, its own rules; its own phrases come with `add_phrase`."""
        self.data["styles"][name] = json.loads(json.dumps(self.data["styles"][base]))
        for entry in self.data["facts"].values():
            for part in PARTS:
                if base in entry.get(part, {}):
                    entry[part][name] = list(entry[part][base])
        self.rules[name] = rules

    def add_phrase(self, *, style: str, part: str, key: str, text: str) -> None:
        """part "template" (key: a kind), "lead" or "close" (of the style), or a fact's "adj", "tag" or
        "sentence" (key: field=value or field=*)."""
        if part == "template":
            check_template(text)
            self.data["styles"][style]["templates"].setdefault(key, []).append(text)
        elif part in ("lead", "close"):
            self.data["styles"][style].setdefault(part, []).append(text)
        elif part in PARTS:
            self.data["facts"].setdefault(key, {}).setdefault(part, {}).setdefault(style, []).append(text)
        else:
            raise ValueError(f"Unknown part of a phrase bank: {part!r}.")

    def _entry(self, fact: Fact) -> dict | None:
        """The fact's own phrases, its field's, or the bank's way of saying any field ("*=*": "with flap
        pockets", "Lining: fleece"). A detail that describes rather than names ("double-breasted", "hooded",
        "slip-on") is said as a describing word, not after "with"."""
        facts = self.data["facts"]
        own = facts.get(f"{fact.field}={fact.value}")
        if own is None and fact.field in DESCRIBED_FIELDS and describes(fact.value) and "describing=*" in facts:
            return facts["describing=*"]
        return own or facts.get(f"{fact.field}=*") or facts.get("*=*")

    def _value(self, fact: Fact) -> str | None:
        """How this language writes a fact's value: the bank's word for it, else the value itself in English;
        None where Chinese has no word for it."""
        if fact.field in NAMES or fact.field == DESCRIPTION:
            return fact.value  # a brand is its own name in every language; a description's phrase is its own
        values = self.data.get("values", {})
        words = values.get(fact.field)
        if words is None and self.language == "en":
            return fact.value
        # A detail's term may be filed under any field ("*": a flap pocket is one whatever the column).
        return (words or {}).get(fact.value) or values.get("*", {}).get(fact.value)

    def word(self, fact: Fact) -> str | None:
        """How this language writes the fact's value (藏青色 of navy); None where it has no word."""
        return self._value(fact)

    def can_say(self, fact: Fact) -> bool:
        """A fact with phrases of its own, or a field's (or any field's) phrases and a word for its value; a phrase
        of a description in another language is not."""
        if fact.language not in (None, self.language):
            return False
        if f"{fact.field}={fact.value}" in self.data["facts"]:
            return True
        return self._entry(fact) is not None and self._value(fact) is not None

    def unsayable(self, facts) -> list[Fact]:
        """The facts this language has no word for (a colour without a Chinese term): left out of its copy, and
        named in the job's report and Copy health so a term can be added. Another language's description phrases
        are no missing term."""
        return [fact for fact in facts if fact.language in (None, self.language) and not self.can_say(fact)]

    def _restates(self, fact: Fact) -> bool:
        """Its tag and sentence only repeat it ("in navy"): said so, its adjective would say it twice."""
        return bool((self._entry(fact) or {}).get("restates"))

    def nouns(self, category: str) -> list[str]:
        nouns = self.data["nouns"].get(category)
        if nouns:
            return nouns
        fallback = self.data.get("fallback_noun")
        if fallback:
            return [fallback]
        # A category the glossary does not name: its name, in the singular where it is a plain plural.
        noun = category.lower()
        return [noun if noun in PLURAL_ONLY else singular(noun)]

    def this_noun(self, category: str) -> str:
        """ "this coat", "these formal shoes" in English; the noun alone in a language whose template says 这款."""
        noun = self.nouns(category)[0]
        if self.language != "en":
            return noun
        plural = noun.lower() in self.data.get("plural_nouns", ()) or noun.lower() in PLURAL_ONLY
        return f"{'these' if plural or singular(noun) != noun else 'this'} {noun}"

    def _uncounted(self, phrase: str) -> bool:
        mass, words = self.data.get("mass_nouns", ()), phrase.lower().split() or [""]
        return words[-1].endswith("s") or words[-1] in mass or phrase.lower() in mass

    def phrase(self, fact: Fact, part: str, style: str, rng: random.Random) -> str:
        """One of the fact's phrases for `part` (adj, tag, sentence, item) in `style`, filled; "" where none."""
        choices = (self._entry(fact) or {}).get(part, {}).get(style) or []
        if not choices:
            return ""
        value, name = self._value(fact) or "", fact.field.replace("_", " ")
        # "with a zip"; "with flap pockets", "in rigid denim": no article before a plural or an uncountable noun.
        counted = value if self.language != "en" or self._uncounted(value) else f"a {value}"
        # "a fleece lining", "a regular fit"; a value that already names its kind stays as it is ("a bias cut").
        # "hidden poppers" needs no "fastening detail" after it: a plural names its thing.
        plural = value.endswith("s") and not value.endswith("ss")
        named = value if value.endswith((name, "cut")) or plural or self.language != "en" else f"{value} {name}"
        chosen = rng.choice(choices)
        if self.language != "en" and value:
            # 民族风 + "{value}风格" is 民族风格, not 民族风风格; 男女同款 + "{value}款" is 男女同款.
            chosen = re.sub(
                r"\{value\}(.)", lambda m: "{value}" + ("" if value.endswith(m.group(1)) else m.group(1)), chosen
            )
        phrase = chosen.replace("{a value}", counted).replace("{A value}", upper_first(counted))
        phrase = phrase.replace("{a named value}", named if self._uncounted(named) else f"a {named}")
        phrase = phrase.replace("{one value}", f"a {singular(value)}")  # "a button fastening"
        phrase = phrase.replace("{value}", value).replace("{Value}", upper_first(value))
        return phrase.replace("{name}", name).replace("{Name}", upper_first(name))

    def _slots(self, plan: CopyPlan, style: str, rng: random.Random, used: set[str]) -> dict[str, str]:
        if used & LONG_SLOTS:
            return self._long_slots(plan, style, rng, used)
        order = self.data["adjective_order"]
        said = set(plan.facts) if "sentences" in used else set(plan.facts[1:]) if "rest" in used else set()
        said |= set(plan.facts[:1]) if used & {"tag1", "Tag1"} else set()
        said |= set(plan.facts[1:2]) if "tag2" in used else set()
        as_adjective = [f for f in plan.facts if not (f in said and self._restates(f))]
        by_order = sorted(as_adjective, key=lambda f: order.index(f.field) if f.field in order else len(order))
        adjectives = [a for a in (self.phrase(f, "adj", style, rng) for f in by_order) if a]
        tags = [t for t in (self.phrase(f, "tag", style, rng) for f in plan.facts) if t]
        sentences = [s for s in (self.phrase(f, "sentence", style, rng) for f in plan.facts) if s]
        joiner, spec = self.data["joiner"], self.data["styles"][style]
        lead = self.phrase(plan.facts[0], "adj", style, rng) if plan.facts else ""
        close = _sign_off(plan, spec, rng)
        slots = {
            "noun": rng.choice(self.nouns(plan.category)), "adjs": joiner.join(adjectives), "adj1": lead,
            "tag1": tags[0] if tags else "", "tag2": tags[1] if len(tags) > 1 else "",
            "sentences": joiner.join(sentences), "rest": joiner.join(sentences[1:]),
            "lead": rng.choice(spec.get("lead") or [""]), "close": close,
        }  # fmt: skip
        for name in ("noun", "adjs", "adj1", "tag1"):
            slots[upper_first(name)] = upper_first(slots[name])
        return slots

    def _long_slots(self, plan: CopyPlan, style: str, rng: random.Random, used: set[str]) -> dict[str, str]:
        slots = long_slots(self, plan, style, rng, used)
        spec = self.data["styles"][style]
        slots |= {
            "noun": rng.choice(self.nouns(plan.category)),
            "lead": rng.choice(spec.get("lead") or [""]),
            "close": _sign_off(plan, spec, rng),
        }
        for name in ("noun", "adjs"):
            slots[upper_first(name)] = upper_first(slots[name])
        return slots

    def answer(self, fact: Fact, *, category: str, field_name: str) -> str | None:
        """One sentence that says what the product holds for `fact`, as an answer to a shopper ("This coat is made
        for cold weather.", "这款大衣是藏青色的。"); None where this language has no word for the value."""
        # A number or a size is said as written in every language; a word needs this language's.
        value = self._value(fact) or (fact.value if not re.search(r"[A-Za-z]", fact.value) else None)
        noun, rng = self.nouns(category)[0], random.Random(0)
        phrase = self.phrase(fact, "answer", "plain", rng) if "answer" in (self._entry(fact) or {}) else ""
        frames = self.data["answer"]
        flag = FLAGS.get(fact.value.strip().lower()) if fact.field != "category" else None
        if flag and not phrase:  # "Batteries included: no.", not "This product's batteries included is no."
            name = field_name[:1].upper() + field_name[1:]
            return frames["flag"].replace("{name}", name).replace("{value}", frames["flags"][flag])
        if value is None and not (phrase and f"{fact.field}={fact.value}" in self.data["facts"]):
            return None  # no word for the value, and no phrase of the fact's own that needs none
        if fact.field == "category":
            phrase, frames = "", {**frames, "generic": frames["category"]}
        if phrase:
            text = frames["sentence"].replace("{answer}", phrase)
        else:
            text = frames["generic"].replace("{name}", field_name).replace("{value}", value)
        text = text.replace("{noun}", noun)
        return self._tidy(self._agree(text, noun))

    def under_rules(self, text: str, style: str) -> str | None:
        """The text as the style's rules allow it (a style that never exclaims ends its sentences calmly), or
        None where a rule cannot be kept."""
        rules = self.rules.get(style, StyleRules())
        if not rules.exclamation:
            text = text.replace("!", ".").replace("！", "。")
        if rules.max_sentence_length:
            for sentence in filter(None, SENTENCE_END.split(text)):
                length = len(sentence.split()) if self.language == "en" else len(sentence.rstrip("。！？"))
                if length > rules.max_sentence_length:
                    return None
        return text

    def realise(self, plan: CopyPlan, *, kind: str, style: str, limit: int, rng: random.Random, tries: int = 2):
        """Texts for `plan` from each of the kind's templates (`tries` choices of phrases each) that fit the
        limit and the style's rules."""
        # What the language cannot say is left out, never written in another language (see `unsayable`).
        plan = CopyPlan(plan.category, tuple(fact for fact in plan.facts if self.can_say(fact)))
        found: dict[str, Realisation] = {}
        for template in self.data["styles"][style]["templates"].get(kind, []):
            used = template_slots(template)
            needed = used - OPTIONAL_SLOTS
            for _ in range(tries):
                slots = self._slots(plan, style, rng, used)
                if any(not slots[name] for name in needed):
                    break
                if plan.facts and not any(slots[name] for name in used & FACT_SLOTS):
                    break  # the product holds facts: a text that says none of them ("Hello, shoes!") is not written
                text = self.under_rules(self._tidy(self._agree(template.format(**slots), slots["noun"])), style)
                if text is not None and len(text) <= limit:
                    found.setdefault(text, Realisation(text, plan, template))
        return list(found.values())

    def _agree(self, text: str, noun: str) -> str:
        plural = noun.lower() in self.data.get("plural_nouns", ()) or noun.lower() in PLURAL_ONLY
        uncounted = noun.lower() in self.data.get("mass_nouns", ())
        return agree(text, noun, plural=plural, uncounted=uncounted) if self.language == "en" else text

    def _tidy(self, text: str) -> str:
        return tidy(text, self.language)
