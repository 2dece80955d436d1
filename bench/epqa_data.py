"""Reading Amazon Science's product-question sets (../shared/data/epqa/): ePQA's dev split (questions with ten
labelled snippets each) and hetPQA's answer-generation splits (question, the evidence that answers it). An
attribute snippet ("item_weight:  { unit:pounds, value:121.3 }") becomes a field as a shop would import it:
("item_weight", "121.3 pounds")."""

import csv
import re
from collections import defaultdict
from pathlib import Path

EPQA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "epqa"
ANSWERING_SOURCES = ("attribute", "description", "bullet")
ATTRIBUTE = re.compile(r'^"?([a-z0-9_]+):\s*(.*)$', re.S)
NORMALISED = re.compile(r"normalized_value:\s*\{[^{}]*\},?")
STANDARDISED = re.compile(r"standardized_values:\s*\[[^\]]*\],?")  # the value follows as written
MEASURE = re.compile(r"(\w+):\s*\{\s*unit:\s*(\w+),\s*value:\s*([^,{}]+?)\s*\}")
UNIT_VALUE = re.compile(r"unit:\s*(\w+),\s*value:\s*([^,{}]+?)\s*(?:[,}]|$)")
PAIR = re.compile(r"(\w+):\s*([^,{}]+?)\s*(?=[,}]|$)")
SAID = {"true": "yes", "false": "no"}


def _plain(value: str) -> str:
    value = value.strip().strip("\"'|").replace('""', '"').replace("|", "").rstrip(".")
    return SAID.get(value, value.replace("_", " "))


def attribute_of(snippet: str) -> tuple[str, str] | None:
    """ "item_dimensions: { width:{ unit:inches, value:4. }, ...}" -> ("item_dimensions", "width 4 inches, ...")."""
    match = ATTRIBUTE.match(snippet.strip())
    if not match:
        return None
    name, rest = match.groups()
    rest = STANDARDISED.sub("", NORMALISED.sub("", rest.replace('""', '"')))
    measures = [f"{key} {_plain(value)} {unit.replace('_', ' ')}" for key, unit, value in MEASURE.findall(rest)]
    if measures:
        return name, ", ".join(measures)
    unit = UNIT_VALUE.search(rest)
    if unit:
        return name, f"{_plain(unit.group(2))} {unit.group(1).replace('_', ' ')}"
    pairs = [(key, _plain(value)) for key, value in PAIR.findall(rest) if _plain(value)]
    if pairs:
        return name, ", ".join(value if key == "value" else f"{key} {value}" for key, value in pairs)
    return name, _plain(rest.strip(" {}"))


def epqa_questions() -> list[tuple[str, str, list[dict]]]:
    """(question, product title, its snippets' rows) of the ePQA dev questions an attribute, description or
    bullet snippet fully answers (label 2); rows of those sources only."""
    by_question = defaultdict(list)
    with (EPQA_DIR / "epqa_dev.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source"] in ANSWERING_SOURCES:
                by_question[row["qid"]].append(row)
    return [
        (rows[0]["question"], rows[0]["title"], rows)
        for rows in by_question.values()
        if any(row["label"] == "2" for row in rows)
    ]


def hetpqa_products(split: str) -> list[list[dict]]:
    """hetPQA's rows of `split` grouped by product: each row a question and the evidence that answers it."""
    by_product = defaultdict(list)
    with (EPQA_DIR / f"hetpqa_answer_generation_{split}.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_product[row["ASIN"]].append(row)
    return list(by_product.values())


def snippet_candidate(row: dict) -> tuple[str, str]:
    """(kind, text) as the assistant ranks a snippet: an attribute by its name as "name: value", else a passage."""
    attribute = attribute_of(row["candidate"]) if row["source"] == "attribute" else None
    if attribute:
        return attribute[0], f"{attribute[0].replace('_', ' ')}: {attribute[1]}"
    return "description", row["candidate"]
