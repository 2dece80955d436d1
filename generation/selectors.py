"""Reads of generation state shared by pages and the admin."""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Product, ProductImage
from generation.models import (
    CopyJob,
    Engine,
    Family,
    GeneratedItem,
    GenerativeModel,
    Job,
    ModelAuditEvent,
    PhotoCheck,
    RejectionReason,
    ReviewDecision,
    ReviewerSettings,
    SamplingJob,
    TrainingJob,
    WorkerPresence,
)
from generation.models.jobs import COPY_KIND_LABELS, QUICK_SUFFIX
from generation.services.review import DEFAULT_KEYMAP, UNDO_SECONDS

WORKER_CHECK_SECONDS = 5
# A worker that has not written its presence for this long (three of its beats) is taken to be gone.
PRESENCE_STALE_SECONDS = 30
LOG_TAIL_LINES = 30


def generative_model_named(name: str, version: int | None = None) -> GenerativeModel | None:
    """A model by name: that version, else its active version, else its newest."""
    versions = GenerativeModel.objects.filter(name=name)
    if version is not None:
        versions = versions.filter(version=version)
    return (
        versions.order_by("-version").filter(state=GenerativeModel.State.ACTIVE).first()
        or versions.order_by("-version").first()
    )


def training_jobs_for_listing(*, status: str = "") -> QuerySet[TrainingJob]:
    jobs = TrainingJob.objects.select_related("started_by", "result").defer("log", "traceback")
    return jobs.filter(status=status) if status else jobs


def workers_online() -> int:
    """How many Celery workers wrote their presence lately (generation/presence.py): a database read, cached
    for a few seconds, so no page ever waits on the broker."""
    count = cache.get("generation:workers_online")
    if count is None:
        recent = timezone.now() - timedelta(seconds=PRESENCE_STALE_SECONDS)
        # Workers that run jobs; the image-features worker alone runs none.
        count = WorkerPresence.objects.filter(seen_at__gte=recent).exclude(queues="features").count()
        cache.set("generation:workers_online", count, WORKER_CHECK_SECONDS)
    return count


def job_state(job: Job) -> dict:
    """What every job's live page shows of any job: status, phase, progress, error."""
    return {
        "id": job.pk, "status": job.status, "phase": job.phase, "progress": job.progress, "error": job.error,
        "is_active": job.is_active,
    }  # fmt: skip


def training_job_progress(job: TrainingJob, *, after: int = 0) -> dict:
    """What the job page polls for: small, and the same shape the template starts from. `points` holds only
    the points after the first `after` (the page asks for what is new); `points_total` counts them all."""
    points = list(job.points.filter(seq__gte=after).order_by("seq").values_list("data", flat=True))
    return job_state(job) | {
        "eta_seconds": job.eta_seconds, "step": job.step, "points": points, "points_total": after + len(points),
        "quick_suffix": QUICK_SUFFIX, "cancel_requested": job.cancel_requested,
        "preview_grid": job.preview_grid.url if job.preview_grid else None,
        "preview_grid_name": job.preview_grid.name or None, "preview_step": job.preview_step,
        "family": job.family, "engine": job.engine, "preview_texts": job.preview_texts,
        "log_tail": job.log.splitlines()[-LOG_TAIL_LINES:],
        "result": {"id": job.result_id, "name": str(job.result), "grid": job.result.sample_grid.url}
        if job.result_id and job.result.sample_grid else None,
    }  # fmt: skip


REGISTRY_METRICS = (
    ("fd", _("Fréchet distance (final, whole held-out set)"), "fd_real"),
    ("category_accuracy", _("In the asked category"), "category_accuracy_real"),
    ("precision", _("Precision"), "precision_real"),
    ("recall", _("Recall"), "recall_real"),
    ("near_copy_share", _("Near-copy share"), "near_copy_share_real"),
    ("data_copying_ct", _("Data-copying C_T"), "data_copying_ct_real"),
    # A copywriter: how often reviewers' approved variant is the one its ranking puts first ("real": the banks'
    # own order on the same pairs); a ranking no better on 30 pairs or more writes in the banks' order.
    ("approval_ranker", _("Ranks the approved variant first (banks' order beside)"), "approval_banks"),
    ("approval_pairs", _("Reviewed pairs it was measured on"), None),
)


def model_registry() -> dict[str, list[GenerativeModel]]:
    """Every version, grouped by name, newest first: what the registry page lays side by side, with the
    published images each version produced (`published_items`) and its state changes (`audit_events`)."""
    published = GeneratedItem.objects.filter(published_image__isnull=False).select_related("published_image__product")
    decided = Q(items__review_state__in=[GeneratedItem.ReviewState.APPROVED, GeneratedItem.ReviewState.REJECTED])
    versions = (
        GenerativeModel.objects.exclude(family=Family.RECS)  # the recommender's versions have their own page
        .order_by("name", "-version")
        .annotate(
            approved_count=Count("items", filter=Q(items__review_state=GeneratedItem.ReviewState.APPROVED)),
            decided_count=Count("items", filter=decided),
        )
        .prefetch_related(
            Prefetch("items", queryset=published.order_by("-id"), to_attr="published_items"),
            Prefetch("audit_events", queryset=ModelAuditEvent.objects.select_related("acting_user")),
        )
    )
    groups: dict[str, list[GenerativeModel]] = {}
    for model in versions:
        model.metric_rows = [
            (label, model.metrics.get(key), model.metrics.get(real)) for key, label, real in REGISTRY_METRICS
        ]
        model.approval_rate = model.approved_count / model.decided_count if model.decided_count else None
        groups.setdefault(model.name, []).append(model)
    for group in groups.values():
        # Figures measured under another reference than the active version's cannot be compared with it.
        active = next((m for m in group if m.state == GenerativeModel.State.ACTIVE), None)
        for model in group:
            model.comparable = active is None or model.metrics.get("reference") == active.metrics.get("reference")
    return groups


def active_model_for_category(category_name: str) -> GenerativeModel | None:
    """The image model a category's pages generate with (a copywriter trained on it draws no images)."""
    return (
        GenerativeModel.objects.filter(
            state=GenerativeModel.State.ACTIVE, family=Family.IMAGE, categories__name=category_name
        )
        .order_by("-created_at")
        .first()
    )


def active_vae_for_category(category_name: str) -> GenerativeModel | None:
    """The VAE version a category's product pages make variations with."""
    return (
        GenerativeModel.objects.filter(
            state=GenerativeModel.State.ACTIVE, family=Family.IMAGE, engine=Engine.VAE, categories__name=category_name
        )
        .order_by("-created_at")
        .first()
    )


def photo_checks_latest() -> list[PhotoCheck]:
    """For each active VAE version, its newest photo check (done or running), newest version first."""
    checks = []
    for model in GenerativeModel.objects.filter(state=GenerativeModel.State.ACTIVE, engine=Engine.VAE).order_by("-id"):
        check = model.photo_checks.first()
        checks.append(check or PhotoCheck(model=model))  # an unsaved one: never checked yet
    return checks


def sampling_job_state(job: SamplingJob, *, after: int = 0) -> dict:
    """The job's state and its items with an id above `after` (the page asks only for the new ones)."""
    items = job.items.filter(pk__gt=after).select_related("category").order_by("id")
    return job_state(job) | {
        "items": [
            {"id": item.pk, "url": item.image.url, "category": item.category.name, "seed": item.seed,
             "nearest_pixel_distance": item.nearest_pixel_distance, "review_state": item.review_state}
            for item in items
        ],
    }  # fmt: skip


# --- review ---------------------------------------------------------------------------------------------------

PENDING_COUNT_SECONDS = 5


@dataclass(frozen=True)
class ReviewFilters:
    state: str = GeneratedItem.ReviewState.PENDING
    kind: str = ""
    category: int | None = None
    model: int | None = None
    job: int | None = None
    training_job: int | None = None
    possible_copy: bool | None = None
    generated_by: int | None = None
    copy_job: int | None = None
    newest_first: bool = False

    def as_scope(self) -> dict:
        """What a bulk decision "on the whole query" applies to."""
        return {"filters": asdict(self)}


def review_items(filters: ReviewFilters) -> QuerySet[GeneratedItem]:
    items = GeneratedItem.objects.all()
    for field, value in (
        ("review_state", filters.state), ("kind", filters.kind), ("category_id", filters.category),
        ("model_id", filters.model), ("job_id", filters.job), ("training_job_id", filters.training_job),
        ("possible_copy", filters.possible_copy), ("generated_by_id", filters.generated_by),
        ("copy_job_id", filters.copy_job),
    ):  # fmt: skip
        if value not in ("", None):
            items = items.filter(**{field: value})
    return items.order_by("-id" if filters.newest_first else "id")


def review_items_count(filters: ReviewFilters) -> int:
    """The queue page's first count: unfiltered, it is the top bar's pending count (cached for seconds; the
    page's polling brings the exact one); a filtered one is counted."""
    if filters == ReviewFilters():
        return review_pending_count()
    return review_items(filters).count()


def model_choices() -> list[tuple[int, str]]:
    """(id, "name vN") of every version, for the queue's model filter."""
    versions = (
        GenerativeModel.objects.exclude(family=Family.RECS)
        .order_by("name", "-version")
        .values_list("id", "name", "version")
    )
    return [(pk, f"{name} v{version}") for pk, name, version in versions]


def review_pending_count(*, fresh: bool = False) -> int:
    """The top bar's badge on every page: cached for a few seconds per process; `fresh` after a decision, so
    the badge the decider sees is never behind their own decisions."""
    count = None if fresh else cache.get("generation:review_pending")
    if count is None:
        count = GeneratedItem.objects.filter(review_state=GeneratedItem.ReviewState.PENDING).count()
        cache.set("generation:review_pending", count, PENDING_COUNT_SECONDS)
    return count


def _nearest_products(items: list[GeneratedItem]) -> dict[int, dict]:
    ids = {n["product_id"] for item in items for n in item.nearest_products}
    photos = ProductImage.objects.filter(source=ProductImage.Source.PHOTO).only("id", "product_id", "file", "thumbnail")
    products = (
        Product.objects.filter(pk__in=ids)
        .only("id", "sku", "title")
        .prefetch_related(Prefetch("images", queryset=photos, to_attr="photos"))
    )
    return {
        p.pk: {"sku": p.sku, "title": p.title, "image": p.photos[0].display_url if p.photos else None} for p in products
    }


def review_item_cards(items: QuerySet[GeneratedItem]) -> list[dict]:
    """Everything the queue shows beside each image, for a page of items, in a fixed number of queries."""
    decisions = ReviewDecision.objects.select_related("reviewer", "reason", "product").order_by("-id")
    items = list(
        items.select_related(
            "category", "model", "generated_by", "decided_by", "product", "answer_message__question"
        ).prefetch_related(Prefetch("decisions", queryset=decisions, to_attr="history"))
    )
    products = _nearest_products(items)
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "url": item.image.url if item.image else None,
            "category": item.category.name if item.category_id else str(_("store question")),
            "category_id": item.category_id,
            "model": str(item.model) if item.model_id else None,
            "model_id": item.model_id,
            "provenance": item.provenance_said,
            "seed": item.seed,
            "diversity": item.truncation,
            "job_id": item.job_id,
            "training_job_id": item.training_job_id,
            "training_step": item.training_step,
            "generated_by": item.generated_by.get_username() if item.generated_by else str(_("the schedule")),
            "generated_by_id": item.generated_by_id,
            "created_at": item.created_at.isoformat(),
            "nearest": [n | products.get(n["product_id"], {}) for n in item.nearest_products],
            "possible_copy": item.possible_copy,
            "copy_threshold": item.copy_threshold,
            "predicted_category": item.predicted_category,
            "predicted_confidence": item.predicted_confidence,
            "prediction_disagrees": item.prediction_disagrees,
            "review_state": item.review_state,
            "text": item.text,
            "copy_kind": item.copy_kind,
            "flags": item.flags,
            "language": item.language,
            "answer": {
                "question": item.answer_message.question.text if item.answer_message.question_id else "",
                "citations": item.answer_message.citations,
                "confidence": item.answer_message.confidence,
                "conversation_id": item.answer_message.conversation_id,
            }
            if item.answer_message_id
            else None,
            "product": {
                "id": item.product_id,
                "sku": item.product.sku,
                "title": item.product.title,
                "attributes": item.product.attributes,
            }
            if item.product_id
            else None,
            "decided_by": item.decided_by.get_username() if item.decided_by else None,
            "decided_at": item.decided_at.isoformat() if item.decided_at else None,
            "history": [
                {
                    "action": d.action,
                    "reviewer": d.reviewer.get_username(),
                    "at": d.created_at.isoformat(),
                    "reason": d.reason.shown if d.reason else "",
                    "note": d.note,
                    "product": d.product.sku if d.product else None,
                    "bulk": d.bulk,
                    "edited_from": d.edited_from,
                }
                for d in item.history
            ],
        }  # fmt: skip
        for item in items
    ]


GENERATORS_SECONDS = 60


def review_generators() -> list[tuple[int, str]]:
    """(id, username) of the people whose generated items are in the queue, for its "generated by" filter:
    a scan of every item, so cached for a minute (a new name appears in the filter a minute late at most)."""
    generators = cache.get("generation:review_generators")
    if generators is None:
        people = get_user_model().objects.filter(pk__in=GeneratedItem.objects.values("generated_by"))
        generators = list(people.order_by("username").values_list("id", "username"))
        cache.set("generation:review_generators", generators, GENERATORS_SECONDS)
    return generators


def rejection_reasons() -> list[RejectionReason]:
    return list(RejectionReason.objects.filter(active=True).order_by("position", "id")[:9])


def reviewer_keymap(user) -> dict[str, str]:
    stored = ReviewerSettings.objects.filter(user=user).values_list("keymap", flat=True).first() or {}
    return DEFAULT_KEYMAP | stored


KEY_ACTIONS = {
    "approve": _("approve"),
    "reject": _("reject"),
    "next": _("next"),
    "previous": _("previous"),
    "select": _("select"),
    "undo": _("undo"),
    "help": _("help"),
}


def review_config(user) -> dict:
    """What the queue script needs beside the items: the keys (with each action's name in the reader's language),
    the reasons, the kinds of copy as the dashboard names them, the undo window."""
    keymap = reviewer_keymap(user)
    return {
        "keymap": keymap,
        "keys": [{"action": action, "key": key, "label": str(KEY_ACTIONS[action])} for action, key in keymap.items()],
        "reasons": [{"id": r.pk, "label": r.shown} for r in rejection_reasons()],
        "copy_kinds": {kind: str(label) for kind, label in COPY_KIND_LABELS.items()},
        "undo_seconds": UNDO_SECONDS,
    }


# --- copy -----------------------------------------------------------------------------------------------------


def copy_writers() -> list[tuple[str, str]]:
    """The copywriters a request may name: the built-in versions (active first), and the endpoint if set."""
    versions = GenerativeModel.objects.filter(family=Family.COPY).exclude(state=GenerativeModel.State.RETIRED)
    writers = [(str(m.pk), f"{m} ({m.state})") for m in versions.order_by("state", "-version")]
    if settings.COPY_ENDPOINT_URL:
        writers.append(("endpoint", f"the endpoint ({settings.COPY_ENDPOINT_MODEL})"))
    return writers


def copy_job_state(job: CopyJob, *, after: int = 0) -> dict:
    """The job's state and the variants with an id above `after` (the page asks only for new ones)."""
    items = job.items.filter(pk__gt=after).select_related("product").order_by("id")
    return job_state(job) | {
        "items": [
            {"id": item.pk, "sku": item.product.sku, "text": item.text, "flags": item.flags,
             "review_state": item.review_state}
            for item in items
        ],
    }  # fmt: skip
