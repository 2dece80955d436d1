"""The learned understanding beside the rules: a logistic regression over a question's words, letter pairs (for
Chinese), whether a product is in view, and what the rules made of it (their kind, fields and wanted fields: the
rules are its features and its fallback). Its labels are a kind ("search", "policy"), a kind with a field
("product_fact:colour") or with a reason ("small_talk:thanks", "handoff:order"). It is trained on paraphrases
generated from the cue data and the shop's vocabulary (vocab/paraphrases.json) and on what reviewers approved or
corrected, and stored as arrays (no pickle): a registered version of its own."""

import io
import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jieba
import numpy as np

from generation.assistant.understanding import Question, asks_to_find, cues
from generation.copy.grounding import CJK
from generation.copy.shop_vocabulary import ShopVocabulary

TEMPLATES_PATH = Path(__file__).parent / "vocab" / "paraphrases.json"
NEEDS_VIEW = ("product_fact", "goes_with", "like_this")
# The learned label overrules the rules' only when it is at least this sure; below, the rules answer.
OVERRULES_FROM = 0.6
MIN_FEATURE_COUNT = 2  # a feature seen once in training is noise
# What the rules hand to a person for safety (one is asked for, an order, a payment) the model never takes back;
# "outside" (the weather, the news) it may: "good for cold weather?" asks about the product.
SAFE_HANDOFFS = ("person", "order", "payment", "account", "complaint")


@dataclass(frozen=True)
class Example:
    text: str
    language: str
    label: str  # "search", "product_fact:colour", "small_talk:thanks"…
    in_view: bool


@cache
def templates() -> dict:
    return json.loads(TEMPLATES_PATH.read_text(encoding="utf-8"))


def label_of(question: Question) -> str:
    if question.kind == "product_fact" and question.fields:
        return f"product_fact:{question.fields[0]}"
    if question.kind in ("small_talk", "handoff"):
        return f"{question.kind}:{question.reason}"
    return question.kind


def features(question: Question, in_view: bool) -> list[str]:
    """What the model reads of a question that the rules understood as `question`."""
    lowered = question.text.lower()
    if question.language == "zh":
        words = [w for w in jieba.lcut(lowered) if w.strip() and not re.fullmatch(r"\W+", w)]
        letters = CJK.findall(lowered)
        grams = [f"p:{a}{b}" for a, b in zip(letters, letters[1:], strict=False)] + [f"c:{c}" for c in letters]
    else:
        words = re.findall(r"[a-z0-9']+", lowered)
        grams = [f"p:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    found = [f"w:{w}" for w in words] + grams
    found += [f"rule:{question.kind}", f"rule:{label_of(question)}", f"view:{in_view}", f"first:{words[:1]}"]
    found += [f"asked:{name}" for name in question.fields] + [f"wants:{name}" for name in question.wanted]
    found += [f"rule+view:{question.kind}:{in_view}", f"lang:{question.language}"]
    return sorted(set(found))


@dataclass
class IntentModel:
    names: list[str]  # feature names, in column order
    labels: list[str]
    weights: np.ndarray  # labels × features
    bias: np.ndarray
    figures: dict = field(default_factory=dict)

    def __post_init__(self):
        self._column = {name: i for i, name in enumerate(self.names)}

    def probabilities(self, question: Question, in_view: bool) -> np.ndarray:
        columns = [self._column[f] for f in features(question, in_view) if f in self._column]
        scores = self.weights[:, columns].sum(axis=1) + self.bias
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def label(self, question: Question, in_view: bool) -> tuple[str, float]:
        probability = self.probabilities(question, in_view)
        best = int(np.argmax(probability))
        return self.labels[best], float(probability[best])

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            names=np.asarray(self.names),
            labels=np.asarray(self.labels),
            weights=self.weights,
            bias=self.bias,
            figures=np.asarray(json.dumps(self.figures)),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "IntentModel":
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        return cls(
            [str(n) for n in arrays["names"]],
            [str(label) for label in arrays["labels"]],
            arrays["weights"],
            arrays["bias"],
            json.loads(str(arrays["figures"])),
        )


def overruled(question: Question, model: IntentModel | None, *, in_view: bool) -> Question:
    """The rules' `question`, or what the learned model reads instead where it is sure and its reading can be
    answered: a kind about a product needs one in view, a search needs something to search for, a hand-off the
    rules found (a person asked for, an order) is never overruled, nor a named field of the product in view into a
    search."""
    if model is None or question.kind == "handoff" and question.reason in SAFE_HANDOFFS:
        return question
    label, probability = model.label(question, in_view)
    if probability < OVERRULES_FROM or label == label_of(question):
        return question
    kind, _, detail = label.partition(":")
    if kind in NEEDS_VIEW and not in_view or kind == "search" and not question.wanted or kind == "handoff":
        return question
    # A field of the product in view that the question names ("这款有花纹吗？": its pattern) is stronger evidence
    # than the model's reading it as a search for other products, unless the question asks to find ("有没有…").
    if (
        question.kind == "product_fact"
        and question.fields
        and kind in ("like_this", "search")
        and not asks_to_find(question.text, question.language)
    ):
        return question
    if kind == "product_fact":
        fields = question.fields if question.kind == "product_fact" else []
        return Question(question.text, question.language, kind, fields=fields or [detail], wanted=question.wanted)
    return Question(question.text, question.language, kind, reason=detail, wanted=question.wanted)


def _fillers(shop: ShopVocabulary, language: str) -> dict[str, list[str]]:
    """The shop's phrases by what they name, in the language's script: {category}, {colour}, {gender}…"""
    found: dict[str, set[str]] = {}
    for phrase, meanings in shop.phrases.items():
        if bool(CJK.search(phrase)) != (language == "zh"):
            continue
        for name, _ in meanings:
            found.setdefault(name, set()).add(phrase)
            if name != "category":
                found.setdefault("value", set()).add(phrase)
    return {name: sorted(phrases) for name, phrases in found.items()}


def generated_examples(shop: ShopVocabulary, language: str, *, per_template: int = 6, seed: int = 0) -> list[Example]:
    """Paraphrases of every label: each template filled `per_template` times with the shop's words and the cues."""
    rng, words = random.Random(seed), cues(language)
    fillers = _fillers(shop, language)
    whom = [w for group in words.get("audience_words", {}).values() for w in group]
    fillers |= templates()["_fillers"][language]
    fillers |= {"whom": whom, "gender": fillers.get("gender") or fillers.get("audience") or whom}
    fillers.setdefault("colour", fillers.get("color") or fillers.get("base_colour") or ["black", "黑色"])
    fillers.setdefault("season", ["winter", "summer"] if language == "en" else ["冬天", "夏天"])
    examples = []
    for label, patterns in templates()[language].items():
        kind, _, reason = label.partition(":")
        label_cues = {"policy": words["policy"]}.get(kind) or words.get(kind, {})
        if isinstance(label_cues, dict):
            label_cues = label_cues.get(reason, [])
        words_for = {**fillers, "cue": label_cues}
        for pattern in patterns:
            for _ in range(per_template if "{" in pattern else 1):
                text = re.sub(r"\{(\w+)\}", lambda m, w=words_for: rng.choice(w.get(m.group(1)) or ["it"]), pattern)
                in_view = kind in NEEDS_VIEW or kind != "clarify" and rng.random() < 0.5
                examples.append(Example(text, language, label, in_view))
    return examples


def train_intent_model(
    examples: Iterable[Example], understood: Callable[[Example], Question], *, seed: int = 0
) -> IntentModel:
    """A logistic regression over the examples' features, the rules' reading of each (`understood`) among them."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    examples = list(examples)
    rows = [features(understood(example), example.in_view) for example in examples]
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(name for name, count in counts.items() if count >= MIN_FEATURE_COUNT)
    column = {name: i for i, name in enumerate(names)}
    cells = [(i, column[name]) for i, row in enumerate(rows) for name in row if name in column]
    matrix = csr_matrix(
        (np.ones(len(cells)), ([r for r, _ in cells], [c for _, c in cells])), shape=(len(rows), len(names))
    )
    fitted = LogisticRegression(max_iter=3000, C=4.0, random_state=seed).fit(matrix, [e.label for e in examples])
    weights, bias = fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32)
    if len(fitted.classes_) == 2:  # a binary fit keeps one row: the second label's
        weights, bias = np.vstack([-weights, weights]) / 2, np.concatenate([-bias, bias]) / 2
    return IntentModel(names, [str(c) for c in fitted.classes_], weights, bias)


def intent_accuracy(model: IntentModel | None, examples: list[Example], understood: Callable[[Example], Question]):
    """The share of examples whose kind (with its reason; a product fact's field aside) is read right, by the
    rules with the model beside them (the rules alone where `model` is None)."""
    right = 0
    for example in examples:
        question = overruled(understood(example), model, in_view=example.in_view)
        right += _kind(label_of(question)) == _kind(example.label)
    return right / len(examples) if examples else 0.0


def _kind(label: str) -> str:
    return label.split(":")[0] if label.startswith("product_fact") else label
