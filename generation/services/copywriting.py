"""Copy as people ask for it: the built-in copywriter trains on the catalog's own copy (and on approved
generated copy); variants are written by it or by the configured endpoint, checked against their product,
stripped of duplicates, and queued for review as GeneratedItems of kind "copy"."""

import difflib
import functools
import io
import re
from collections.abc import Callable

import torch
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from catalog.models import Category, Product
from generation.copy.endpoint import ChatEndpoint, chat_messages
from generation.copy.grounding import KIND_LIMITS
from generation.copy.sampling import write_variants
from generation.copy.training_loop import CopyTrainConfig, model_from_state, state_of, training_loop
from generation.models import CopyJob, Family, GeneratedItem, GenerativeModel, JobStatus
from generation.services.copy_grounding import copy_vocabulary, product_copy_flags
from generation.services.job_lifecycle import (
    JobCancelled,
    job_claim,
    job_fail,
    job_finish,
    job_heartbeat,
    job_stop_if_cancelled,
)
from generation.services.jobs import MAX_VARIANTS, copy_styles
from generation.services.models import files_removed_on_failure, next_version
from generation.services.references import PhaseFn, no_phase
from retail_studio.errors import StudioError

# Attributes that become control tokens: what the copy may speak of.
CONTROL_ATTRIBUTES = ("tone", "surface", "colour", "material", "audience", "season")
NEAR_DUPLICATE = 0.9  # texts this similar (difflib ratio, after normalising) count as one
PREVIEW_PRODUCTS = 3
CJK = re.compile(r"[\u3400-\u9fff]")


def language_of(text: str) -> str:
    return "zh" if CJK.search(text) else "en"


def product_controls(product: Product, *, kind: str, style: str, language: str) -> dict[str, str]:
    attributes = product.attributes or {}
    controls = {key: str(attributes[key]) for key in CONTROL_ATTRIBUTES if attributes.get(key)}
    return controls | {"kind": kind, "category": product.category.name, "style": style, "lang": language}


def copy_corpus(categories: list[Category]) -> list[tuple[dict[str, str], str]]:
    """The catalog's titles and descriptions, and the copy reviewers approved (with its kind and style)."""
    examples = []
    for product in Product.objects.filter(category__in=categories).select_related("category").iterator(2000):
        for kind, text in (("title", product.title), ("description", product.description)):
            if text:
                kind = kind if len(text) <= KIND_LIMITS[kind] else "description_long"
                examples.append((product_controls(product, kind=kind, style="plain", language=language_of(text)), text))
    approved = GeneratedItem.objects.filter(
        kind=GeneratedItem.Kind.COPY, review_state=GeneratedItem.ReviewState.APPROVED, product__category__in=categories
    ).select_related("product__category", "copy_job")
    for item in approved:
        style = item.copy_job.style if item.copy_job else "plain"
        examples.append(
            (product_controls(item.product, kind=item.copy_kind, style=style, language=item.language), item.text)
        )
    return examples


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
        raise StudioError("These categories have no titles or descriptions to learn from yet.")
    trained_until = timezone.now()
    samples = list(Product.objects.filter(category__in=categories).select_related("category")[:PREVIEW_PRODUCTS])

    def preview(model, tokenizer) -> None:
        texts = []
        for product in samples:
            controls = product_controls(product, kind="title", style="plain", language="en")
            texts += [f"{product.sku}: {text}" for text in write_variants(model, tokenizer, controls, count=1, seed=0)]
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
    """The share of titles written for real products that pass grounding, and how many differ."""
    vocabulary, checked, passed, texts = copy_vocabulary(), 0, 0, set()
    for category in categories:
        for product in Product.objects.filter(category=category).select_related("category")[:per_category]:
            controls = product_controls(product, kind="title", style="plain", language="en")
            (text,) = write_variants(model, tokenizer, controls, count=1, seed=product.pk)
            checked += 1
            passed += not product_copy_flags(product=product, kind="title", text=text, vocabulary=vocabulary)
            texts.add(text)
    return {
        "grounding_pass_rate": round(passed / checked, 4) if checked else None,
        "distinct_share": round(len(texts) / checked, 4) if checked else None,
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
    with files_removed_on_failure(model.checkpoint):
        model.checkpoint.save(f"{name}-v{version}.pt", ContentFile(buffer.getvalue()), save=False)
        model.save()
        model.categories.set(categories)
    return model


@functools.lru_cache(maxsize=4)
def _copywriter(model_id: int):
    """A registered version never changes, so it is loaded once per worker process."""
    model = GenerativeModel.objects.get(pk=model_id)
    with model.checkpoint.open("rb") as handle:
        return model_from_state(torch.load(io.BytesIO(handle.read()), weights_only=True))


def copy_endpoint() -> ChatEndpoint | None:
    if not settings.COPY_ENDPOINT_URL:
        return None
    return ChatEndpoint(
        base_url=settings.COPY_ENDPOINT_URL, model=settings.COPY_ENDPOINT_MODEL, api_key=settings.COPY_ENDPOINT_KEY,
        timeout=settings.COPY_ENDPOINT_TIMEOUT,
    )  # fmt: skip


# --- writing variants ------------------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def distinct_texts(texts: list[str], already: list[str] = ()) -> list[str]:
    """Drops empty texts, exact and near duplicates of each other and of `already`."""
    kept: list[str] = []
    seen = [_normalised(t) for t in already]
    for text in texts:
        key = _normalised(text)
        if key and not any(difflib.SequenceMatcher(None, key, other).ratio() >= NEAR_DUPLICATE for other in seen):
            kept.append(text)
            seen.append(key)
    return kept


def copy_job_run(*, job_id: int) -> CopyJob | None:
    """Writes, checks and queues each product's variants; a redelivered job skips the products done."""
    job = job_claim(CopyJob, job_id)
    if job is None:
        return None
    try:
        outcome = _write_all(job)
    except JobCancelled:
        job_finish(job, JobStatus.CANCELLED, phase="cancelled; the variants written so far stay in review")
    except Exception as exc:
        job_fail(job, exc)
        raise
    else:
        job_finish(job, JobStatus.SUCCEEDED, progress=1.0, phase=outcome)
    job.refresh_from_db()
    return job


def _write_all(job: CopyJob) -> str:
    vocabulary = copy_vocabulary()
    endpoint = None if job.model_id else copy_endpoint()
    voice = copy_styles().get(job.style, job.style)
    products = list(job.products.select_related("category").order_by("id"))
    done = set(job.items.values_list("product_id", flat=True))
    queued = refused = duplicates = 0
    for number, product in enumerate(products, start=1):
        if product.pk in done:
            continue
        job_stop_if_cancelled(job)
        seed = job.seed + number * MAX_VARIANTS
        if endpoint is not None:
            messages = chat_messages(
                kind=job.kind, category=product.category.name, attributes=product.attributes, style=voice,
                language=job.language, keywords=job.keywords, banned=job.banned,
            )  # fmt: skip
            texts = endpoint.complete(messages, count=job.variants, seed=seed)
        else:
            model, tokenizer = _copywriter(job.model_id)
            controls = product_controls(product, kind=job.kind, style=job.style, language=job.language)
            texts = write_variants(
                model, tokenizer, controls, count=job.variants, seed=seed, max_chars=KIND_LIMITS[job.kind] + 20
            )
        current = [product.title, product.description, *(ad["text"] for ad in product.ad_texts)]
        kept = distinct_texts(texts, already=current)
        duplicates += len(texts) - len(kept)
        items = []
        for offset, text in enumerate(kept):
            flags = product_copy_flags(
                product=product, kind=job.kind, text=text, keywords=job.keywords, banned=job.banned,
                vocabulary=vocabulary,
            )  # fmt: skip
            if flags and settings.COPY_REJECT_FLAGGED:
                refused += 1
                continue
            items.append(GeneratedItem(
                kind=GeneratedItem.Kind.COPY, model_id=job.model_id, copy_job=job, product=product,
                category=product.category, seed=seed + offset, text=text, copy_kind=job.kind, language=job.language,
                flags=flags, generated_by=job.created_by,
            ))  # fmt: skip
        GeneratedItem.objects.bulk_create(items)
        queued += len(items)
        job_heartbeat(job, progress=number / len(products), phase=f"wrote for {number:,} of {len(products):,} products")
    return f"{queued} variant(s) queued for review, {duplicates} duplicate(s) dropped, {refused} refused by grounding"
