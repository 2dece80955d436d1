"""Trains the assistant's passage ranker (generation/assistant/passages.py) on real shoppers' questions and writes
its weights to generation/assistant/vocab/passage_ranker.json. Each hetPQA train product's evidence rows are its
candidates; a question's own evidence answers it, the others of its product do not. Its threshold: the
probability above which 95 % of hetPQA dev's questions (each answerable) get an answer. Beside it, on ePQA dev:
what it cites, and plain BM25's. `make bench-passage-ranker`."""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from epqa_data import EPQA_DIR, epqa_questions, hetpqa_products, snippet_candidate  # noqa: E402

from generation.assistant.passages import FEATURES, RANKER_PATH, answering_probability, candidate_features  # noqa: E402

ANSWERED_SHARE = 0.95


def examples(split: str) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Features, labels and each question's row span, over products with two evidence rows or more."""
    rows, labels, spans = [], [], []
    for product in hetpqa_products(split):
        if len(product) < 2:
            continue
        texts = [snippet_candidate(row) for row in product]
        for asked in product:
            start = len(labels)
            rows.extend(candidate_features(asked["question"], "en", texts))
            labels.extend(int(row["question"] == asked["question"]) for row in product)
            spans.append((start, len(labels)))
    return np.asarray(rows), np.asarray(labels), spans


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    if not (EPQA_DIR / "hetpqa_answer_generation_train.csv").exists():
        print(f"{EPQA_DIR} is not here: nothing to train on")
        return
    features, labels, _ = examples("train")
    fitted = LogisticRegression(max_iter=5000).fit(features, labels)
    model = {"weights": fitted.coef_[0].round(4).tolist(), "bias": round(float(fitted.intercept_[0]), 4)}
    dev_features, dev_labels, spans = examples("dev")
    probability = answering_probability(dev_features, model)
    best = sorted(probability[a:b].max() for a, b in spans)
    model["answers_from"] = round(float(best[int(len(best) * (1 - ANSWERED_SHARE))]), 4)
    right = np.mean([dev_labels[a:b][probability[a:b].argmax()] for a, b in spans])
    cited = bm25 = 0
    questions, rng = epqa_questions(), np.random.default_rng(0)
    for question, _, rows in questions:
        rows = [rows[i] for i in rng.permutation(len(rows))]  # the file lists the answering snippet first
        scored = candidate_features(question, "en", [snippet_candidate(row) for row in rows])
        cited += rows[int(answering_probability(scored, model).argmax())]["label"] == "2"
        bm25 += rows[int(rng.choice(np.flatnonzero(scored[:, 0] == scored[:, 0].max())))]["label"] == "2"
    model |= {
        "features": list(FEATURES),
        "trained_on": f"hetPQA train: {len(labels):,} candidates of {int(labels.sum()):,} questions",
        "figures": {
            "hetpqa_dev_right": round(float(right), 3),
            "epqa_dev_right": round(cited / len(questions), 3),
            "epqa_dev_plain_bm25": round(bm25 / len(questions), 3),
        },
    }
    RANKER_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in model.items() if k != "features"}, indent=1))


if __name__ == "__main__":
    main()
