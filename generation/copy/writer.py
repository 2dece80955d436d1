"""Choosing a product's variants: every realisation of every plan is a candidate; the learned model ranks
them (how it scores a text for a kind, style and language), grounding refuses what breaks a rule, and the
variants are picked best first, each differing from those before it in what it says or how, never only in
word order, and never a text the batch already gave another product. Whether the model's ranking earns its place
is measured against what reviewers approved (`approval_agreement`)."""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from generation.copy.planning import LONG_KINDS, CopyPlan
from generation.copy.realisation import PhraseBank, Realisation

MAX_CANDIDATES = 64  # scored per product: enough to choose from, few enough to rank in milliseconds
# A long description says most of the product's facts in every plan: its variants differ in how each is said,
# so each template is filled with more choices of phrases than a short kind needs.
TRIES = {"description_long": 8}
# A variant sharing more of its word pairs than this with a chosen one says much the same: the first pass keeps
# only clearly different ones; the second fills up with the nearly different when a product has few facts.
OVERLAP_PASSES = (0.6, 0.85)
# A long description says every fact in every variant, so its variants share more of their phrasing; they still
# differ in how each is said, so a third pass takes those up to this overlap.
LONG_OVERLAP_PASSES = (0.6, 0.85, 0.93)
WORD = re.compile(r"\w+|[^\w\s]")


def words_of(text: str) -> list[str]:
    """Words of English; characters of Chinese (it has no spaces between words)."""
    tokens = []
    for token in WORD.findall(text.lower()):
        tokens.extend(token if not token.isascii() else [token])
    return tokens


def bigrams(text: str) -> set[tuple[str, str]]:
    tokens = words_of(text)
    return set(zip(tokens, tokens[1:]))


def distinct_2(texts: list[str]) -> float:
    """Distinct word pairs over all word pairs of the texts (Li et al. 2016): 1.0 when no pair repeats."""
    pairs = []
    for text in texts:
        tokens = words_of(text)
        pairs += zip(tokens, tokens[1:])
    return len(set(pairs)) / len(pairs) if pairs else 0.0


def normalised(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _overlap(a: set, b: set) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def banks_candidates(
    *,
    plans: list[CopyPlan],
    bank: PhraseBank,
    kind: str,
    style: str,
    limit: int,
    rng: random.Random,
    taken: set[str] = frozenset(),
    accept_fn: Callable[[str], bool] | None = None,
) -> dict[str, Realisation]:
    """Every realisation of every plan, keyed by its normalised text, in the banks' own order: the order the
    variants take when no model ranks them."""
    candidates: dict[str, Realisation] = {}
    for plan in plans:
        for realisation in bank.realise(plan, kind=kind, style=style, limit=limit, rng=rng, tries=TRIES.get(kind, 2)):
            key = normalised(realisation.text)
            if key not in taken and key not in candidates and (accept_fn is None or accept_fn(realisation.text)):
                candidates[key] = realisation
    return candidates


def banks_order(*, plans: list[CopyPlan], bank: PhraseBank, kind: str, style: str, limit: int, seed: int) -> dict:
    """Normalised text -> its place in the banks' order for a product written with `seed`."""
    found = banks_candidates(plans=plans, bank=bank, kind=kind, style=style, limit=limit, rng=random.Random(seed))
    return {key: place for place, key in enumerate(found)}


@dataclass(frozen=True)
class ReviewedPair:
    """Two variants of one request that a reviewer decided apart: which does each ordering put first?"""

    controls: dict
    approved: str
    rejected: str
    banks_first: bool  # the banks' order put the approved one first


def approval_agreement(pairs: list[ReviewedPair], score_fn: Callable[[dict, list[str]], list[float]]) -> dict:
    """How often the model's ranking, and the banks' own order, put the approved variant before the rejected one
    (a pair both order the same way counts for both)."""
    if not pairs:
        return {"pairs": 0, "ranker": None, "banks": None}
    ranker = 0
    for pair in pairs:
        approved, rejected = score_fn(pair.controls, [pair.approved, pair.rejected])
        ranker += approved > rejected
    return {
        "pairs": len(pairs),
        "ranker": round(ranker / len(pairs), 4),
        "banks": round(sum(pair.banks_first for pair in pairs) / len(pairs), 4),
    }


@dataclass
class Variant:
    realisation: Realisation
    score: float

    @property
    def text(self) -> str:
        return self.realisation.text


def write_copy(
    *, plans: list[CopyPlan], bank: PhraseBank, kind: str, style: str, limit: int, count: int, seed: int,
    score_fn: Callable[[list[str]], list[float]] | None = None, accept_fn: Callable[[str], bool] | None = None,
    taken: set[str] | None = None,
) -> list[Variant]:  # fmt: skip
    """Up to `count` variants, best first. `taken`: normalised texts already used (the product's own copy, the
    batch's lines); the chosen texts are added to it."""
    rng = random.Random(seed)
    taken = taken if taken is not None else set()
    candidates = banks_candidates(
        plans=plans, bank=bank, kind=kind, style=style, limit=limit, rng=rng, taken=taken, accept_fn=accept_fn
    )
    pool = list(candidates.values())
    if len(pool) > MAX_CANDIDATES:
        pool = rng.sample(pool, MAX_CANDIDATES)
    scores = score_fn([r.text for r in pool]) if score_fn and pool else [0.0] * len(pool)
    ranked = sorted(zip(pool, scores, strict=True), key=lambda pair: -pair[1])
    chosen: list[Variant] = []
    for most in LONG_OVERLAP_PASSES if kind in LONG_KINDS else OVERLAP_PASSES:
        for realisation, score in ranked:
            if len(chosen) == count:
                return chosen
            pairs, words = bigrams(realisation.text), sorted(words_of(realisation.text))
            if normalised(realisation.text) in taken or any(
                sorted(words_of(v.text)) == words or _overlap(pairs, bigrams(v.text)) > most for v in chosen
            ):  # taken, the same words in another order, or mostly the same phrasing
                continue
            chosen.append(Variant(realisation, score))
            taken.add(normalised(realisation.text))
    return chosen
