"""A long description as a copywriter writes one, not a sheet of one-fact sentences: an opening sentence that
names the product with its colour, pattern, material and telling details ("A navy double-breasted wool blend coat
for women."), how it wears, one sentence listing its cut and details ("It has a regular fit, a notch collar, a
button fastening and flap pockets."), the merchandiser's own phrases that add something, what it is for, then
care, in paragraphs. A template names these parts as slots; the phrases are the banks' (each fact's `item`, the
style's `long` frames), so a style or language is data."""

import random

from generation.copy.checker import singular
from generation.copy.descriptions import adds_to
from generation.copy.planning import DESCRIPTION, PURPOSE_FIELDS, CopyPlan, Fact, describes

LONG_SLOTS = {"for", "wear", "items", "more", "purpose", "care"}
PARAGRAPH = "¶"  # where a template breaks a paragraph
OPENING_FIELDS = ("tone", "colour", "surface", "pattern", "material")  # adjectives, in this order
VARIED_FIELDS = {"material", "tone", "surface"}
DETAIL_FIELDS = {"features", "details", "highlights"}
WEAR_FIELDS = ("season", "sleeves")
MAX_DESCRIBING = 2  # describing details in the opening ("double-breasted, fully lined"); the rest are sentences
OPENING_MARGIN = 3  # words (characters in Chinese) a style's opening frame adds around the product's name


def _joined(items: list[str], words: dict) -> str:
    if len(items) < 2:
        return "".join(items)
    return words["separator"].join(items[:-1]) + words["last"] + items[-1]


def _length(sentence: str, language: str) -> int:
    """As a style's rule counts: words in English, characters in Chinese (its closing mark aside)."""
    return len(sentence.split()) if language == "en" else len(sentence.rstrip("。！？"))


def long_slots(bank, plan: CopyPlan, style: str, rng: random.Random, used: set[str]) -> dict[str, str]:
    """The long parts of a description for `plan`; a fact a part cannot say (no adjective, no item) is said in
    a sentence of its own in `more`, and a description phrase only where it adds to what the rest says."""
    spec = bank.data["styles"][style].get("long", {})
    strict = bank.rules.get(style) is not None and bank.rules[style].max_sentence_length is not None
    adjectives: list[tuple[float, str, Fact]] = []
    slots = {name: [] for name in LONG_SLOTS}
    described, descriptions = 0, []
    for fact in plan.facts:
        describing = fact.field in DETAIL_FIELDS and describes(fact.value)
        # What it is made of, or its tone, is now an adjective and now a sentence of its own: variants differ.
        sentence = fact.field in VARIED_FIELDS and rng.random() < 0.4
        if (fact.field in OPENING_FIELDS and not sentence) or (describing and described < MAX_DESCRIBING - strict):
            word = bank.phrase(fact, "adj", style, rng) or (bank.phrase(fact, "tag", style, rng) if describing else "")
            if word:
                rank = OPENING_FIELDS.index(fact.field) if fact.field in OPENING_FIELDS else len(OPENING_FIELDS) - 1.5
                adjectives.append((rank, word, fact))
                described += describing
                continue
        if fact.field == DESCRIPTION:
            descriptions.append(fact)
            continue
        if fact.field == "audience" and "for" in used:
            slots["for"].append(bank.phrase(fact, "tag", style, rng))
            continue
        item = "" if describing or fact.field in WEAR_FIELDS else bank.phrase(fact, "item", style, rng)
        if item:
            slots["items"].append(item)
            continue
        part = "wear" if fact.field in (*WEAR_FIELDS, *VARIED_FIELDS, "audience") else "more"
        part = "purpose" if fact.field in PURPOSE_FIELDS else "care" if fact.field == "care" else part
        slots[part].append(bank.phrase(fact, "sentence", style, rng))
    if strict:  # the opening must fit the style's sentence: what it made of, then its details, become sentences
        noun = max(bank.nouns(plan.category), key=len)
        room = bank.rules[style].max_sentence_length - OPENING_MARGIN
        while (
            len(adjectives) > 1
            and _length(bank.data["joiner"].join([*(w for _, w, _ in adjectives), noun]), bank.language) > room
        ):
            dropped = max(adjectives, key=lambda entry: entry[0])
            adjectives.remove(dropped)
            slots["wear"].append(bank.phrase(dropped[2], "sentence", style, rng))
    words = bank.data.get("list", {"separator": ", ", "last": " and "})
    per_sentence = spec.get("items_per_sentence", 4)
    frames = spec.get("items") or ["{items}."]
    shuffled = rng.sample(frames, len(frames))  # two lists of items open differently
    items, longest = slots["items"], bank.rules[style].max_sentence_length if strict else None
    chunks: list[list[str]] = []
    for item in items:  # a sentence holds per_sentence items, and no more than the style's longest sentence
        chunk = chunks[-1] + [item] if chunks and len(chunks[-1]) < per_sentence else None
        if chunk and longest is not None:
            sentence = max(frames, key=len).replace("{items}", _joined(chunk, words))
            chunk = chunk if _length(sentence, bank.language) <= longest else None
        if chunk:
            chunks[-1] = chunk
        else:
            chunks.append([item])
    # A last item alone reads as an afterthought: it joins the sentence before it.
    if len(chunks) > 1 and len(chunks[-1]) == 1 and not strict:
        last = chunks.pop()
        chunks[-1] += last
    joiner = bank.data["joiner"]
    found = {
        "adjs": joiner.join(word for _, word, _ in sorted(adjectives, key=lambda entry: entry[0])),
        "for": " ".join(filter(None, slots["for"])),
        "items": joiner.join(
            shuffled[number % len(shuffled)].replace("{items}", _joined(chunk, words))
            for number, chunk in enumerate(chunks)
        ),
    }
    for name in ("wear", "purpose", "care"):
        found[name] = joiner.join(filter(None, slots[name]))
    # What the text says, with every word for its category (the description's "coat" where the text says jacket).
    said = " ".join([*found.values(), *slots["more"], *bank.nouns(plan.category)])
    for fact in descriptions:  # the merchandiser's phrases that say what the rest does not
        if longest is not None and _length(fact.value, bank.language) > longest:
            continue  # longer than the style allows a sentence (playful): the style's rule wins
        if adds_to(fact.value, said, bank.language):
            slots["more"].append(bank.phrase(fact, "sentence", style, rng))
            said += " " + fact.value
    found["more"] = joiner.join(filter(None, slots["more"]))
    return found


def facts_said(text: str, facts, bank) -> list[Fact]:
    """The facts a text says, read from the text itself: the value or this language's word for it is there (a
    description phrase: its words are), or, for a fact with phrases of its own ("Sleeveless."), one of them."""
    lowered, said = text.lower(), []
    for fact in facts:
        if fact.field == DESCRIPTION:
            found = fact.value.lower() in lowered or not adds_to(fact.value, text, bank.language)
        else:
            word = (bank.word(fact) or "").lower()
            own = (bank.data["facts"].get(f"{fact.field}={fact.value}") or {}).values()
            phrases = [p for part in own if isinstance(part, dict) for ps in part.values() for p in ps]
            found = bool(word and (word in lowered or singular(word) in lowered)) or any(
                p.split("{")[0].strip().lower() in lowered for p in phrases if p.split("{")[0].strip()
            )
        if found:
            said.append(fact)
    return said
