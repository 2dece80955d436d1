"""Jobs as people ask for them: create a training job; cancel or retry any job (training, sampling, copy).
A worker runs them (job_runner.py, sampling.py, copywriting.py)."""

from django.db import transaction
from django.utils import timezone

from catalog.models import Category
from generation.models import Family, Job, JobStatus, TrainingJob
from generation.services.job_lifecycle import job_enqueue
from retail_studio.errors import StudioError

# One source for each limit: the form, this service and the templates read these.
MAX_BUDGET_MINUTES = 24 * 60
MAX_BUDGET_STEPS = 10_000_000
MAX_SEED = 2**31 - 1


@transaction.atomic
def training_job_create(
    *, name: str, categories: list[Category], minutes: float | None = None, steps: int | None = None,
    device: str = "auto", seed: int = 0, user=None, family: str = Family.IMAGE,
) -> TrainingJob:  # fmt: skip
    if not categories:
        raise StudioError("Pick at least one category.")
    if (minutes is None) == (steps is None):
        raise StudioError("Give a budget in minutes or in steps.")
    if (minutes is not None and not 0 < minutes <= MAX_BUDGET_MINUTES) or (
        steps is not None and not 0 < steps <= MAX_BUDGET_STEPS
    ):
        raise StudioError(
            f"The budget must be positive: at most {MAX_BUDGET_MINUTES} minutes or {MAX_BUDGET_STEPS:,} steps."
        )
    if not 0 <= seed <= MAX_SEED:
        raise StudioError(f"The seed must be between 0 and {MAX_SEED}.")
    job = TrainingJob.objects.create(
        name=name, family=family, budget_minutes=minutes, budget_steps=steps, device=device, seed=seed, started_by=user
    )
    job.categories.set(categories)
    job_enqueue(job)
    return job


def job_cancel(*, job: Job) -> Job:
    """Cooperative: a running loop sees the flag within seconds and stops, keeping what it made (a training
    job its checkpoint, a sampling or copy job its items)."""
    with transaction.atomic():
        job = type(job).objects.select_for_update().get(pk=job.pk)
        if job.status == JobStatus.QUEUED:
            job.status, job.finished_at = JobStatus.CANCELLED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
        elif job.status == JobStatus.RUNNING:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
    return job


def job_retry(*, job: Job) -> Job:
    """Failed or cancelled jobs run again, resuming where they stopped (a checkpoint, the items made)."""
    with transaction.atomic():
        job = type(job).objects.select_for_update().get(pk=job.pk)
        if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            raise StudioError(f"A {job.status} job cannot be retried.")
        job.status, job.cancel_requested, job.attempts = JobStatus.QUEUED, False, 0
        job.error = job.traceback = ""
        job.finished_at = None
        job.save(update_fields=["status", "cancel_requested", "attempts", "error", "traceback", "finished_at"])
        job_enqueue(job)
    return job
