"""What training and sampling jobs share: sending the task after commit, the claim, the heartbeat, the
attempts and the reaper. A task may be delivered twice, late, or never; this module makes each case safe."""

import contextlib
import functools
import logging
import re
import socket
import time
import traceback as traceback_module
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from generation.models import CatalogExport, CopyJob, Job, JobStatus, SamplingJob, TrainingJob, WorkerPresence
from retail_studio.celery import app as celery_app

logger = logging.getLogger(__name__)

# Sent by name, so this module need not import the tasks that import it; eager mode still applies.
RUN_TASKS = {
    TrainingJob: "generation.tasks.training_job_run_task",
    SamplingJob: "generation.tasks.sampling_job_run_task",
    CopyJob: "generation.tasks.copy_job_run_task",
    CatalogExport: "generation.tasks.catalog_export_run_task",
}
# A job whose worker died this many times is failed rather than redelivered again.
MAX_ATTEMPTS = 3
# A queued job whose task the broker never took is sent again after this long.
UNSENT_GRACE_SECONDS = 30


# A database restart (a failover, an upgrade) must not kill a job holding hours of work: its progress writes
# are skipped while the database is away, and the job fails only when it stays away this long.
DATABASE_OUTAGE_SECONDS = 120

# A training budget in steps gets this wall-clock limit too, so no job holds a worker for ever.
STEP_BUDGET_HOURS = 24


def job_time_limits(job: Job) -> dict:
    """Soft and hard limits from a training budget, with room for decoding photos and measuring the result."""
    if not isinstance(job, TrainingJob):
        return {}
    minutes = job.budget_minutes if job.budget_minutes is not None else STEP_BUDGET_HOURS * 60
    soft = int(minutes * 60 * 1.5 + 600)
    return {"soft_time_limit": soft, "time_limit": soft + 120}


def _send(job: Job) -> None:
    celery_app.signature(RUN_TASKS[type(job)], args=[job.pk], **job_time_limits(job)).apply_async()
    type(job).objects.filter(pk=job.pk).update(enqueued_at=timezone.now())


def job_enqueue(job: Job) -> None:
    """Sends the job's task once the transaction commits. Robust: a broker that is down at that moment is
    logged and leaves `enqueued_at` empty for the sweep; it never undoes what was committed."""
    type(job).objects.filter(pk=job.pk).update(enqueued_at=None)
    transaction.on_commit(lambda: _send(job), robust=True)


def job_is_alive(job: Job) -> bool:
    """Running, with a worker that wrote progress recently: nobody else may take it over."""
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    return (timezone.now() - job.heartbeat_at).total_seconds() < settings.GENERATION_JOB_STALE_SECONDS


def job_claim(model: type[Job], job_id: int) -> Job | None:
    """Locks the row so a redelivered task can't run the same job twice; None when there is nothing to do."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in Job.ACTIVE_STATUSES or job_is_alive(job):
            return None
        if job.attempts >= MAX_ATTEMPTS:
            job.status, job.finished_at = JobStatus.FAILED, timezone.now()
            with job_language(job):
                job.error = gettext("Gave up after %(attempts)s attempts: the worker running it died each time.") % {
                    "attempts": job.attempts
                }
            job.save(update_fields=["status", "finished_at", "error"])
            return None
        job.status, job.attempts = JobStatus.RUNNING, job.attempts + 1
        job.worker = socket.gethostname()
        job.started_at = job.started_at or timezone.now()
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "worker", "started_at", "heartbeat_at"])
        return job


# What the services and the engines say a job is doing: they say it in English (the runner decides by these words,
# "measuring…" ends the training's share of the ETA), and `phase_said` says it in the job's language. Listed here
# for the catalogs; a step's detail after ": " is said the same way, a figure's name as the catalog has it.
PHASE_WORDS = (
    gettext_noop("training"),
    gettext_noop("training done"),
    gettext_noop("reading photos"),
    gettext_noop("done"),
    gettext_noop("training the metrics classifier"),
    gettext_noop("computing the catalog photos' features"),
    gettext_noop("preparing quality measurement"),
    gettext_noop("measuring the new version"),
    gettext_noop("classifying the samples"),
    gettext_noop("measuring"),
    gettext_noop("measuring the new copywriter"),
    gettext_noop("reading the catalog's copy"),
    gettext_noop("reading the shop's vocabulary and the reviewed answers"),
    gettext_noop("reading shoppers' events"),
    gettext_noop("measured"),
    gettext_noop("fitting on every event"),
    gettext_noop("learning pairings from baskets"),
    gettext_noop("reading photos for the visual encoder"),
    gettext_noop("training the visual encoder"),
    gettext_noop("computing image features"),
    gettext_noop("fd"),
    gettext_noop("category accuracy"),
    gettext_noop("precision recall"),
    gettext_noop("near copy"),
    gettext_noop("data copying"),
)
SAMPLING_IMAGES = re.compile(r"sampling ([\d,]+) images")


def phase_said(what: str) -> str:
    """A phase as the job's language says it: "measuring the new version: classifying the samples" in parts."""
    parts = []
    for part in what.split(": "):
        if counted := SAMPLING_IMAGES.fullmatch(part):
            parts.append(gettext("sampling %(count)s images") % {"count": counted[1]})
        else:
            parts.append(gettext(part) if part else part)
    if len(parts) == 1:
        return parts[0]
    return gettext("%(step)s: %(detail)s") % {"step": parts[0], "detail": ": ".join(parts[1:])}


def job_language(job: Job):
    """While a worker runs a job, what the job says of itself (phase, log, error) is in the language of the person
    who asked for it."""
    return translation.override(job.dashboard_language or None)


def job_heartbeat(job: Job, **fields) -> None:
    """Progress and proof of life in one write."""
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), **fields)


def tolerate_database_outage(write):
    """Wraps a progress write or read: when the database is unreachable the call is skipped (the next one
    carries the news) and the connection is dropped, so the next call opens a fresh one."""
    down_since = [None]

    @functools.wraps(write)
    def wrapped(*args, **kwargs):
        try:
            result = write(*args, **kwargs)
        except (OperationalError, InterfaceError):
            with contextlib.suppress(DatabaseError):
                connection.close()
            down_since[0] = down_since[0] or time.monotonic()
            if time.monotonic() - down_since[0] > DATABASE_OUTAGE_SECONDS:
                raise
            logger.warning("The database is unreachable; %s is skipped until it is back", write.__name__)
            return None
        down_since[0] = None
        return result

    return wrapped


class JobCancelled(Exception):
    """Raised inside a job's loop when someone asked to cancel it; the run function finishes it as cancelled."""


def job_stop_if_cancelled(job: Job) -> None:
    """Called between chunks of work: one indexed read."""
    if type(job).objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled


def job_finish(job: Job, status: str, **fields) -> None:
    type(job).objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def job_fail(job: Job, exc: BaseException) -> None:
    job_finish(job, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}", traceback=traceback_module.format_exc())


def jobs_reap() -> list[str]:
    """Running jobs whose worker stopped writing progress are queued again (the next worker resumes them, and
    the claim fails one whose workers keep dying); queued jobs whose task never reached the broker are sent."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.GENERATION_JOB_STALE_SECONDS)
    unsent_before = now - timedelta(seconds=UNSENT_GRACE_SECONDS)
    reaped = []
    for model in RUN_TASKS:
        with transaction.atomic():
            dead = model.objects.select_for_update().filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before)
            unsent = model.objects.select_for_update().filter(
                status=JobStatus.QUEUED, enqueued_at__isnull=True, created_at__lt=unsent_before
            )
            for job in [*dead, *unsent]:
                job_enqueue(job)
                reaped.append(f"{model.__name__} #{job.pk}")
    if reaped:
        logger.warning("Sent again: %s", ", ".join(reaped))
    return reaped


# --- workers ------------------------------------------------------------------------------------------------


def worker_seen(*, hostname: str, queues: str) -> None:
    WorkerPresence.objects.update_or_create(hostname=hostname, defaults={"queues": queues, "seen_at": timezone.now()})


def worker_gone(*, hostname: str) -> None:
    WorkerPresence.objects.filter(hostname=hostname).delete()
