"""Item 10 of the review issue: numbers and jobs a reviewer can trust. A broker that is down at a commit, a
sampling worker that dies, a page that polls a long job: nothing is lost, nothing stays stuck."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalog import tasks as catalog_tasks
from catalog.import_sources import image_source_from_dir
from catalog.models import Category, ProductImage
from catalog.services.imports import catalog_import
from catalog.thumbnails import THUMBNAIL_GRACE_SECONDS, thumbnails_missing_ids
from generation.models import GeneratedItem, GenerativeModel, SamplingJob, TrainingJob, TrainingJobPoint
from generation.services import copywriting, job_lifecycle, jobs, sampling
from retail_studio.celery import app as celery_app
from tests.factories import jpeg_bytes
from tests.generation.test_gan_commands import small_catalog


def broker_down(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6391. Connection refused.")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_whose_enqueue_fails_after_the_commit_keeps_every_file(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(catalog_tasks.product_image_thumbnail_task, "delay", broker_down)
    (tmp_path / "imgs").mkdir()
    (tmp_path / "imgs" / "big.jpg").write_bytes(jpeg_bytes(1200, 800))
    report = catalog_import(
        csv_data=b"sku,title,category,image\nBIG-1,Large photo,Coat,big.jpg\n",
        images=image_source_from_dir(tmp_path / "imgs"),
    )
    assert report.ok and report.products_created == 1
    image = ProductImage.objects.get()
    assert (settings.MEDIA_ROOT / image.file.name).exists()  # the committed product keeps its photo
    assert not image.thumbnail
    # The sweep finds it once the grace period has passed, and sends its task again.
    assert thumbnails_missing_ids() == []
    ProductImage.objects.update(created_at=timezone.now() - timedelta(seconds=THUMBNAIL_GRACE_SECONDS + 1))
    assert thumbnails_missing_ids() == [image.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_whose_task_never_reached_the_broker_is_sent_by_the_sweep(monkeypatch):
    small_catalog(per_category=2)
    sent = []
    monkeypatch.setattr(celery_app, "signature", lambda *args, **kwargs: broker_down())
    job = jobs.training_job_create(name="demo", categories=list(Category.objects.all()), steps=1)
    job.refresh_from_db()
    assert job.status == "queued" and job.enqueued_at is None  # committed, not lost, not sent

    class Signature:
        def __init__(self, name, args, **options):
            self.call = (name, args)

        def apply_async(self):
            sent.append(self.call)

    monkeypatch.setattr(celery_app, "signature", Signature)
    assert job_lifecycle.jobs_reap() == []  # within the grace period the task may still be on its way
    TrainingJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert job_lifecycle.jobs_reap() == [f"TrainingJob #{job.pk}"]
    assert sent == [("generation.tasks.training_job_run_task", [job.pk])]
    job.refresh_from_db()
    assert job.enqueued_at is not None and job_lifecycle.jobs_reap() == []


@pytest.mark.django_db
def test_a_sampling_job_whose_worker_died_is_resumed_by_the_reaper_without_repeating_items(
    trained,
    settings,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.sampling_job_create(model=trained, category_names=["Bag", "Coat"], per_category=6, seed=3)
    # A worker claimed it, made the first items and died: the row says running, its heartbeat goes stale.
    job = job_lifecycle.job_claim(SamplingJob, job.pk)
    plan = sampling._plan(job)
    for name, seed in plan[:4]:
        GeneratedItem.objects.create(model=trained, job=job, category=Category.objects.get(name=name), seed=seed)
    assert sampling.sampling_job_run(job_id=job.pk) is None  # while its heartbeat is fresh, nobody takes over
    assert job_lifecycle.jobs_reap() == []
    stale = timezone.now() - timedelta(seconds=settings.GENERATION_JOB_STALE_SECONDS + 1)
    SamplingJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        assert job_lifecycle.jobs_reap() == [f"SamplingJob #{job.pk}"]
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2
    seeds = sorted(job.items.values_list("seed", flat=True))
    assert seeds == [seed for _, seed in plan]  # every item once: the first four were kept, not made again


@pytest.mark.django_db
def test_a_sampling_job_whose_workers_keep_dying_is_failed_with_the_reason(trained):
    job = SamplingJob.objects.create(
        model=trained, category_names=["Bag"], per_category=1, status="running", attempts=3
    )
    assert sampling.sampling_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == "failed" and "Gave up after 3 attempts" in job.error


@pytest.mark.django_db
def test_a_poll_after_n_points_returns_only_the_points_after_n(merch_client):
    small_catalog(per_category=2)
    with transaction.atomic():
        job = jobs.training_job_create(name="demo", categories=list(Category.objects.all()), steps=100)
    TrainingJobPoint.objects.bulk_create(
        TrainingJobPoint(job=job, seq=i, data={"step": i * 10, "d_loss": 1.0, "g_loss": 1.0}) for i in range(50)
    )
    url = reverse("generation:job_progress", args=[job.pk])
    everything = merch_client.get(url).json()
    assert [p["step"] for p in everything["points"]] == [i * 10 for i in range(50)]
    newer = merch_client.get(url, {"after": 47}).json()
    assert [p["step"] for p in newer["points"]] == [470, 480, 490] and newer["points_total"] == 50
    assert merch_client.get(url, {"after": 50}).json()["points"] == []


@pytest.mark.django_db
def test_a_failed_registration_leaves_no_model_file(media_root, monkeypatch):
    category = Category.objects.create(name="Bag")

    def refuse(*args, **kwargs):
        raise IntegrityError("the database said no")

    monkeypatch.setattr(GenerativeModel, "save", refuse)
    with pytest.raises(IntegrityError):
        copywriting.copy_model_register(
            name="words", state={"config": {"vocab_size": 5}, "tokens": [], "model": {}}, categories=[category],
            metrics={}, steps=1, trained_until=timezone.now(),
        )  # fmt: skip
    assert not (media_root / "models").exists() or not list((media_root / "models").iterdir())
    assert not GenerativeModel.objects.exists()


def test_every_training_budget_has_a_time_limit():
    by_steps = job_lifecycle.job_time_limits(TrainingJob(budget_steps=10_000_000))
    by_minutes = job_lifecycle.job_time_limits(TrainingJob(budget_minutes=5))
    assert by_steps["time_limit"] > by_steps["soft_time_limit"] > 0
    assert by_minutes == {"soft_time_limit": 5 * 60 * 1.5 + 600, "time_limit": 5 * 60 * 1.5 + 720}
    assert job_lifecycle.job_time_limits(SamplingJob()) == {}
