"""Answering from anything the product holds: each attribute ("item weight: 121.3 pounds"), its title, and each
sentence of its description and bullet points is a candidate; bm25s ranks them against the question (an
attribute whose name the question says ranks higher), and the best answers when it holds enough of the
question's words. What a shopper asks about a product is often in none of the fields a question names."""

from dataclasses import dataclass

import bm25s
import numpy as np

from generation.assistant.articles import SENTENCE, content_words, coverage_of, tokens

# The best candidate answers only when it holds this share of the question's words (or their synonyms): on ePQA,
# 0.25 hands off 30 % of answerable questions, 0.15 hands off 17 %, none 12 % but answers from any shared word.
MIN_COVERAGE = 0.15
NAME_WEIGHT = 0.5  # per question word an attribute's name holds ("weight" of item_weight): measured on ePQA
TITLE_WEIGHT = 0.5
MAX_PASSAGE = 300  # characters of a sentence quoted


@dataclass(frozen=True)
class Candidate:
    field: str  # an attribute's name, "title" or "description"
    text: str  # as quoted: "name: value" for an attribute, the sentence for a passage
    value: str = ""  # an attribute's value


def candidates_of(title: str, attributes: dict, passages: tuple[str, ...]) -> list[Candidate]:
    found = [
        Candidate(str(name), f"{str(name).replace('_', ' ')}: {value}", str(value).strip(" !{}:;,"))
        for name, value in attributes.items()
        if str(value).strip(" !{}:;,")
    ]
    found.append(Candidate("title", title, title))
    for passage in passages:
        for sentence in SENTENCE.split(passage):
            if sentence.strip():
                found.append(Candidate("description", sentence.strip()[:MAX_PASSAGE]))
    return found


def best_candidate(question: str, language: str, candidates: list[Candidate]) -> tuple[Candidate, float] | None:
    """The candidate that answers best, with the share of the question's words it holds; None below
    MIN_COVERAGE."""
    asked = tokens(question, language)
    words = content_words(question, language)
    if not asked or not candidates:
        return None
    corpus = [tokens(c.text, language) or ["_"] for c in candidates]
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    scores = np.asarray(index.get_scores(asked), dtype=float)
    for i, candidate in enumerate(candidates):
        if candidate.field == "title":  # it shares the product's words with every question about it
            scores[i] *= TITLE_WEIGHT
        elif candidate.field != "description":
            name = set(tokens(candidate.field.replace("_", " "), language))
            scores[i] += NAME_WEIGHT * len(name & set(asked))
    best = int(np.argmax(scores))
    if scores[best] <= 0:
        return None
    coverage = coverage_of(words, set(corpus[best]), language)
    return (candidates[best], coverage) if coverage >= MIN_COVERAGE else None
