"""Training jobs as people ask for them: create, cancel, retry. A worker runs them (job_runner.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Category
from generation.models import TrainingJob
from retail_studio.celery import app as celery_app

# Sent by name, so this module need not import the tasks that import it; eager mode still applies.
RUN_TASK = "generation.tasks.training_job_run_task"


def _enqueue(job: TrainingJob) -> None:
    limits = job_time_limits(job)
    transaction.on_commit(lambda: celery_app.signature(RUN_TASK, args=[job.pk], **limits).apply_async())


def job_time_limits(job: TrainingJob) -> dict:
    """Soft and hard limits from the budget, with room for decoding photos and measuring the result."""
    if job.budget_minutes is None:
        return {}
    soft = int(job.budget_minutes * 60 * 1.5 + 600)
    return {"soft_time_limit": soft, "time_limit": soft + 120}


@transaction.atomic
def training_job_create(
    *, name: str, categories: list[Category], minutes: float | None = None, steps: int | None = None,
    device: str = "auto", seed: int = 0, user=None,
) -> TrainingJob:  # fmt: skip
    if not categories:
        raise ValueError("Pick at least one category.")
    if (minutes is None) == (steps is None):
        raise ValueError("Give a budget in minutes or in steps.")
    if (minutes is not None and not 0 < minutes <= 24 * 60) or (steps is not None and not 0 < steps <= 10_000_000):
        raise ValueError("The budget must be positive and at most a day.")
    job = TrainingJob.objects.create(
        name=name, budget_minutes=minutes, budget_steps=steps, device=device, seed=seed, started_by=user
    )
    job.categories.set(categories)
    _enqueue(job)
    return job


def training_job_cancel(*, job: TrainingJob) -> TrainingJob:
    """Cooperative: a running loop sees the flag within seconds and stops, keeping its checkpoint."""
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().get(pk=job.pk)
        if job.status == TrainingJob.Status.QUEUED:
            job.status, job.finished_at = TrainingJob.Status.CANCELLED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
        elif job.status == TrainingJob.Status.RUNNING:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
    return job


def training_job_retry(*, job: TrainingJob) -> TrainingJob:
    """Failed or cancelled jobs run again, resuming from their last checkpoint when there is one."""
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (TrainingJob.Status.FAILED, TrainingJob.Status.CANCELLED):
            raise ValueError(f"A {job.status} job cannot be retried.")
        job.status, job.cancel_requested, job.attempts = TrainingJob.Status.QUEUED, False, 0
        job.error = job.traceback = ""
        job.finished_at = None
        job.save(update_fields=["status", "cancel_requested", "attempts", "error", "traceback", "finished_at"])
        _enqueue(job)
    return job


def training_jobs_reap() -> list[int]:
    """Running jobs whose worker stopped writing progress are queued again: the next worker resumes them from
    their checkpoint, and the runner fails a job whose workers keep dying."""
    stale_before = timezone.now() - timedelta(seconds=settings.GENERATION_JOB_STALE_SECONDS)
    reaped = []
    with transaction.atomic():
        for job in TrainingJob.objects.select_for_update().filter(status=TrainingJob.Status.RUNNING, heartbeat_at__lt=stale_before):
            _enqueue(job)
            reaped.append(job.pk)
    return reaped
