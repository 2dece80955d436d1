"""The store's articles, searched by full-text ranking: bm25s over passages (an article's paragraphs), words
stemmed in English (PyStemmer) and cut by jieba in Chinese. Each language has its own index: an answer quotes
articles in the question's language only."""

import logging
import re
from dataclasses import dataclass
from functools import cache

import bm25s
import jieba
import Stemmer

from generation.assistant.understanding import cues
from generation.copy.descriptions import SENTENCE

jieba.setLogLevel(logging.WARNING)
logging.getLogger("bm25s").setLevel(logging.WARNING)
_stemmer = Stemmer.Stemmer("english")
MARKUP = re.compile(r"^\s*(?:#+|[-*+]|\d+\.)\s*|[*_`>]|\[([^\]]*)\]\([^)]*\)", re.M)


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    language: str
    body: str  # Markdown


@dataclass(frozen=True)
class Passage:
    article: Article
    text: str  # plain text, as quoted
    order: int = 0  # its place in the article: the first paragraph usually says what the article is about


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # bm25's
    coverage: float  # the share of the question's words the passage (with its title) holds


def load_dictionaries() -> None:
    """jieba loads its dictionary at the first Chinese question; a web process loads it at start instead."""
    jieba.initialize()


def plain(markdown: str) -> str:
    return MARKUP.sub(lambda m: m.group(1) or "", markdown).strip()


def passages_of(article: Article) -> list[Passage]:
    """Paragraphs, each with the title before it, so a paragraph that never names its topic is still found."""
    paragraphs = [plain(p) for p in re.split(r"\n\s*\n", article.body)]
    kept = [p for p in paragraphs if p and p != article.title]
    return [Passage(article, text, order) for order, text in enumerate(kept)]


# A passage answers only when it holds at least this share of the question's words (or their synonyms).
MIN_COVERAGE = 0.5
TIE_ROOM = 7  # passages fetched beyond k, to be ranked again with their place in the article
FIRST_PARAGRAPH_BONUS = 1.1  # the paragraph that says what the article is about, ahead of a near tie


@cache
def _synonyms(language: str) -> dict[str, str]:
    """Word (as tokens() gives it) -> the first word of its synonym group."""
    groups = {}
    for group in cues(language)["synonyms"]:
        words = [w for phrase in group for w in content_words(phrase, language)]
        groups |= {word: f"~{words[0]}" for word in words}
    return groups


def content_words(text: str, language: str) -> list[str]:
    stop = set(cues(language)["stopwords"])
    if language == "zh":
        words = [w.strip().lower() for w in jieba.cut_for_search(text)]
        return [w for w in words if w and w not in stop and not re.fullmatch(r"\W+", w)]
    return _stemmer.stemWords([w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in stop])


def synonym_group(word: str, language: str) -> str | None:
    """The synonym group a word (as content_words() gives it) belongs to, if any."""
    return _synonyms(language).get(word)


def coverage_of(words: list[str], held: set[str], language: str) -> float:
    """The share of a question's words (content_words) that `held` (tokens) holds, itself or by a synonym."""
    synonyms = _synonyms(language)
    return sum(w in held or synonyms.get(w, w) in held for w in words) / len(words) if words else 0.0


def tokens(text: str, language: str) -> list[str]:
    """Words (stemmed English, jieba's Chinese), each followed by its synonym group's name when it has one, so
    送到 finds 配送 and "delivery" finds shipping."""
    synonyms = _synonyms(language)
    found = []
    for word in content_words(text, language):
        found.append(word)
        if word in synonyms:
            found.append(synonyms[word])
    return found


class ArticleIndex:
    def __init__(self, articles: list[Article]):
        self.passages: dict[str, list[Passage]] = {}
        self.words: dict[str, list[set[str]]] = {}
        self.indexes: dict[str, bm25s.BM25] = {}
        for article in articles:
            self.passages.setdefault(article.language, []).extend(passages_of(article))
        for language, passages in self.passages.items():
            # The title counts twice: a passage of "Returns" is about returns even when it never says so.
            tokenised = [tokens(f"{p.article.title} {p.article.title} {p.text}", language) for p in passages]
            self.words[language] = [set(t) for t in tokenised]
            index = bm25s.BM25()
            index.index(tokenised, show_progress=False)
            self.indexes[language] = index

    def search(self, question: str, language: str, k: int = 3, min_coverage: float = MIN_COVERAGE) -> list[Hit]:
        """The best passages of the language's articles, best first; only those holding at least `min_coverage`
        of the question's words, a word counted when it or a synonym is there."""
        index, words = self.indexes.get(language), content_words(question, language)
        if index is None or not words:
            return []
        found, scores = index.retrieve(
            [tokens(question, language)], k=min(k + TIE_ROOM, len(self.passages[language])), show_progress=False
        )
        hits = []
        for i, score in zip(found[0].tolist(), scores[0].tolist(), strict=True):
            held = self.words[language][i]
            coverage = coverage_of(words, held, language)
            passage = self.passages[language][i]
            if score > 0 and coverage >= min_coverage:
                ranked = score * (FIRST_PARAGRAPH_BONUS if passage.order == 0 else 1.0)
                hits.append((ranked, -i, Hit(passage, score, coverage)))
        return [hit for *_, hit in sorted(hits, key=lambda h: (h[0], h[1]), reverse=True)][:k]


def answering_sentences(question: str, passage: str, language: str) -> str:
    """The sentence of a passage that holds most of the question's words (the one before or after it too where
    it ties): a delivery question gets the delivery time, not the countries and the express terms."""
    sentences = [s.strip() for s in SENTENCE.split(passage) if s.strip()]
    if len(sentences) < 2:
        return passage
    asked = set(tokens(question, language))
    scores = [len(asked & set(tokens(sentence, language))) for sentence in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        return sentences[0]
    chosen = [i for i in range(len(sentences)) if scores[i] == scores[best] and abs(i - best) <= 1]
    joiner = "" if language == "zh" else " "
    return joiner.join(sentences[i] for i in chosen)
