"""Runs a training job inside a Celery worker: claims the row, trains, writes progress, records the end."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext

from generation.models import Engine, Family, GenerativeModel, JobStatus, TrainingJob, TrainingJobPoint
from generation.models.jobs import QUICK_SUFFIX
from generation.recommendations.training import recommender_train
from generation.services.copywriting import copy_train
from generation.services.first_run import first_run_follow_up
from generation.services.job_lifecycle import (
    job_claim,
    job_fail,
    job_finish,
    job_heartbeat,
    job_language,
    phase_said,
    tolerate_database_outage,
)
from generation.services.jobs import measuring_seconds
from generation.services.models import candidate_promote_if_better, image_train
from generation.services.understanding_training import understanding_train

# Progress reaches the database every few seconds, not every step.
PROGRESS_WRITE_SECONDS = 2.0
# The log keeps this many newest lines, and a line about the losses every this many seconds.
LOG_LINES_KEPT = 200
LOG_POINT_SECONDS = 10.0


def job_checkpoint_path(job: TrainingJob) -> Path:
    """Each job resumes only its own run, never another job's of the same name."""
    return settings.GAN_WORK_DIR / "runs" / f"job-{job.pk}.pt"


@dataclass(frozen=True)
class Trainer:
    """How jobs of one family (and, for images, one engine) train: the service, the figures its log line ends
    with, and what else it is given."""

    train: Callable[..., GenerativeModel | None]
    figure: str
    images: bool = False  # an image engine: the device, a checkpoint to resume, sample grids as it goes
    texts: bool = False  # the copywriter: its latest texts as it goes
    promotes_itself: bool = False  # the recommender: promoted by its own rule as it registers


# Looked up by name at call time, so a test can stand a failing service in for one.
TRAINERS = {
    f"{Family.IMAGE}:{Engine.GAN}": Trainer(lambda **kw: image_train(engine=Engine.GAN, **kw), "FD {fd}", images=True),
    f"{Family.IMAGE}:{Engine.VAE}": Trainer(lambda **kw: image_train(engine=Engine.VAE, **kw), "FD {fd}", images=True),
    Family.COPY: Trainer(lambda **kw: copy_train(**kw), "{grounding_pass_rate} of its titles grounded", texts=True),
    Family.RECS: Trainer(
        lambda **kw: recommender_train(**kw),
        "recall@10 {recall_at_10}, {lift_over_popularity}x popularity's",
        promotes_itself=True,
    ),
    Family.INTENT: Trainer(
        lambda **kw: understanding_train(**kw),
        "held-out questions read right {held_out_intent_right} (rules alone {held_out_rules_right})",
    ),
}


def trainer_for(job: TrainingJob) -> Trainer:
    return TRAINERS[f"{job.family}:{job.engine}" if job.family == Family.IMAGE else job.family]


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
    if "kl" in point:  # a VAE's points
        return (
            f"step {point['step']:,} · loss {point['loss']:.1f} (reconstruction {point['reconstruction']:.1f}, "
            f"KL {point['kl']:.1f}) · {point['images_per_second']:,.0f} images/s"
        )
    if "d_loss" not in point:  # the copywriter's points
        return f"step {point['step']:,} · loss {point['loss']:.3f}"
    line = (
        f"step {point['step']:,} · D loss {point['d_loss']:.3f} · G loss {point['g_loss']:.3f} · "
        f"{point['images_per_second']:,.0f} images/s · augmentation p {point['augment_p']:.2f}"
    )
    if f"fd{QUICK_SUFFIX}" in point:
        line += (
            f" · quick FD {point[f'fd{QUICK_SUFFIX}']:.2f} · "
            f"{point[f'category_accuracy{QUICK_SUFFIX}']:.0%} in the asked category"
        )
    return line


def _phase_text(what: str, done: int, total: int) -> str:
    return f"{phase_said(what)} {done / total:.0%}" if total > 1 else phase_said(what)


def training_job_run(*, job_id: int) -> TrainingJob | None:
    """Runs a queued job (or resumes a redelivered running one) to its end."""
    job = job_claim(TrainingJob, job_id)
    if job is None:
        return None
    with job_language(job):
        return _training_job_run(job)


def _training_job_run(job: TrainingJob) -> TrainingJob:
    log = _JobLog(job)
    checkpoint = job_checkpoint_path(job)
    log.add(
        (
            gettext("attempt %(attempt)s on %(worker)s: resuming from the last checkpoint")
            if checkpoint.exists()
            else gettext("attempt %(attempt)s on %(worker)s: starting from scratch")
        )
        % {"attempt": job.attempts, "worker": job.worker}
    )
    next_seq = [job.points.count()]
    state = {"phase": ""}
    last_logged = [0.0]
    # The ETA is the whole time to the registered version: the training left and then the measuring, as long
    # as it took the last few jobs of this family.
    measuring = measuring_seconds(family=job.family)
    training_ended: list[float] = []

    @tolerate_database_outage
    def write_progress(point: dict | None = None) -> None:
        fields = {"phase": state["phase"], "log": log.text}
        if training_ended:
            fields["eta_seconds"] = max(0.0, measuring - (time.monotonic() - training_ended[0]))
        if point is not None:
            fraction = point["fraction"]
            fields |= {"progress": fraction, "step": point["step"]}
            training_left = point["elapsed"] / fraction - point["elapsed"] if fraction > 0 else None
            fields["eta_seconds"] = None if training_left is None else training_left + measuring
            # Appended, never rewritten: a poll asks only for the points after the last one it has.
            TrainingJobPoint.objects.create(job=job, seq=next_seq[0], data=point)
            next_seq[0] += 1
        job_heartbeat(job, **fields)

    flush = _throttled(write_progress)

    def on_point(point: dict) -> None:
        # The loop reports every two seconds already; each report is written.
        state["phase"] = gettext("training") if point["fraction"] < 1.0 else gettext("training done")
        if point["fraction"] >= 1.0 and not training_ended:
            training_ended.append(time.monotonic())
        if f"fd{QUICK_SUFFIX}" in point or time.monotonic() - last_logged[0] >= LOG_POINT_SECONDS:
            last_logged[0] = time.monotonic()
            log.add(_point_line(point))
        write_progress(point)

    def on_phase(what: str, done: int, total: int) -> None:
        if what.startswith("measuring") and not training_ended:
            training_ended.append(time.monotonic())
        if what != state.get("what"):  # a line in the log as each phase starts
            state["what"] = what
            log.add(phase_said(what))
        state["phase"] = _phase_text(what, done, total)
        flush()

    @tolerate_database_outage
    def on_preview_texts(texts: list[str]) -> None:
        TrainingJob.objects.filter(pk=job.pk).update(preview_texts=texts)
        log.add(gettext("writes: %(texts)s") % {"texts": " | ".join(texts)})

    @tolerate_database_outage
    def on_preview(grid_png: bytes, step: int) -> None:
        # A fresh name each time, so browsers never show a cached older grid; the old file goes.
        old = job.preview_grid.name
        job.preview_grid.save(f"job-{job.pk}-step-{step}.png", ContentFile(grid_png), save=False)
        TrainingJob.objects.filter(pk=job.pk).update(preview_grid=job.preview_grid.name, preview_step=step)
        if old:
            job.preview_grid.storage.delete(old)
        state["phase"] = gettext("training")

    cancel_seen = [False]

    @tolerate_database_outage
    def read_cancel_flag() -> None:
        cancel_seen[0] = TrainingJob.objects.filter(pk=job.pk, cancel_requested=True).exists()

    check_cancel = _throttled(read_cancel_flag)

    def abort() -> bool:
        check_cancel()
        return cancel_seen[0]

    common = {
        "name": job.name,
        "categories": list(job.categories.all()),
        "minutes": job.budget_minutes,
        "steps": job.budget_steps,
        "seed": job.seed,
        "user": job.started_by,
        "progress_fn": on_point,
        "abort_fn": abort,
        "phase_fn": on_phase,
    }
    try:
        trainer = trainer_for(job)  # inside: a job of a kind no trainer knows fails, with its reason
        if trainer.images:  # the device, the checkpoint to resume from and the sample grids
            common |= {
                "device": job.device,
                "checkpoint_path": checkpoint,
                "resume": checkpoint.exists(),
                "preview_fn": on_preview,
            }
        elif trainer.texts:
            common["preview_fn"] = on_preview_texts
        model = trainer.train(**common)
    except Exception as exc:
        log.add(gettext("failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"})
        write_progress()
        job_fail(job, exc)
        raise
    if model is None:
        log.add(gettext("cancelled; the checkpoint is kept for a resume"))
        state["phase"] = ""
        write_progress()
        job_finish(job, JobStatus.CANCELLED)
    else:
        log.add(
            gettext("registered %(model)s (%(figure)s, state %(state)s)")
            % {"model": model, "figure": trainer.figure.format_map(model.metrics), "state": model.get_state_display()}
        )
        state["phase"] = ""
        write_progress()
        job_finish(job, JobStatus.SUCCEEDED, result=model, progress=1.0, eta_seconds=0)
        if job.started_by_id is None and not trainer.promotes_itself:
            candidate_promote_if_better(model=model)  # a scheduled retraining: promoted only if it measures better
        job.refresh_from_db()
        first_run_follow_up(job=job)
    job.refresh_from_db()
    return job
