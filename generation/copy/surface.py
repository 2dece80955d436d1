"""How a filled template reads: English sentences that agree with a plural or uncountable noun ("These jeans
come in indigo", no "a perfume"), "a" or "an" by the sound of the next word, and punctuation as a person writes
it whichever optional slots were left empty. Plain functions over text; the phrase banks call them."""

import re

from generation.copy.checker import indefinite_article
from generation.copy.long_form import PARAGRAPH

# A plural product's sentences, from the banks' singular ones: "It comes in navy" -> "They come in navy".
PLURAL_VERBS = {"has": "have", "is": "are", "does": "do", "goes": "go"}


def _they(match: re.Match) -> str:
    """ "It has" -> "They have", "it comes" -> "they come"."""
    they = "They" if match.group(1) == "I" else "they"
    verb = match.group(2)
    return f"{they} {PLURAL_VERBS.get(verb, verb[:-1])}"


def _plural_verb(verb: str) -> str:
    """ "has" -> "have", "comes" -> "come"; a word that is no such verb ("made") stays."""
    if verb in PLURAL_VERBS:
        return PLURAL_VERBS[verb]
    return verb[:-1] if verb.endswith("s") and not verb.endswith("ss") else verb


PLURAL_AGREEMENT = [
    (re.compile(r"\b([Ii])t (\w+s)\b"), _they),
    (re.compile(r"\bIts\b"), "Their"),
    (re.compile(r"\bits\b"), "their"),
    (re.compile(r"\b(gives|keeps|makes|Wear|wear) it\b"), r"\1 them"),
    # A tag that follows the noun: "heels, goes with everything" -> "heels, go with everything".
    (re.compile(r", (go|keep|work)s\b"), r", \1"),
]
LEFTOVER_OPENING = re.compile(r"^[\s,.;:!?·|｜–—，。；：、！？]+")
LEFTOVER_SEPARATOR = re.compile(r"[\s,;:·|｜–—，；：、]+(?=[.!?。！？]|$)")
ARTICLE_BEFORE = re.compile(r"\b([Aa])n? (?=([\w'-]+))")


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def agree(text: str, noun: str, *, plural: bool, uncounted: bool) -> str:
    """English sentences about a plural noun (jeans, heels) or an uncountable one (perfume): no "a" before it,
    and for a plural "they come", "their", "them", "are", "these"."""
    if not (plural or uncounted):
        return text

    def drop_article(match: re.Match) -> str:
        phrase = match.group(2)
        return match.group(1) + (upper_first(phrase) if match.group(1).strip() in ("", ".", "!", "?") else phrase)

    head = re.escape(noun)
    text = re.sub(rf"(^|[.!?]\s+|\s)[Aa]n?\s+((?:[\w'-]+\s+){{0,5}}?{head})\b", drop_article, text)
    if plural:
        for pattern, replacement in PLURAL_AGREEMENT:
            text = pattern.sub(replacement, text)
        text = re.sub(rf"\b({head}) is\b", r"\1 are", text)
        text = re.sub(rf"\bThis ({head}) (\w+)\b", lambda m: f"These {m.group(1)} {_plural_verb(m.group(2))}", text)
        text = re.sub(rf"\bThis ({head})'s\b", r"These \1'", text)
    return text


def tidy(text: str, language: str) -> str:
    """Spaces and punctuation as a person writes them, whichever optional slots were left empty: nothing opens
    with punctuation, and no separator is left before a full stop or the end ("Bag," or ". Bag."). Paragraphs
    (a template's ¶) are tidied each, and an empty one is dropped."""
    if PARAGRAPH in text:
        return "\n\n".join(filter(None, (tidy(part, language) for part in text.split(PARAGRAPH))))
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?:;])", r"\1", text)
    text = re.sub(r"([,，])(?:\s*[,，])+", r"\1", text)  # two empty slots in a row leave one comma
    text = LEFTOVER_OPENING.sub("", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text).replace("。。", "。")  # a value's own full stop ("Assn.")
    text = LEFTOVER_SEPARATOR.sub("", text)
    if language == "en":
        # A template's "a" takes the sound of the word after it: an umber coat, a one-off, a unisex tee.
        return upper_first(ARTICLE_BEFORE.sub(lambda m: m.group(1) + indefinite_article(m.group(2))[1:] + " ", text))
    return text.replace(" ，", "，").replace("，。", "。")
