"""Runs a training job inside a Celery worker: claims the row, trains, writes progress, records the end."""

import socket
import time
import traceback as traceback_module
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from generation.models import TrainingJob
from generation.services.models import gan_train
from generation.services.registry import candidate_promote_if_better

# Progress reaches the database every few seconds, not every step.
PROGRESS_WRITE_SECONDS = 2.0
# A job whose worker died this many times is failed rather than redelivered again.
MAX_ATTEMPTS = 3
# The log keeps this many newest lines, and a line about the losses every this many seconds.
LOG_LINES_KEPT = 200
LOG_POINT_SECONDS = 10.0


def job_checkpoint_path(job: TrainingJob) -> Path:
    """Each job resumes only its own run, never another job's of the same name."""
    return settings.GAN_WORK_DIR / "runs" / f"job-{job.pk}.pt"


def job_is_alive(job: TrainingJob) -> bool:
    """Running, with a worker that wrote progress recently: nobody else may take it over."""
    if job.status != TrainingJob.Status.RUNNING or job.heartbeat_at is None:
        return False
    return (timezone.now() - job.heartbeat_at).total_seconds() < settings.GENERATION_JOB_STALE_SECONDS


def _claim(job_id: int) -> TrainingJob | None:
    """Locks the row so a redelivered task can't train the same job twice; None when there is nothing to do."""
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in TrainingJob.ACTIVE_STATUSES or job_is_alive(job):
            return None
        if job.attempts >= MAX_ATTEMPTS:
            job.status, job.finished_at = TrainingJob.Status.FAILED, timezone.now()
            job.error = f"Gave up after {job.attempts} attempts: the worker running it died each time."
            job.save(update_fields=["status", "finished_at", "error"])
            return None
        job.status, job.attempts = TrainingJob.Status.RUNNING, job.attempts + 1
        job.worker = socket.gethostname()
        job.started_at = job.started_at or timezone.now()
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "worker", "started_at", "heartbeat_at"])
        return job


def _throttled(fn: Callable[[], None]) -> Callable[[], None]:
    last = [0.0]

    def call() -> None:
        if time.monotonic() - last[0] >= PROGRESS_WRITE_SECONDS:
            last[0] = time.monotonic()
            fn()

    return call


class _JobLog:
    """The job's log tail: lines are kept in memory and reach the row with the next progress write."""

    def __init__(self, job: TrainingJob):
        self.lines = job.log.splitlines()

    def add(self, line: str) -> None:
        self.lines.append(f"{timezone.now():%H:%M:%S} {line}")
        del self.lines[:-LOG_LINES_KEPT]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _point_line(point: dict) -> str:
    line = (
        f"step {point['step']:,} · D loss {point['d_loss']:.3f} · G loss {point['g_loss']:.3f} · "
        f"{point['images_per_second']:,.0f} images/s · augmentation p {point['augment_p']:.2f}"
    )
    if "fd" in point:
        line += f" · FD {point['fd']:.2f} · {point['category_accuracy']:.0%} in the asked category"
    return line


def training_job_run(*, job_id: int) -> TrainingJob | None:
    """Runs a queued job (or resumes a redelivered running one) to its end."""
    job = _claim(job_id)
    if job is None:
        return None
    log = _JobLog(job)
    checkpoint = job_checkpoint_path(job)
    log.add(
        f"attempt {job.attempts} on {job.worker}: "
        + ("resuming from the last checkpoint" if checkpoint.exists() else "starting from scratch")
    )
    pending: dict = {}
    last_logged = [0.0]

    def write_progress() -> None:
        point = pending.pop("point", None)
        fields = {"heartbeat_at": timezone.now(), "phase": pending.get("phase", "")}
        if point is not None:
            fraction = point["fraction"]
            fields |= {"progress": fraction, "step": point["step"]}
            fields["eta_seconds"] = point["elapsed"] / fraction - point["elapsed"] if fraction > 0 else None
            job.history.append(point)
            fields["history"] = job.history
            if "fd" in point or time.monotonic() - last_logged[0] >= LOG_POINT_SECONDS:
                last_logged[0] = time.monotonic()
                log.add(_point_line(point))
        fields["log"] = log.text
        TrainingJob.objects.filter(pk=job.pk).update(**fields)

    flush = _throttled(write_progress)

    def on_point(point: dict) -> None:
        # The loop reports every two seconds already; each report is written.
        pending["point"] = point
        pending["phase"] = "measuring the new version" if point["fraction"] >= 1.0 else "training"
        write_progress()

    def on_decode(done: int, total: int) -> None:
        pending["phase"] = f"reading photos {done:,}/{total:,}"
        flush()

    def on_preview(grid_png: bytes) -> None:
        # A fresh name each time, so browsers never show a cached older grid; the old file goes.
        old = job.preview_grid.name
        step = job.history[-1]["step"] if job.history else 0
        job.preview_grid.save(f"job-{job.pk}-step-{step}.png", ContentFile(grid_png), save=False)
        TrainingJob.objects.filter(pk=job.pk).update(preview_grid=job.preview_grid.name)
        if old:
            job.preview_grid.storage.delete(old)

    cancel_seen = [False]

    def read_cancel_flag() -> None:
        cancel_seen[0] = TrainingJob.objects.filter(pk=job.pk, cancel_requested=True).exists()

    check_cancel = _throttled(read_cancel_flag)

    def abort() -> bool:
        check_cancel()
        return cancel_seen[0]

    try:
        model = gan_train(
            name=job.name, categories=list(job.categories.all()), minutes=job.budget_minutes, steps=job.budget_steps,
            device=job.device, seed=job.seed, user=job.started_by, progress_fn=on_point, abort_fn=abort,
            data_progress=on_decode, checkpoint_path=checkpoint, resume=checkpoint.exists(), preview_fn=on_preview,
        )  # fmt: skip
    except Exception as exc:
        log.add(f"failed: {type(exc).__name__}: {exc}")
        write_progress()
        TrainingJob.objects.filter(pk=job.pk).update(
            status=TrainingJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}",
            traceback=traceback_module.format_exc(), finished_at=timezone.now(),
        )  # fmt: skip
        raise
    if model is None:
        log.add(f"cancelled at step {job.step:,}; the checkpoint is kept for a resume")
        write_progress()
        TrainingJob.objects.filter(pk=job.pk).update(status=TrainingJob.Status.CANCELLED, finished_at=timezone.now())
    else:
        log.add(f"registered {model} (FD {model.metrics.get('fd')}, state {model.state})")
        write_progress()
        TrainingJob.objects.filter(pk=job.pk).update(
            status=TrainingJob.Status.SUCCEEDED, result=model, progress=1.0, eta_seconds=0, finished_at=timezone.now()
        )
        if job.started_by_id is None:  # a scheduled retraining: promoted only if it measures better
            candidate_promote_if_better(model=model)
    job.refresh_from_db()
    return job
