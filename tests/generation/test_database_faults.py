"""Faults under running jobs: the database restarted mid-training (PostgreSQL), the disk full while saving a
checkpoint. Nothing is lost and nothing is left stuck."""

import errno
import os
import subprocess
import sys
import time

import psycopg
import pytest
import torch
from django.conf import settings

from generation.gan import checkpoint
from tests.conftest import PROJECT_DIR, WorkerProcess

SETUP = """
from catalog.models import Category
from generation.services import jobs
from tests.generation.test_gan_commands import small_catalog
small_catalog(per_category=8)
job = jobs.training_job_create(name="demo", categories=list(Category.objects.all()), steps=400, device="cpu")
print(job.pk)
"""


def _job(url: str, job_id: int) -> tuple:
    with psycopg.connect(url) as db:
        return db.execute(
            "SELECT status, step, error, (SELECT count(*) FROM generation_trainingjobpoint WHERE job_id = %s) "
            "FROM generation_trainingjob WHERE id = %s",
            (job_id, job_id),
        ).fetchone()


def _wait(url: str, job_id: int, predicate, timeout: float, worker) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            row = _job(url, job_id)
        except psycopg.OperationalError:  # restarting
            row = None
        if row and predicate(row):
            return row
        time.sleep(0.3)
    raise AssertionError(f"job stuck at {row}: {worker.log.read_text()[-3000:]}")


@pytest.mark.integration
def test_a_training_job_carries_on_through_a_postgresql_restart(redis_server, postgres_server, tmp_path):
    env = {**os.environ, "DATABASE_URL": postgres_server.url, "MEDIA_ROOT": str(tmp_path / "media"),
           "GAN_WORK_DIR": str(settings.GAN_WORK_DIR), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=PROJECT_DIR, check=True, capture_output=True)
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, cwd=PROJECT_DIR, check=True, capture_output=True)
    job_id = int(made.stdout.decode().split()[-1])
    url = postgres_server.url.replace("postgres://", "postgresql://")
    worker = WorkerProcess(tmp_path / "media", tmp_path, database_url=postgres_server.url)
    worker.start()
    try:
        _, _, _, points_before = _wait(url, job_id, lambda row: row[0] == "running" and row[1] >= 40, 120, worker)
        postgres_server.restart()  # every connection of the worker is cut
        status, step, error, points_after = _wait(url, job_id, lambda row: row[0] not in ("queued", "running"), 240,
                                                  worker)  # fmt: skip
    finally:
        worker.stop()
    assert (status, step, error) == ("succeeded", 400, ""), worker.log.read_text()[-3000:]
    assert points_after > points_before  # it kept reporting after the restart
    assert "The database is unreachable" in worker.log.read_text()  # the restart did hit the running job


class DiskFull:
    """A file object that takes `room` bytes and then fails as a full disk does."""

    def __init__(self, handle, room: int):
        self.handle, self.room = handle, room

    def write(self, data) -> int:
        if len(data) > self.room:
            self.handle.write(bytes(data)[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()


def test_a_full_disk_while_saving_a_checkpoint_leaves_the_previous_one_whole(tmp_path, monkeypatch):
    path = tmp_path / "job.pt"
    checkpoint.save_checkpoint(path, {"step": 100, "weights": torch.arange(10_000.0)})
    real_fdopen = os.fdopen
    monkeypatch.setattr(checkpoint.os, "fdopen", lambda fd, mode: DiskFull(real_fdopen(fd, mode), room=4096))
    with pytest.raises(OSError) as raised:
        checkpoint.save_checkpoint(path, {"step": 200, "weights": torch.arange(20_000.0)})
    assert raised.value.errno == errno.ENOSPC
    kept = checkpoint.load_checkpoint(path)
    assert kept["step"] == 100 and torch.equal(kept["weights"], torch.arange(10_000.0))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.pt"]  # no half-written temp file left
