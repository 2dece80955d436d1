"""Real shoppers' questions (../shared/data/epqa/, Amazon Science's ePQA dev split): the questions an attribute,
description or bullet snippet fully answers, each product built from its snippets (attributes as fields, the
description and bullets as passages). Of each answer: does the candidate it cites fully answer (label 2)? Beside
it on the same candidates: plain BM25 and a random pick. Engine only, no Django; `make bench-assistant` runs it
first."""

import csv
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
EPQA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "epqa" / "epqa_dev.csv"
SOURCES = ("attribute", "description", "bullet")
ATTRIBUTE = re.compile(r"^([a-z0-9_]+):\s*(.*)$", re.S)
VALUE = re.compile(r'value:"?([^",}]*)"?')
EXAMPLES = 10


def attribute_of(snippet: str) -> tuple[str, str] | None:
    """ "item_weight:  { unit:pounds, value:121.3 }" -> ("item_weight", "121.3 pounds")."""
    match = ATTRIBUTE.match(snippet)
    if not match:
        return None
    name, rest = match.groups()
    values = [v.strip() for v in VALUE.findall(rest) if v.strip()]
    unit = re.search(r"^\s*\{\s*unit:([a-z_]+)", rest)
    text = ", ".join(values) or rest.strip(" {}")
    return name, f"{text} {unit.group(1)}" if unit and values else text


def questions() -> list[tuple[str, str, list[dict]]]:
    by_question = defaultdict(list)
    with EPQA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source"] in SOURCES:
                by_question[row["qid"]].append(row)
    return [
        (rows[0]["question"], rows[0]["title"], rows)
        for rows in by_question.values()
        if any(row["label"] == "2" for row in rows)
    ]


def plain_bm25(question: str, snippets: list[str]) -> int:
    import bm25s

    from generation.assistant.articles import tokens

    index = bm25s.BM25()
    index.index([tokens(s, "en") or ["_"] for s in snippets], show_progress=False)
    asked = tokens(question, "en")
    return int(index.get_scores(asked).argmax()) if asked else 0


def main() -> None:
    if not EPQA.exists():
        print(f"ePQA: {EPQA} is not here; skipped")
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
    for question, title, rows in questions():
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
        bm25 += rows[plain_bm25(question, [r["candidate"] for r in rows])]["label"] == "2"
        if len(shown) < EXAMPLES and rng.random() < 0.1:
            shown.append(
                f"{question} -> {answer.action}: {answer.text[:160]}  [{'fully answers' if row and row['label'] == '2' else 'not'}]"
            )
    print(f"ePQA dev, {asked} questions an attribute, description or bullet fully answers:")
    print(f"  the assistant's cited candidate fully answers: {ours / asked:.3f}; handed off {handed_off / asked:.1%}")
    print(f"  plain BM25 over the same snippets (its best always answers): {bm25 / asked:.3f}")
    print(f"  random snippet: {chance / asked:.3f}")
    for line in shown:
        print(f"   {line}")


if __name__ == "__main__":
    main()
