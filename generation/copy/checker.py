"""Mistakes of form a reader sees at once, whatever the facts: a doubled article ("the The", "a a"), stray
punctuation (", .", a sentence that starts with a comma, "Bag,"), the wrong indefinite article ("a umber",
"an one-off") and a singular article before a plural noun ("A jeans", "a tshirts"). Run on every text the studio
writes (`make bench-copy` counts them; tests assert none); plain Python."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words spelled with a vowel that sound a consonant first, and the reverse: the a/an rule goes by sound.
CONSONANT_SOUND = re.compile(r"^(?:one(?:\b|-)|once|uni(?!n)|use|usu|uti|ure|euro|eu|ewe|u-)")
VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir)")
# Where a noun phrase after "a" ends: its last word before these is its head noun ("a dress with pockets").
PHRASE_END = re.compile(r"[,.;:!?–—()]|\b(?:with|in|for|and|or|of|that|to|from|by|on|at|is|it)\b", re.IGNORECASE)
# Nouns only ever plural in English: "a jeans" is wrong, "jeans" or "a pair of jeans" right.
PLURAL_ONLY = set(
    "jeans trousers shorts leggings jeggings tights pyjamas pajamas sunglasses glasses briefs boxers"
    " trunks capris chinos joggers overalls dungarees flip-flops knickers pants slacks suspenders braces clothes goggles tongs".split()
)

DOUBLED_ARTICLE = re.compile(r"\b(a|an|the)\s+(a|an|the)\b(?![\w-])", re.IGNORECASE)  # "an A-line" is right
# "男女同款款", "民族风风格": a value ending in the word its template adds
DOUBLED_ZH = re.compile(r"(这款|这件|这双|一款)\1|款款(?!深)|风风(?!火)|色色")
STRAY_PUNCTUATION = re.compile(
    r"^\s*[,.;:!?，。；：]"  # a text that opens with punctuation
    r"|[,;:，；：、]\s*[.!?。！？]"  # a comma left before a full stop: an empty slot
    r"|(?<!\.)\.\s*\.(?!\.)"  # ". ." or "..", not an ellipsis
    r"|[,，]\s*[,，]"  # two commas
    r"|\s[,.;:!?](?!\d)"  # a space before punctuation
    r"|[,;:，；：、]\s*$"  # a text that ends on a comma
    r"|^\s*\w+[,，]\s*$"  # a lone word and a comma ("Bag,")
    r"|\(\s*\)"
)
ARTICLE_WORD = re.compile(r"\b(a|an)\s+([\w'-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class FormProblem:
    kind: str  # "doubled article", "stray punctuation", "a/an", "agreement"
    excerpt: str


def indefinite_article(word: str) -> str:
    """ "a" or "an" before `word`, by its sound: an umber, a one-off, a user, an hour, an FM set."""
    lower = word.lower()
    if not lower:
        return "a"
    if VOWEL_SOUND.match(lower):
        return "an"
    if CONSONANT_SOUND.match(lower):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def singular(noun: str) -> str:
    """A plain English plural's singular ("hoodies" -> "hoodie", "watches" -> "watch"); other words as they are."""
    last = noun.split()[-1] if noun.split() else noun
    if re.search(r"(?:ss|x|ch|sh)es$", last):
        return noun[:-2]
    if last.endswith("s") and not last.endswith(("ss", "us", "is", "as")):
        return noun[:-1]
    return noun


def is_plural_noun(word: str, singulars: Iterable[str] = ()) -> bool:
    """Plural-only nouns, and the plural of a noun the caller knows in the singular ("tshirts" of "tshirt")."""
    lower = word.lower()
    if lower in PLURAL_ONLY:
        return True
    one = singular(lower)
    return one != lower and one in {s.lower() for s in singulars}


def form_problems(text: str, *, singulars: Iterable[str] = ()) -> list[FormProblem]:
    """The mistakes of form in `text`; `singulars`: nouns known in the singular, so their plurals are recognised."""
    problems = [FormProblem("doubled article", m.group()) for m in DOUBLED_ARTICLE.finditer(text)]
    problems += [FormProblem("doubled article", m.group()) for m in DOUBLED_ZH.finditer(text)]
    problems += [FormProblem("stray punctuation", m.group()) for m in STRAY_PUNCTUATION.finditer(text)]
    singulars = list(singulars)
    for match in ARTICLE_WORD.finditer(text):
        article, word = match.group(1).lower(), match.group(2)
        if article != indefinite_article(word):
            problems.append(FormProblem("a/an", match.group()))
        phrase = PHRASE_END.split(text[match.end() - len(word) :], maxsplit=1)[0].split()
        if phrase and is_plural_noun(phrase[-1].strip("'"), singulars):
            problems.append(FormProblem("agreement", f"{match.group(1)} {' '.join(phrase)}"))
    return problems
