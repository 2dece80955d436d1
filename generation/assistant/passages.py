"""Answering from anything the product holds: each attribute ("item weight: 121.3 pounds"), its title, and each
passage of its description and bullet points is a candidate. A learned ranker (logistic regression over lexical
features: bm25s's score and rank, the share of the question's words held, an attribute's name, whether a question
asking "how many" meets a number...) scores them; the best answers when its probability of answering is high
enough, quoting the sentence of a passage that holds the answer. Its weights are data (vocab/passage_ranker.json),
trained by `bench/passage_ranker_train.py` on real shoppers' questions (hetPQA's train split)."""

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import bm25s
import numpy as np

from generation.assistant.articles import answering_sentences, content_words, coverage_of, tokens
from generation.assistant.understanding import YES_NO

RANKER_PATH = Path(__file__).parent / "vocab" / "passage_ranker.json"
MAX_PASSAGE = 300  # characters of a sentence quoted
# Questions that want a number, by language: a number or an attribute answers them (and those answered yes or no).
NUMBER_ASKED = {
    "en": re.compile(
        r"\b(how (many|much|long|big|tall|wide|high|heavy|deep|thick|large|small)|size|weight|dimensions?|"
        r"measure\w*|length|width|height|capacity|watts?|volts?)\b"
    ),
    "zh": re.compile(r"多少|多大|多长|多高|多宽|多重|尺寸|尺码|重量|容量|长度|宽度|高度"),
}
FEATURES = (
    "bm25 / best",
    "log bm25",
    "ranked first",
    "1 / (1 + rank)",
    "question words held",
    "name words asked",
    "attribute",
    "title",
    "log length",
    "number asked and held",
    "number asked, attribute",
    "yes or no, attribute",
    "word pairs held",
    "share of its words asked",
    "letter groups held",
)


@dataclass(frozen=True)
class Candidate:
    field: str  # an attribute's name, "title" or "description"
    text: str  # as ranked: "name: value" for an attribute, the whole passage
    value: str = ""  # an attribute's value


def candidates_of(title: str, attributes: dict, passages: tuple[str, ...]) -> list[Candidate]:
    found = [
        Candidate(str(name), f"{str(name).replace('_', ' ')}: {value}", str(value).strip(" !{}:;,"))
        for name, value in attributes.items()
        if str(value).strip(" !{}:;,")
    ]
    found.append(Candidate("title", title, title))
    found += [Candidate("description", passage.strip()) for passage in passages if passage.strip()]
    return found


def candidate_features(question: str, language: str, texts: list[tuple[str, str]]) -> np.ndarray:
    """A row of FEATURES per candidate, given as (kind, text) with kind an attribute's name, "title" or
    "description"; bm25s indexes the candidates of this one question."""
    asked = tokens(question, language)
    words = content_words(question, language)
    corpus = [tokens(text, language) or ["_"] for _, text in texts]
    scores = np.zeros(len(texts))
    if asked:
        index = bm25s.BM25()
        index.index(corpus, show_progress=False)
        scores = np.asarray(index.get_scores(asked), dtype=float)
    best = scores.max() if scores.max() > 0 else 1.0
    rank = np.empty(len(texts))
    rank[(-scores).argsort(kind="stable")] = np.arange(len(texts))
    rank[scores <= 0] = np.inf  # a candidate sharing no word with the question is not ranked at all
    lowered = question.lower()
    wants_number = bool(NUMBER_ASKED.get(language, NUMBER_ASKED["en"]).search(lowered))
    yes_no = bool(YES_NO.get(language, YES_NO["en"]).search(lowered))
    pairs, held_asked = set(zip(asked, asked[1:], strict=False)), set(asked)
    grams = _letter_groups(" ".join(words))
    rows = []
    for i, (kind, text) in enumerate(texts):
        held = corpus[i]
        attribute = kind not in ("title", "description")
        name = set(tokens(kind.replace("_", " "), language)) if attribute else set()
        rows.append(
            [
                scores[i] / best,
                math.log1p(scores[i]),
                rank[i] == 0,
                1 / (1 + rank[i]),
                coverage_of(words, set(held), language),
                len(name & held_asked),
                attribute,
                kind == "title",
                math.log1p(len(held)),
                wants_number and bool(re.search(r"\d", text)),
                wants_number and attribute,
                yes_no and attribute,
                len(pairs & set(zip(held, held[1:], strict=False))),
                len(set(held) & held_asked) / len(set(held)),
                len(grams & _letter_groups(text.lower())) / (len(grams) or 1),
            ]
        )
    return np.asarray(rows, dtype=float)


def _letter_groups(text: str, size: int = 4) -> set[str]:
    """Runs of four letters within words: "mics" meets "microphones", "drainage" meets "drain holes"."""
    return {word[i : i + size] for word in re.findall(r"\w+", text) for i in range(max(1, len(word) - size + 1))}


@cache
def ranker() -> dict:
    """{"weights", "bias", "answers_from", "trained_on", "figures"}: the shipped ranker."""
    return json.loads(RANKER_PATH.read_text(encoding="utf-8"))


def answering_probability(features: np.ndarray, model: dict | None = None) -> np.ndarray:
    model = model or ranker()
    return 1 / (1 + np.exp(-(features @ np.asarray(model["weights"]) + model["bias"])))


def best_candidate(question: str, language: str, candidates: list[Candidate]) -> tuple[Candidate, float] | None:
    """The candidate most likely to answer, with that probability, a passage cut to the sentence(s) that answer;
    None when even the best is below the ranker's `answers_from`. The title shares the product's words with every
    question about it, so it is ranked only where nothing else answers (on ePQA: 0.72 cited right with it last,
    0.66 ranked with the rest)."""
    if not tokens(question, language):
        return None
    for ranked in ([c for c in candidates if c.field != "title"], candidates):
        if not ranked:
            continue
        probability = answering_probability(candidate_features(question, language, [(c.field, c.text) for c in ranked]))
        best = int(np.argmax(probability))
        if probability[best] >= ranker()["answers_from"]:
            chosen = ranked[best]
            if chosen.field == "description":
                chosen = Candidate("description", answering_sentences(question, chosen.text, language)[:MAX_PASSAGE])
            return chosen, float(probability[best])
    return None
