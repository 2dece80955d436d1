"""Copy as people ask for it: for each product a plan of what to say (its facts and what they mean to a
shopper), realised for the kind, style and language from the phrase banks; the built-in copywriter (trained on
the catalog's copy, approved copy and the banks' realisations) ranks the realisations, grounding refuses what
breaks a rule, and the variants differ from each other and from every other product's in the batch. The
configured endpoint is briefed with the same plan and checked the same way. Variants are queued for review as
GeneratedItems of kind "copy"."""

import difflib
import functools
import io
import random
from collections.abc import Callable

import torch
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Category, Product
from generation.copy.endpoint import ChatEndpoint, chat_messages
from generation.copy.grounding import language_of
from generation.copy.limits import KINDS, kind_limit
from generation.copy.planning import copy_plans
from generation.copy.realisation import PhraseBank
from generation.copy.sampling import score_texts
from generation.copy.training_loop import CopyTrainConfig, model_from_state, state_of, training_loop
from generation.copy.vocabulary import LANGUAGES, Vocabulary
from generation.copy.writer import Variant, normalised, write_copy
from generation.models import CopyJob, Family, GeneratedItem, GenerativeModel, JobStatus
from generation.services.copy_grounding import (
    copy_banks,
    copy_said_in,
    copy_vocabulary,
    missing_terms_count,
    missing_terms_listed,
    product_copy_flags,
)
from generation.services.copy_plans import product_controls, product_plans
from generation.services.copy_ranking import copy_ranker_agreement, copywriter_ranks
from generation.services.first_run import first_run_copy_done
from generation.services.job_lifecycle import (
    JobCancelled,
    job_claim,
    job_fail,
    job_finish,
    job_heartbeat,
    job_language,
    job_stop_if_cancelled,
)
from generation.services.jobs import MAX_VARIANTS, STYLES, copy_styles
from generation.services.models import next_version, version_store
from generation.services.references import PhaseFn, no_phase
from retail_studio.errors import StudioError

NEAR_DUPLICATE = 0.9  # texts this similar (difflib ratio, after normalising) count as one
PREVIEW_PRODUCTS = 3
# The banks' realisations the copywriter learns from: for this many products, this many requests each.
BANK_EXAMPLE_PRODUCTS, BANK_EXAMPLES_PER_PRODUCT = 3000, 6
# Flags a variant may carry into review: a keyword the banks cannot say is the reviewer's call, not a refusal.
REVIEWABLE_FLAGS = {"missing_keyword"}


def _bank_examples(products: list[Product], banks: dict[str, PhraseBank], seed: int = 0) -> list:
    """Realisations of the products' plans in every kind, style and language, so the copywriter learns how
    each reads (and Chinese at all, where the catalog has none)."""
    rng, examples = random.Random(seed), []
    requests = [(kind, style, language) for kind in KINDS for style in STYLES for language in LANGUAGES]
    for product in products:
        for kind, style, language in rng.sample(requests, BANK_EXAMPLES_PER_PRODUCT):
            plan = rng.choice(copy_plans(product.category.name, product.attributes or {}, kind=kind))
            limit = kind_limit(kind, language, settings.COPY_LIMITS)
            realised = banks[language].realise(plan, kind=kind, style=style, limit=limit, rng=rng, tries=1)
            if realised:
                controls = product_controls(product, kind=kind, style=style, language=language)
                examples.append((controls, rng.choice(realised).text))
    return examples


def copy_corpus(categories: list[Category]) -> list[tuple[dict[str, str], str]]:
    """The catalog's titles and descriptions, the copy reviewers approved (with its kind and style), and the
    phrase banks' realisations for a sample of the products."""
    examples = []
    products = Product.objects.filter(category__in=categories).select_related("category")
    for product in products.iterator(2000):
        for kind, text in (("title", product.title), ("description", product.description)):
            if text:
                language = language_of(text)
                kind = kind if len(text) <= kind_limit(kind, language) else "description_long"
                examples.append((product_controls(product, kind=kind, style="plain", language=language), text))
    approved = GeneratedItem.objects.filter(
        kind=GeneratedItem.Kind.COPY, review_state=GeneratedItem.ReviewState.APPROVED, product__category__in=categories
    ).select_related("product__category", "copy_job")
    for item in approved:
        style = item.copy_job.style if item.copy_job else "plain"
        examples.append(
            (product_controls(item.product, kind=item.copy_kind, style=style, language=item.language), item.text)
        )
    sample = list(products.order_by("?")[:BANK_EXAMPLE_PRODUCTS])
    return examples + _bank_examples(sample, copy_banks())


def product_variants(
    *, product: Product, kind: str, style: str, language: str, count: int, seed: int, copywriter=None,
    banks: dict[str, PhraseBank], vocabulary: Vocabulary, keywords=(), banned=(), taken: set[str] | None = None,
    said_in: dict[str, str] | None = None,
) -> list[Variant]:  # fmt: skip
    """`count` variants for one product, ranked by `copywriter` (model, tokenizer) when there is one; `said_in`:
    the admins' Copy fields (`copy_said_in()`, read once per batch)."""
    plans = product_plans(product, kind=kind, said_in=said_in, vocabulary=vocabulary, banks=banks)

    def accept(text: str) -> bool:
        flags = product_copy_flags(
            product=product, kind=kind, text=text, language=language, keywords=keywords, banned=banned,
            vocabulary=vocabulary, banks=banks,
        )  # fmt: skip
        return all(flag["rule"] in REVIEWABLE_FLAGS for flag in flags)

    score_fn = None
    if copywriter is not None:
        controls = product_controls(product, kind=kind, style=style, language=language)

        def score_fn(texts: list[str]) -> list[float]:
            return score_texts(*copywriter, controls, texts)

    return write_copy(
        plans=plans, bank=banks[language], kind=kind, style=style, count=count, seed=seed, score_fn=score_fn,
        limit=kind_limit(kind, language, settings.COPY_LIMITS), accept_fn=accept, taken=taken,
    )  # fmt: skip


# --- the built-in copywriter -----------------------------------------------------------------------------------


def copy_train(
    *, name: str, categories: list[Category], minutes: float | None = None, steps: int | None = None, seed: int = 0,
    user=None, progress_fn: Callable[[dict], None] | None = None, abort_fn: Callable[[], bool] | None = None,
    phase_fn: PhaseFn = no_phase, preview_fn: Callable[[list[str]], None] | None = None,
) -> GenerativeModel | None:  # fmt: skip
    """Trains the copywriter on the categories' copy and registers it; None when `abort_fn` stopped it."""
    phase_fn("reading the catalog's copy", 0, 1)
    examples = copy_corpus(categories)
    if not examples:
        raise StudioError(gettext("These categories have no titles or descriptions to learn from yet."))
    trained_until = timezone.now()
    samples = list(Product.objects.filter(category__in=categories).select_related("category")[:PREVIEW_PRODUCTS])

    banks, vocabulary = copy_banks(), copy_vocabulary()

    def preview(model, tokenizer) -> None:
        texts = []
        for product in samples:
            for style, language in (("plain", "en"), ("playful", "en"), ("premium", "zh")):
                texts += [f"{product.sku} ({style}, {language}): {variant.text}" for variant in product_variants(
                    product=product, kind="title", style=style, language=language, count=1, seed=0,
                    copywriter=(model, tokenizer), banks=banks, vocabulary=vocabulary,
                )]  # fmt: skip
        preview_fn(texts)

    result = training_loop(
        examples=examples, config=CopyTrainConfig(seed=seed), max_steps=steps,
        max_seconds=minutes * 60 if minutes else None, progress_fn=progress_fn, abort_fn=abort_fn,
        sample_fn=preview if preview_fn else None,
    )  # fmt: skip
    if result.stopped == "aborted":
        return None
    phase_fn("measuring the new copywriter", 0, 1)
    metrics = copy_measure(result.model, result.tokenizer, categories)
    metrics["loss"] = result.history[-1]["loss"] if result.history else None
    return copy_model_register(
        name=name, state=state_of(result), categories=categories, metrics=metrics, steps=result.step,
        trained_until=trained_until, user=user,
    )  # fmt: skip


def copy_measure(model, tokenizer, categories: list[Category], per_category: int = 10) -> dict:
    """Of the titles asked for real products in each style and language: the share written and passing
    grounding (a text that would break a rule is not written), and the share of distinct ones."""
    banks, vocabulary, asked, texts = copy_banks(), copy_vocabulary(), 0, []
    for category in categories:
        for product in Product.objects.filter(category=category).select_related("category")[:per_category]:
            for style in STYLES:
                for language in LANGUAGES:
                    asked += 1
                    texts += [variant.text for variant in product_variants(
                        product=product, kind="title", style=style, language=language, count=1, seed=product.pk,
                        copywriter=(model, tokenizer), banks=banks, vocabulary=vocabulary,
                    )]  # fmt: skip
    return {
        "grounding_pass_rate": round(len(texts) / asked, 4) if asked else None,
        "distinct_share": round(len(set(texts)) / len(texts), 4) if texts else None,
        # Its ranking against reviewers' decisions, beside the banks' own order on the same pairs.
        **{
            f"approval_{key}": value
            for key, value in copy_ranker_agreement(
                model, tokenizer, category_names=[c.name for c in categories]
            ).items()
        },
    }


@transaction.atomic
def copy_model_register(
    *, name: str, state: dict, categories: list[Category], metrics: dict, steps: int, trained_until, user=None
) -> GenerativeModel:
    version, model_state = next_version(name, Family.COPY)
    buffer = io.BytesIO()
    torch.save(state, buffer)
    model = GenerativeModel(
        name=name, version=version, family=Family.COPY, category_names=[c.name for c in categories],
        config=state["config"], metrics=metrics, steps=steps, trained_on_photos_until=trained_until,
        created_by=user, state=model_state,
    )  # fmt: skip
    version_store(model, buffer.getvalue(), "pt", categories)
    return model


@functools.lru_cache(maxsize=4)
def _copywriter(model_id: int):
    """A registered version never changes, so it is loaded once per worker process."""
    return copywriter_load(GenerativeModel.objects.get(pk=model_id))


def copywriter_load(version: GenerativeModel):
    """(model, tokenizer) of a registered copywriter."""
    with version.checkpoint.open("rb") as handle:
        return model_from_state(torch.load(io.BytesIO(handle.read()), weights_only=True))


def copy_endpoint() -> ChatEndpoint | None:
    if not settings.COPY_ENDPOINT_URL:
        return None
    return ChatEndpoint(
        base_url=settings.COPY_ENDPOINT_URL, model=settings.COPY_ENDPOINT_MODEL, api_key=settings.COPY_ENDPOINT_KEY,
        timeout=settings.COPY_ENDPOINT_TIMEOUT,
    )  # fmt: skip


# --- writing variants ------------------------------------------------------------------------------------------


def distinct_texts(texts: list[str], already: list[str] = ()) -> list[str]:
    """Drops empty texts, exact and near duplicates of each other and of `already`."""
    kept: list[str] = []
    seen = [normalised(t) for t in already]
    for text in texts:
        key = normalised(text)
        if key and not any(difflib.SequenceMatcher(None, key, other).ratio() >= NEAR_DUPLICATE for other in seen):
            kept.append(text)
            seen.append(key)
    return kept


def copy_job_run(*, job_id: int) -> CopyJob | None:
    """Writes, checks and queues each product's variants; a redelivered job skips the products done."""
    job = job_claim(CopyJob, job_id)
    if job is None:
        return None
    with job_language(job):
        try:
            outcome = _write_all(job)
        except JobCancelled:
            job_finish(job, JobStatus.CANCELLED, phase=gettext("cancelled; the variants written so far stay in review"))
        except Exception as exc:
            job_fail(job, exc)
            first_run_copy_done(job=job)  # the first run goes on to its images even when its copy failed
            raise
        else:
            job_finish(job, JobStatus.SUCCEEDED, progress=1.0, phase=outcome)
    job.refresh_from_db()
    first_run_copy_done(job=job)
    return job


def _endpoint_texts(
    endpoint: ChatEndpoint,
    job: CopyJob,
    product: Product,
    seed: int,
    brief: str,
    *,
    said_in: dict[str, str],
    vocabulary: Vocabulary,
    banks: dict[str, PhraseBank],
) -> list[str]:
    """The endpoint is briefed with the plan that says the most the kind can carry, in order of importance."""
    plans = product_plans(product, kind=job.kind, said_in=said_in, vocabulary=vocabulary, banks=banks)
    plan = max(plans, key=lambda p: len(p.facts))
    messages = chat_messages(
        kind=job.kind, plan=plan, style=job.style, style_brief=brief, language=job.language,
        limit=kind_limit(job.kind, job.language, settings.COPY_LIMITS), keywords=job.keywords, banned=job.banned,
    )  # fmt: skip
    return endpoint.complete(messages, count=job.variants, seed=seed)


def _write_all(job: CopyJob) -> str:
    vocabulary, banks, said_in = copy_vocabulary(), copy_banks(), copy_said_in()
    endpoint = None if job.model_id else copy_endpoint()
    # A version whose ranking reviewers agreed with no more than with the banks' order writes in the banks' order.
    ranks = copywriter_ranks(job.model)
    copywriter = _copywriter(job.model_id) if job.model_id and ranks else None
    brief = copy_styles().get(job.style, job.style)
    products = list(job.products.select_related("category").order_by("id"))
    done = set(job.items.values_list("product_id", flat=True))
    # The batch's lines so far: no two products get the same one (a redelivered job remembers them).
    taken = {normalised(text) for text in job.items.values_list("text", flat=True)}
    queued = refused = duplicates = 0
    for number, product in enumerate(products, start=1):
        if product.pk in done:
            continue
        job_stop_if_cancelled(job)
        seed = job.seed + number * MAX_VARIANTS
        current = [product.title, product.description, product.title_zh, product.description_zh]
        current += [ad["text"] for ad in product.ad_texts]
        if endpoint is not None:
            texts = _endpoint_texts(
                endpoint, job, product, seed, brief, said_in=said_in, vocabulary=vocabulary, banks=banks
            )
            kept = [t for t in distinct_texts(texts, already=current) if normalised(t) not in taken]
            duplicates += len(texts) - len(kept)
        else:
            kept = [variant.text for variant in product_variants(
                product=product, kind=job.kind, style=job.style, language=job.language, count=job.variants,
                seed=seed, copywriter=copywriter, banks=banks, vocabulary=vocabulary, keywords=job.keywords,
                banned=job.banned, taken=taken | {normalised(text) for text in current}, said_in=said_in,
            )]  # fmt: skip
        items = []
        for offset, text in enumerate(kept):
            flags = product_copy_flags(
                product=product, kind=job.kind, text=text, language=job.language, keywords=job.keywords,
                banned=job.banned, vocabulary=vocabulary, banks=banks,
            )  # fmt: skip
            if flags and settings.COPY_REJECT_FLAGGED:
                refused += 1
                continue
            items.append(GeneratedItem(
                kind=GeneratedItem.Kind.COPY, model_id=job.model_id, copy_job=job, product=product,
                category=product.category, seed=seed + offset, text=text, copy_kind=job.kind, language=job.language,
                flags=flags, generated_by=job.created_by,
            ))  # fmt: skip
            taken.add(normalised(text))
        GeneratedItem.objects.bulk_create(items)
        queued += len(items)
        job_heartbeat(
            job,
            progress=number / len(products),
            phase=gettext("wrote for %(done)s of %(total)s products")
            % {"done": f"{number:,}", "total": f"{len(products):,}"},
        )
    # What the language has no word for was left out of every text: named, so a term can be added.
    missing = missing_terms_count(products, language=job.language, banks=banks, said_in=said_in, kind=job.kind)
    job.missing_terms = missing_terms_listed(missing)
    job.save(update_fields=["missing_terms"])
    outcome = (
        f"{queued} variant(s) queued for review, {duplicates} duplicate(s) dropped, {refused} refused by grounding"
    )
    if missing:
        outcome += f"; {len(missing)} fact(s) without a {job.language} term left out (listed below)"
    if job.model_id and not ranks:
        figures = job.model.metrics
        outcome += (
            f"; in the banks' order: reviewers agreed with {job.model}'s ranking on {figures['approval_ranker']:.0%} "
            f"of {figures['approval_pairs']} pairs, with the banks' order on {figures['approval_banks']:.0%}"
        )
    return outcome
