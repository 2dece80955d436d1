from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Category
from generation.models import GenerativeModel, TrainingJob
from generation.services import job_lifecycle, job_runner, jobs
from retail_studio.errors import StudioError
from tests.generation.test_gan_commands import small_catalog

pytestmark = pytest.mark.django_db


def points(job: TrainingJob) -> list[dict]:
    return list(job.points.values_list("data", flat=True))


def make_job(**budget) -> TrainingJob:
    return jobs.training_job_create(name="demo", categories=list(Category.objects.all()), **(budget or {"steps": 3}))


def test_a_job_runs_through_its_task_and_registers_a_model(celery_eager, django_capture_on_commit_callbacks):
    small_catalog(per_category=8)
    with django_capture_on_commit_callbacks(execute=True):
        job = make_job(steps=4)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert (job.step, job.progress, job.attempts) == (4, 1.0, 1)
    history = points(job)
    assert history and history[-1]["step"] == 4 and "d_loss" in history[-1]
    assert job.result == GenerativeModel.objects.get() and job.finished_at is not None


def test_a_running_job_shows_quick_metrics_a_preview_grid_and_a_log_tail(celery_eager, settings, client, merchandiser):
    settings.GAN_PREVIEW_SECONDS = 0  # measure at every step of this three-step run
    small_catalog(per_category=8)
    job = make_job(steps=3)
    job_runner.training_job_run(job_id=job.pk)
    job.refresh_from_db()
    measured = [p for p in points(job) if "fd_quick_200" in p]
    assert measured and all(p["fd_quick_200"] > 0 and 0 <= p["category_accuracy_quick_200"] <= 1 for p in measured)
    assert not any("fd" in p for p in points(job))  # a quick estimate is never named like the final figure
    with job.preview_grid.open("rb") as grid:
        assert grid.read(8) == b"\x89PNG\r\n\x1a\n"
    assert len(list(Path(job.preview_grid.path).parent.glob(f"job-{job.pk}-*"))) == 1  # older grids are removed
    assert "attempt 1" in job.log and "quick FD" in job.log and f"registered {job.result}" in job.log
    # Every phase outside training is named in the log as it starts: nothing runs silently.
    assert "preparing quality measurement: training the metrics classifier" in job.log
    assert "measuring the new version: frechet" in job.log

    client.force_login(merchandiser)
    progress = client.get(reverse("generation:job_progress", args=[job.pk])).json()
    assert progress["preview_grid"] == job.preview_grid.url
    assert progress["log_tail"][-1].endswith(f"state {job.result.state})")


def test_bad_budgets_are_refused():
    small_catalog(per_category=4)
    with pytest.raises(StudioError, match="minutes or in steps"):
        jobs.training_job_create(name="x", categories=list(Category.objects.all()))
    with pytest.raises(StudioError, match="at least one category"):
        jobs.training_job_create(name="x", categories=[], steps=1)
    assert not TrainingJob.objects.exists()


def test_cancel_retry_and_a_second_run_skips_a_finished_job():
    small_catalog(per_category=4)
    job = make_job()
    assert jobs.job_cancel(job=job).status == "cancelled"
    assert jobs.job_retry(job=job).status == "queued"
    done = job_runner.training_job_run(job_id=job.pk)
    assert done.status == "succeeded"
    assert job_runner.training_job_run(job_id=job.pk) is None  # a redelivered task does nothing
    with pytest.raises(StudioError, match="succeeded job cannot be retried"):
        jobs.job_retry(job=done)


def test_a_job_whose_worker_keeps_dying_is_failed_with_the_reason():
    small_catalog(per_category=4)
    job = make_job()
    TrainingJob.objects.filter(pk=job.pk).update(status="running", attempts=job_lifecycle.MAX_ATTEMPTS)
    assert job_runner.training_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == "failed" and "Gave up after 3 attempts" in job.error


def test_a_failing_run_records_its_error_and_traceback(monkeypatch):
    small_catalog(per_category=4)
    job = make_job()
    monkeypatch.setattr(job_runner, "image_train", lambda **kw: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        job_runner.training_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "RuntimeError: disk full" and "Traceback" in job.traceback


def test_job_pages_enforce_roles_and_serve_progress(client, reviewer, merchandiser):
    small_catalog(per_category=4)
    job = make_job()
    client.force_login(reviewer)
    assert client.get(reverse("generation:job_list")).status_code == 200
    assert client.get(reverse("generation:job_create")).status_code == 403
    assert client.post(reverse("generation:job_cancel", args=[job.pk])).status_code == 403
    progress = client.get(reverse("generation:job_progress", args=[job.pk])).json()
    assert progress["status"] == "queued" and progress["progress"] == 0.0

    client.force_login(merchandiser)
    bag = Category.objects.get(name="Bag").pk
    response = client.post(
        reverse("generation:job_create"), {"name": "bags", "categories": [bag], "steps": 2, "device": "cpu"}
    )
    assert response.status_code == 302
    created = TrainingJob.objects.get(name="bags")
    assert list(created.categories.values_list("name", flat=True)) == ["Bag"]
    body = client.get(reverse("generation:job_detail", args=[created.pk])).content.decode()
    assert 'id="job-bar"' in body and "No worker is connected" in body
    bad = client.post(reverse("generation:job_create"), {"name": "x", "categories": [bag], "device": "cpu"})
    assert bad.status_code == 400 and "minutes or in steps" in bad.content.decode()
