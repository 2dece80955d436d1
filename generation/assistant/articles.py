"""The store's articles, searched by full-text ranking: bm25s over passages (an article's paragraphs), words
stemmed in English (PyStemmer) and cut by jieba in Chinese. Each language has its own index: an answer quotes
articles in the question's language only."""

import logging
import re
from dataclasses import dataclass

import bm25s
import jieba
import Stemmer

from generation.assistant.understanding import cues

jieba.setLogLevel(logging.WARNING)
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


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # bm25's
    coverage: float  # the share of the question's words the passage (with its title) holds


def plain(markdown: str) -> str:
    return MARKUP.sub(lambda m: m.group(1) or "", markdown).strip()


def passages_of(article: Article) -> list[Passage]:
    """Paragraphs, each with the title before it, so a paragraph that never names its topic is still found."""
    paragraphs = [plain(p) for p in re.split(r"\n\s*\n", article.body)]
    return [Passage(article, p) for p in paragraphs if p and p != article.title]


def tokens(text: str, language: str) -> list[str]:
    stop = set(cues(language)["stopwords"])
    if language == "zh":
        # Words as jieba cuts them, and their characters: 送到 still finds 送达 and 配送.
        words = [w.strip().lower() for w in jieba.cut_for_search(text)]
        words = [w for w in words if w and w not in stop and not re.fullmatch(r"\W+", w)]
        return words + [c for w in words if len(w) > 1 for c in w if c not in stop]
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in stop]
    return _stemmer.stemWords(words)


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

    def search(self, question: str, language: str, k: int = 3) -> list[Hit]:
        """The best passages of the language's articles, best first; only those sharing a word with it."""
        index, query = self.indexes.get(language), set(tokens(question, language))
        if index is None or not query:
            return []
        k = min(k, len(self.passages[language]))
        found, scores = index.retrieve([sorted(query)], k=k, show_progress=False)
        hits = []
        for i, score in zip(found[0].tolist(), scores[0].tolist(), strict=True):
            if score > 0:
                coverage = len(query & self.words[language][i]) / len(query)
                hits.append(Hit(self.passages[language][i], score, coverage))
        return hits
