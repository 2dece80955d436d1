"""Does the built-in copywriter's ranking earn its place? Against what reviewers decided: for each request (a
copy job's product) with an approved and a rejected variant, whether the copywriter's ranking and the banks' own
order put the approved one first. A version whose ranking does no better than the banks' order, on enough pairs,
writes its next jobs in the banks' order (its figures say why)."""

from django.conf import settings

from generation.copy.limits import kind_limit
from generation.copy.sampling import score_texts
from generation.copy.writer import ReviewedPair, approval_agreement, banks_order, normalised
from generation.models import GeneratedItem, GenerativeModel, ReviewDecision
from generation.services.copy_grounding import copy_banks, copy_said_in, copy_vocabulary
from generation.services.copy_plans import product_controls, product_plans

# Pairs a verdict needs: fewer say too little to retire a ranking (or keep one measured worse).
MIN_PAIRS = 30
MAX_PAIRS = 2000  # newest first: enough to judge, few enough to score at registration


def reviewed_copy_pairs(*, category_names: list[str] | None = None) -> list[ReviewedPair]:
    """Approved × rejected variants of the same request, each with where the banks' order placed it; pairs whose
    texts the banks no longer write (the product or the banks changed since) are left out."""
    decided = (
        GeneratedItem.objects.filter(
            kind=GeneratedItem.Kind.COPY,
            copy_job__isnull=False,
            review_state__in=[GeneratedItem.ReviewState.APPROVED, GeneratedItem.ReviewState.REJECTED],
        )
        .select_related("product__category", "copy_job")
        .order_by("-id")
    )
    if category_names:
        decided = decided.filter(product__category__name__in=category_names)
    edits = dict(
        ReviewDecision.objects.filter(item__in=decided, edited_from__gt="").values_list("item_id", "edited_from")
    )
    requests: dict[tuple[int, int], list[GeneratedItem]] = {}
    for item in decided[: MAX_PAIRS * 2]:
        requests.setdefault((item.copy_job_id, item.product_id), []).append(item)
    banks, vocabulary, said_in = copy_banks(), copy_vocabulary(), copy_said_in()
    pairs: list[ReviewedPair] = []
    for items in requests.values():
        approved = [i for i in items if i.review_state == GeneratedItem.ReviewState.APPROVED]
        rejected = [i for i in items if i.review_state == GeneratedItem.ReviewState.REJECTED]
        if not approved or not rejected:
            continue
        job, product = items[0].copy_job, items[0].product
        plans = product_plans(product, kind=job.kind, said_in=said_in, vocabulary=vocabulary, banks=banks)
        order = banks_order(
            plans=plans,
            bank=banks[job.language],
            kind=job.kind,
            style=job.style,
            seed=min(i.seed for i in items),
            limit=kind_limit(job.kind, job.language, settings.COPY_LIMITS),
        )
        controls = product_controls(product, kind=job.kind, style=job.style, language=job.language)
        for good in approved:
            original = edits.get(good.pk) or good.text  # the banks wrote what the reviewer then edited
            for bad in rejected:
                places = order.get(normalised(original)), order.get(normalised(bad.text))
                if None not in places:
                    pairs.append(ReviewedPair(controls, original, bad.text, places[0] < places[1]))
    return pairs[:MAX_PAIRS]


def copy_ranker_agreement(model, tokenizer, *, category_names: list[str] | None = None) -> dict:
    """{"pairs", "ranker", "banks"}: the share of reviewed pairs each ordering puts the approved variant first."""
    pairs = reviewed_copy_pairs(category_names=category_names)
    return approval_agreement(pairs, lambda controls, texts: score_texts(model, tokenizer, controls, texts))


def copywriter_ranks(version: GenerativeModel | None) -> bool:
    """Whether a copy job ranks with this version: unless reviewers' decisions, on MIN_PAIRS pairs or more, agreed
    with its ranking no more often than with the banks' own order."""
    if version is None:
        return False
    figures = version.metrics or {}
    if (figures.get("approval_pairs") or 0) < MIN_PAIRS or figures.get("approval_ranker") is None:
        return True
    return figures["approval_ranker"] > figures["approval_banks"]
