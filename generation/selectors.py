"""Reads of generation state shared by pages and the admin."""

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from generation.models import GeneratedItem, GenerativeModel, ModelAuditEvent, SamplingJob, TrainingJob
from retail_studio.celery import app as celery_app

WORKER_CHECK_SECONDS = 10
LOG_TAIL_LINES = 30


def training_jobs_for_listing(*, status: str = "") -> QuerySet[TrainingJob]:
    jobs = TrainingJob.objects.select_related("started_by", "result").defer("history", "traceback")
    return jobs.filter(status=status) if status else jobs


def workers_online() -> int:
    """How many Celery workers answer a ping; cached briefly so pages stay fast."""
    count = cache.get("generation:workers_online")
    if count is None:
        try:
            with celery_app.connection_for_write() as connection:
                # Fail fast when the broker is down instead of retrying for minutes inside a page view.
                connection.ensure_connection(max_retries=1, timeout=1)
                replies = celery_app.control.ping(timeout=0.5, connection=connection) or []
        except Exception:  # the broker is unreachable: no worker can be reached either
            replies = []
        count = len(replies)
        cache.set("generation:workers_online", count, WORKER_CHECK_SECONDS)
    return count


def training_job_progress(job: TrainingJob) -> dict:
    """What the job page polls for: small, and the same shape the template starts from."""
    return {
        "id": job.pk, "status": job.status, "phase": job.phase, "progress": job.progress,
        "eta_seconds": job.eta_seconds, "step": job.step, "history": job.history, "error": job.error,
        "is_active": job.is_active, "cancel_requested": job.cancel_requested,
        "preview_grid": job.preview_grid.url if job.preview_grid else None,
        "log_tail": job.log.splitlines()[-LOG_TAIL_LINES:],
        "result": {"id": job.result_id, "name": str(job.result), "grid": job.result.sample_grid.url}
        if job.result_id and job.result.sample_grid else None,
    }  # fmt: skip


REGISTRY_METRICS = (
    ("fd", "Fréchet distance", "fd_real"),
    ("category_accuracy", "In the asked category", "category_accuracy_real"),
    ("precision", "Precision", "precision_real"),
    ("recall", "Recall", "recall_real"),
    ("near_copy_share", "Near-copy share", "near_copy_share_real"),
    ("data_copying_ct", "Data-copying C_T", "data_copying_ct_real"),
)


def model_registry() -> dict[str, list[GenerativeModel]]:
    """Every version, grouped by name, newest first: what the registry page lays side by side, with the
    published images each version produced (`published_items`) and its state changes (`audit_events`)."""
    published = GeneratedItem.objects.filter(published_image__isnull=False).select_related("published_image__product")
    versions = GenerativeModel.objects.order_by("name", "-version").prefetch_related(
        Prefetch("items", queryset=published.order_by("-id"), to_attr="published_items"),
        Prefetch("audit_events", queryset=ModelAuditEvent.objects.select_related("acting_user")),
    )
    groups: dict[str, list[GenerativeModel]] = {}
    for model in versions:
        model.metric_rows = [
            (label, model.metrics.get(key), model.metrics.get(real)) for key, label, real in REGISTRY_METRICS
        ]
        groups.setdefault(model.name, []).append(model)
    return groups


def active_model_for_category(category_name: str) -> GenerativeModel | None:
    return (
        GenerativeModel.objects.filter(state=GenerativeModel.State.ACTIVE, categories__name=category_name)
        .order_by("-created_at")
        .first()
    )


def sampling_job_state(job: SamplingJob) -> dict:
    items = job.items.select_related("category").order_by("id")
    return {
        "id": job.pk, "status": job.status, "progress": job.progress, "error": job.error,
        "is_active": job.status in (SamplingJob.Status.QUEUED, SamplingJob.Status.RUNNING),
        "items": [
            {"id": item.pk, "url": item.image.url, "category": item.category.name, "seed": item.seed,
             "nearest_pixel_distance": item.nearest_pixel_distance, "review_state": item.review_state}
            for item in items
        ],
    }  # fmt: skip
