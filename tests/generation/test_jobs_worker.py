"""Training jobs through a real Celery worker and a real Redis, as in production."""

import signal
import time

import pytest
import torch
from django.core.cache import cache
from django.db import transaction

from catalog.models import Category
from generation import selectors
from generation.models import GenerativeModel, TrainingJob, WorkerPresence
from generation.services import job_lifecycle, jobs
from generation.services.job_runner import job_checkpoint_path
from tests.conftest import WORKER_STALE_SECONDS
from tests.generation.test_gan_commands import small_catalog

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_for(job: TrainingJob, predicate, timeout: float, worker) -> TrainingJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job stuck at {job.status} {job.progress}: {worker.log.read_text()[-3000:]}")


def start(**budget) -> TrainingJob:
    with transaction.atomic():
        return jobs.training_job_create(name="demo", categories=list(Category.objects.all()), device="cpu", **budget)


def test_a_tiny_job_runs_end_to_end_and_registers_a_model(celery_worker_process):
    small_catalog(per_category=8)
    job = wait_for(start(steps=30), lambda j: not j.is_active, 120, celery_worker_process)
    assert job.status == "succeeded", job.error
    assert job.step == 30 and job.worker
    model = GenerativeModel.objects.get()
    assert job.result == model and model.steps == 30 and "fd" in model.metrics


def test_a_vae_job_runs_through_the_same_runner_and_registers_a_vae_version(celery_worker_process):
    small_catalog(per_category=8)
    job = wait_for(start(steps=30, engine="vae"), lambda j: not j.is_active, 120, celery_worker_process)
    assert job.status == "succeeded", job.error
    model = GenerativeModel.objects.get()
    assert (model.engine, model.steps) == ("vae", 30) and "fd" in model.metrics and model.sample_grid
    points = list(job.points.values_list("data", flat=True))
    assert points and {"reconstruction", "kl"} <= set(points[-1])  # the live page's chart
    assert "KL" in job.log  # the log's loss lines


def test_cancel_stops_a_running_job_within_seconds_and_keeps_its_checkpoint(celery_worker_process):
    small_catalog(per_category=8)
    job = wait_for(start(minutes=5), lambda j: j.status == "running" and j.step > 0, 120, celery_worker_process)
    jobs.job_cancel(job=job)
    asked = time.monotonic()
    job = wait_for(job, lambda j: not j.is_active, 30, celery_worker_process)
    assert job.status == "cancelled"
    assert time.monotonic() - asked < 10
    assert job_checkpoint_path(job).exists()
    assert not GenerativeModel.objects.exists()


def checkpoint_step(job: TrainingJob) -> int:
    path = job_checkpoint_path(job)
    return torch.load(path, weights_only=True)["step"] if path.exists() else 0


def test_a_worker_killed_mid_training_is_replaced_and_the_job_resumes(celery_worker_process):
    """SIGKILL the worker; the reaper queues the job again; a new worker resumes from the checkpoint."""
    small_catalog(per_category=8)
    job = start(steps=600)
    deadline = time.monotonic() + 120
    while checkpoint_step(job) < 100 and time.monotonic() < deadline:
        time.sleep(0.2)
    celery_worker_process.kill(signal.SIGKILL)
    steps_saved = checkpoint_step(job)
    assert 100 <= steps_saved < 600, "the job ended before it could be killed"
    job.refresh_from_db()
    points_before = job.points.count()

    time.sleep(WORKER_STALE_SECONDS + 0.5)  # the dead worker's last heartbeat is now stale
    assert job_lifecycle.jobs_reap() == [f"TrainingJob #{job.pk}"]
    celery_worker_process.start()
    job = wait_for(job, lambda j: not j.is_active, 180, celery_worker_process)

    assert job.status == "succeeded", job.error
    assert (job.attempts, job.step) == (2, 600)
    second_attempt = [
        point["step"] for point in job.points.filter(seq__gte=points_before).values_list("data", flat=True)
    ]
    assert second_attempt and min(second_attempt) > steps_saved  # the step counter did not restart


def test_a_redis_restart_loses_no_queued_job(stopped_worker, redis_server):
    small_catalog(per_category=8)
    job = start(steps=5)  # queued while no worker runs
    redis_server.stop()
    redis_server.start()  # the append-only file brings the message back
    stopped_worker.start()
    job = wait_for(job, lambda j: not j.is_active, 120, stopped_worker)
    assert job.status == "succeeded", job.error


def test_a_sampling_job_runs_on_the_worker(celery_worker_process):
    small_catalog(per_category=8)
    job = wait_for(start(steps=5), lambda j: not j.is_active, 120, celery_worker_process)
    with transaction.atomic():
        sampling_job = jobs.sampling_job_create(model=job.result, category_names=["Dress"], per_category=4)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sampling_job.refresh_from_db()
        if sampling_job.status not in ("queued", "running"):
            break
        time.sleep(0.3)
    assert sampling_job.status == "succeeded", sampling_job.error or celery_worker_process.log.read_text()[-2000:]
    assert sampling_job.items.count() == 4


def test_a_worker_writes_its_presence_and_removes_it_when_it_stops(stopped_worker):
    """The "no worker" banner reads the database: a started worker is seen at once, a stopped one is gone."""
    assert selectors.workers_online() == 0
    stopped_worker.start()
    cache.clear()
    presence = WorkerPresence.objects.get()
    assert presence.hostname.startswith("test") and "gpu" in presence.queues
    assert selectors.workers_online() == 1
    stopped_worker.stop()
    cache.clear()
    assert selectors.workers_online() == 0 and not WorkerPresence.objects.exists()
