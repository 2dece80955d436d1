"""The merchandiser's own description as facts: its phrases (sentences, and clauses that open with a word such as
"with" or "cut"), each said as written, so nothing in it is lost and nothing beyond it is added. Which of them a
text still needs (one whose words the text already says is left out) is the realiser's call: it knows the words."""

import re

# Where a sentence ends: an English full stop only before a space ("weighs 1.5 kg" is one sentence), a Chinese one
# anywhere, and a line break. Copy and the assistant's quotes split the same way.
SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])\s*|\n+")
# English: a comma before these words opens a clause of its own ("…, cut to sit above the knee").
CLAUSE_OPENERS = (
    "with",
    "cut",
    "made",
    "designed",
    "finished",
    "crafted",
    "perfect",
    "ideal",
    "great",
    "ready",
    "so",
    "which",
    "that",
    "for",
    "in",
    "featuring",
    "plus",
)
EN_CLAUSE = re.compile(rf",\s+(?=(?:{'|'.join(CLAUSE_OPENERS)})\b)", re.IGNORECASE)
ZH_CLAUSE = re.compile(r"[，,]")
MAX_CLAUSE = {"en": 160, "zh": 60}  # characters: longer is a paragraph, not a phrase to reuse
# Words that carry no fact: a phrase whose other words a text already says adds nothing.
STOP_WORDS = set(
    "a an the and or but of in on at to for with by from as is are be it its this that these those your you our "
    "we so very just more most into onto over under up out off than then too also all any each every one has have "
    "will can who which what where when while".split()
)
WORD = re.compile(r"[a-z0-9]+")  # "crew-neck" is "crew neck"
CJK = re.compile(r"[\u3400-\u9fff]")


def description_clauses(text: str, language: str) -> list[str]:
    """The description's phrases, without their closing punctuation, in order; a phrase in another script than
    `language`'s is left out (an English description is no Chinese fact)."""
    clauses = []
    for sentence in SENTENCE.split(text.strip()):
        parts = ZH_CLAUSE.split(sentence) if language == "zh" else EN_CLAUSE.split(sentence)
        for part in parts:
            clause = part.strip().rstrip(".!?;。！？；,，、 ").strip()
            if not clause or len(clause) > MAX_CLAUSE.get(language, 160):
                continue
            if (language == "zh") != bool(CJK.search(clause)):
                continue
            clauses.append(clause)
    return clauses


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def content_words(text: str, language: str) -> set[str]:
    """Stems of the English words that carry meaning; the characters of Chinese (it has no spaces)."""
    if language == "zh":
        return set(CJK.findall(text))
    return {_stem(word) for word in WORD.findall(text.lower()) if word not in STOP_WORDS}


def adds_to(clause: str, said: str, language: str) -> bool:
    """The clause says something `said` does not: two of its content words or half of them are new ("soft" alone
    in "a double-breasted coat in a soft wool blend" after "a navy double-breasted wool blend coat" is not)."""
    words = content_words(clause, language)
    new = words - content_words(said, language)
    return len(new) >= 2 or (bool(new) and len(new) >= 0.5 * len(words))
