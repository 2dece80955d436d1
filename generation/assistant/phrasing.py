"""What an endpoint's phrasing of a drafted answer adds to it. A phrasing may say the draft again in other
words, never say more: a link, an e-mail address, a phone number, a number, or a content word that neither the
draft nor its sources hold is an addition (a promise such as "returns are free forever" is made of such words),
and a phrasing with any addition is refused for the draft itself. Courtesy words (`phrasing_may_add` in the
vocabulary) are the exception."""

import re
from functools import cache

from generation.assistant.articles import content_words, synonym_group
from generation.assistant.understanding import cues

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|cn|shop|store|info)\b", re.I
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
KINDS = (("an e-mail address", EMAIL), ("a link", URL), ("a phone number", PHONE))


@cache
def _courtesy(language: str) -> frozenset[str]:
    return frozenset(
        w for phrase in cues(language).get("phrasing_may_add", []) for w in content_words(phrase, language)
    )


def phrasing_additions(phrased: str, *, draft: str, sources: list[str], language: str) -> list[str]:
    """Each thing `phrased` says that `draft` and `sources` do not, as "adds a link: …"; none: it may be sent."""
    held = " ".join([draft, *sources])
    additions, rest = [], phrased
    for kind, pattern in KINDS:
        for found in pattern.findall(rest):
            if found.lower() not in held.lower():
                additions.append(f"adds {kind}: {found.strip()}")
        rest = pattern.sub(" ", rest)
    numbers = set(NUMBER.findall(held))
    additions += [f"adds a number: {n}" for n in NUMBER.findall(rest) if n not in numbers]
    held_words = set(content_words(held, language))
    held_groups = {synonym_group(w, language) for w in held_words} - {None}
    allowed = _courtesy(language)
    for word in dict.fromkeys(content_words(NUMBER.sub(" ", rest), language)):
        if word in held_words or word in allowed or synonym_group(word, language) in held_groups:
            continue
        if language == "zh" and word in held:  # jieba may cut the same characters otherwise in the draft
            continue
        additions.append(f"adds a word: {word}")
    return additions
