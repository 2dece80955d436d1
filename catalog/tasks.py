from celery import shared_task

from catalog.models import ProductImage
from catalog.thumbnails import product_image_make_thumbnail, thumbnails_missing_ids


@shared_task(acks_late=True)
def product_image_thumbnail_task(image_id: int) -> bool:
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:  # deleted since it was queued: nothing to do
        return False
    return product_image_make_thumbnail(image=image)


@shared_task
def thumbnails_missing_enqueue_task() -> list[int]:
    """The sweep: each lost thumbnail task is sent again (the task does nothing when the thumbnail exists)."""
    ids = thumbnails_missing_ids()
    for image_id in ids:
        product_image_thumbnail_task.delay(image_id)
    return ids


# The services below send tasks from this module, so these tasks import them when they run, not at import.
@shared_task(acks_late=True)
def catalog_import_run_task(import_id: int) -> str | None:
    from catalog.services.import_jobs import catalog_import_job_run

    job = catalog_import_job_run(import_id=import_id)
    return job.status if job else None


@shared_task
def catalog_imports_reap_task() -> list[int]:
    from catalog.services.import_jobs import catalog_imports_reap

    return catalog_imports_reap()


@shared_task
def product_files_orphaned_remove_task() -> int:
    from catalog.services.import_jobs import product_files_orphaned_remove

    return len(product_files_orphaned_remove())
