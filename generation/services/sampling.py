"""Sampling jobs: a person asks for N images per category; a worker makes them as GeneratedItems to review."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from catalog.imaging import png_of_array
from catalog.models import Category
from generation.gan.metrics.metric_main import nearest_training_images
from generation.gan.sampling import sample_per_category
from generation.models import GeneratedItem, GenerativeModel, SamplingJob
from generation.services.datasets import metrics_reference, training_data_load
from generation.services.models import load_generator
from retail_studio.celery import app as celery_app

RUN_TASK = "generation.tasks.sampling_job_run_task"
MAX_PER_CATEGORY = 500


@transaction.atomic
def sampling_job_create(
    *, model: GenerativeModel, category_names: list[str], per_category: int, seed: int = 0, truncation: float = 1.0,
    user=None,
) -> SamplingJob:  # fmt: skip
    unknown = sorted(set(category_names) - set(model.category_names))
    if not category_names or unknown:
        raise ValueError(f"{model} makes {', '.join(model.category_names)}; pick among those.")
    if not 1 <= per_category <= MAX_PER_CATEGORY:
        raise ValueError(f"Ask for 1 to {MAX_PER_CATEGORY} images per category.")
    if not 0 < truncation <= 1:
        raise ValueError("Diversity must be above 0 and at most 1.")
    job = SamplingJob.objects.create(
        model=model, category_names=category_names, per_category=per_category, seed=seed, truncation=truncation,
        created_by=user,
    )  # fmt: skip
    transaction.on_commit(lambda: celery_app.signature(RUN_TASK, args=[job.pk]).apply_async())
    return job


def sampling_job_run(*, job_id: int) -> SamplingJob | None:
    with transaction.atomic():
        job = SamplingJob.objects.select_for_update().select_related("model").filter(pk=job_id).first()
        if job is None or job.status != SamplingJob.Status.QUEUED:
            return None  # done already, or taken by another delivery of the same task
        job.status = SamplingJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        _make_items(job)
    except Exception as exc:
        SamplingJob.objects.filter(pk=job.pk).update(
            status=SamplingJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        raise
    SamplingJob.objects.filter(pk=job.pk).update(
        status=SamplingJob.Status.SUCCEEDED, progress=1.0, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _make_items(job: SamplingJob) -> None:
    model = job.model
    generator = load_generator(model)
    categories = {c.name: c for c in Category.objects.filter(name__in=model.category_names)}
    data = training_data_load(
        categories=list(categories.values()), resolution=model.resolution, channels=model.channels
    )
    reference = metrics_reference(data)
    for done, name in enumerate(job.category_names):
        # Seeds run on across categories, so every item of the job has a seed of its own.
        seed = job.seed + done * job.per_category
        images, _, seeds = sample_per_category(
            generator, [model.category_names.index(name)], job.per_category, seed, job.truncation
        )
        nearest = nearest_training_images(reference, images)
        with transaction.atomic():
            for i, (image, item_seed) in enumerate(zip(images, seeds, strict=True)):
                item = GeneratedItem(
                    model=model, job=job, category=categories[name], seed=int(item_seed), truncation=job.truncation,
                    nearest_pixel_distance=float(nearest["pixel_distance"][i]),
                    nearest_feature_distance=float(nearest["feature_distance"][i]),
                    nearest_products=[data.train_product_ids[int(nearest["pixel_index"][i])],
                                      data.train_product_ids[int(nearest["feature_index"][i])]],
                )  # fmt: skip
                item.image.save(f"{model.name}-v{model.version}-{item_seed}.png", ContentFile(png_of_array(image)), save=False)
                item.save()
            SamplingJob.objects.filter(pk=job.pk).update(progress=(done + 1) / len(job.category_names))
