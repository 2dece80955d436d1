"""Real shoppers' questions (../shared/data/epqa/, Amazon Science's ePQA dev split): the questions an attribute,
description or bullet snippet fully answers, each product built from its snippets (attributes as fields, the
description and bullets as passages). Of each answer: does the candidate it cites fully answer (label 2)? Beside
it on the same candidates: plain BM25 and a random pick. The file lists a fully answering snippet first for 91 % of
these questions, so each product's snippets are shuffled, and plain BM25 breaks its ties at random (first of ties
in the file's order: 0.79; at random: 0.71). Engine only, no Django; `make bench-assistant` runs it first."""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from epqa_data import EPQA_DIR, attribute_of, epqa_questions  # noqa: E402

EXAMPLES = 10


def plain_bm25(question: str, snippets: list[str], rng: random.Random) -> int:
    """The snippet bm25s scores best, a tie broken at random."""
    import bm25s
    import numpy as np

    from generation.assistant.articles import tokens

    index = bm25s.BM25()
    index.index([tokens(s, "en") or ["_"] for s in snippets], show_progress=False)
    asked = tokens(question, "en")
    scores = np.asarray(index.get_scores(asked)) if asked else np.zeros(len(snippets))
    return rng.choice(np.flatnonzero(scores == scores.max()).tolist())


def main() -> None:
    if not (EPQA_DIR / "epqa_dev.csv").exists():
        print(f"ePQA: {EPQA_DIR} is not here; skipped")
        return
    from generation.assistant.answer import ANSWER
    from generation.assistant.answerer import ProductFacts, answer_question
    from generation.assistant.articles import ArticleIndex
    from generation.copy.vocabulary import Vocabulary

    class NoCatalog:
        def find(self, wanted, *, like, k):
            return []

    vocabulary, articles, rng = Vocabulary.load(), ArticleIndex([]), random.Random(0)
    asked = ours = handed_off = bm25 = 0
    chance, shown = 0.0, []
    for question, title, rows in epqa_questions():
        rng.shuffle(rows)
        attributes, passages, snippet_of = {}, [], {}
        for row in rows:
            attribute = attribute_of(row["candidate"]) if row["source"] == "attribute" else None
            if attribute:
                attributes[attribute[0]] = attribute[1]
                snippet_of[("attribute", attribute[0])] = row
            else:
                passages.append(row["candidate"])
                snippet_of[("passage", row["candidate"])] = row
        product = ProductFacts("Q", title, "Product", attributes, tuple(passages))
        answer = answer_question(
            question, vocabulary=vocabulary, articles=articles, catalog=NoCatalog(), product=product, language="en"
        )
        asked += 1
        chance += sum(row["label"] == "2" for row in rows) / len(rows)
        cited = next((c for c in answer.citations if c.field != "category"), None)
        row = None
        if answer.action == ANSWER and cited is not None:
            row = snippet_of.get(("attribute", cited.field)) or next(
                (r for (kind, text), r in snippet_of.items() if kind == "passage" and cited.value in text), None
            )
        ours += bool(row and row["label"] == "2")
        handed_off += answer.action != ANSWER
        # Plain BM25 over the same snippets, whole, as they come: the best always answers.
        bm25 += rows[plain_bm25(question, [r["candidate"] for r in rows], rng)]["label"] == "2"
        if len(shown) < EXAMPLES and rng.random() < 0.1:
            shown.append(
                f"{question} -> {answer.action}: {answer.text[:160]}  [{'fully answers' if row and row['label'] == '2' else 'not'}]"
            )
    print(f"ePQA dev, {asked} questions an attribute, description or bullet fully answers:")
    print(f"  the assistant's cited candidate fully answers: {ours / asked:.3f}; handed off {handed_off / asked:.1%}")
    print(f"  plain BM25 over the same snippets (its best always answers, ties at random): {bm25 / asked:.3f}")
    print(f"  random snippet: {chance / asked:.3f}")
    for line in shown:
        print(f"   {line}")


if __name__ == "__main__":
    main()
