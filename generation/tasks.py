from celery import shared_task

from generation.models import CatalogExport, CopyJob, SamplingJob, TrainingJob
from generation.publishing.services import catalog_export_run
from generation.recommendations.precompute import ROWS_TASK, product_rows_compute
from generation.recommendations.receivers import FEATURES_TASK
from generation.recommendations.services import events_expired_purge
from generation.recommendations.versions import recommender_training_enqueue
from generation.services import copywriting, items, job_lifecycle, job_runner, judging, registry, sampling
from generation.services.jobs import PHOTO_CHECK_TASK


@shared_task(name=job_lifecycle.RUN_TASKS[TrainingJob], acks_late=True)
def training_job_run_task(job_id: int) -> None:
    job_runner.training_job_run(job_id=job_id)


@shared_task(name=job_lifecycle.RUN_TASKS[SamplingJob], acks_late=True)
def sampling_job_run_task(job_id: int) -> None:
    sampling.sampling_job_run(job_id=job_id)


@shared_task
def jobs_reap_task() -> list[str]:
    return job_lifecycle.jobs_reap()


@shared_task
def retraining_enqueue_due_task() -> list[int]:
    return [job.pk for job in registry.retraining_enqueue_due()]


@shared_task(name=items.JUDGE_TASK, acks_late=True)
def generated_items_judge_task(item_ids: list[int]) -> int:
    return judging.generated_items_judge_stored(item_ids=item_ids)


@shared_task(name=job_lifecycle.RUN_TASKS[CopyJob], acks_late=True)
def copy_job_run_task(job_id: int) -> None:
    copywriting.copy_job_run(job_id=job_id)


@shared_task(name=job_lifecycle.RUN_TASKS[CatalogExport], acks_late=True)
def catalog_export_run_task(export_id: int) -> None:
    catalog_export_run(export_id=export_id)


@shared_task(name=FEATURES_TASK, acks_late=True)
def image_features_compute_task(image_ids: list[int]) -> int:
    from generation.recommendations.features import image_features_compute

    return image_features_compute(image_ids=image_ids)


@shared_task(name=ROWS_TASK, acks_late=True)
def product_rows_compute_task() -> int:
    return product_rows_compute()


@shared_task(name=PHOTO_CHECK_TASK, acks_late=True)
def photo_check_task(check_id: int) -> int:
    from generation.services.photo_check import photo_check_run

    return photo_check_run(check_id=check_id).photos


@shared_task
def recommender_train_nightly_task() -> int | None:
    events_expired_purge()  # what is past its retention is neither kept nor learnt from
    job = recommender_training_enqueue(nightly=True)
    return job.pk if job else None
