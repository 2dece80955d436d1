"""Catalog imports sent through the API: the files wait in storage, a worker imports them all or nothing and
writes the report on the job. A job whose worker died is failed by the sweep, never left running."""

import logging
from dataclasses import asdict
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import CatalogImport, ProductImage
from catalog.services.import_rows import ImportProblem
from catalog.services.imports import catalog_import, csv_upload_read, zip_images
from catalog.tasks import catalog_import_run_task

logger = logging.getLogger(__name__)

# An import runs in one transaction; one running longer than this has lost its worker.
STALE_AFTER = timedelta(hours=2)
# A photo file no product row uses is removed only once it is this old: an import that is writing it now,
# not yet committed, is never robbed of it.
ORPHAN_GRACE = timedelta(days=1)


def catalog_import_job_create(
    *, csv_upload, images_upload=None, mapping: dict | None = None, user=None
) -> CatalogImport:
    """Stores the uploads (streamed, chunk by chunk) and queues the import once the row is committed; `mapping`
    reads the CSV's columns as import_catalog --map does."""
    job = CatalogImport(
        created_by=user,
        mapping=mapping or {},
        csv_name=PurePosixPath(csv_upload.name).name[:255],
        images_name=PurePosixPath(images_upload.name).name[:255] if images_upload else "",
    )
    job.csv_file.save("upload.csv", csv_upload, save=False)
    if images_upload is not None:
        job.images_file.save("upload.zip", images_upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            transaction.on_commit(lambda: catalog_import_run_task.delay(job.pk), robust=True)
    except Exception:
        _uploads_remove(job)
        raise
    return job


def catalog_import_job_run(*, import_id: int) -> CatalogImport | None:
    """Claims the queued job (a second delivery finds nothing to do), imports, and keeps only the report."""
    claimed = CatalogImport.objects.filter(pk=import_id, status=CatalogImport.Status.QUEUED).update(
        status=CatalogImport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = CatalogImport.objects.get(pk=import_id)
    images = None
    try:
        with job.csv_file.open("rb") as handle:
            csv_data = csv_upload_read(handle)
        if job.images_file:
            images = zip_images(job.images_file.open("rb"))
        report = catalog_import(csv_data=csv_data, images=images, mapping=job.mapping, user=job.created_by)
    except Exception as exc:
        logger.exception("Import #%s failed", job.pk)
        job.problems = [asdict(ImportProblem(
            gettext("The import stopped on an internal error (%(name)s); nothing was written. Send it again, or tell an admin if it happens again.") % {"name": type(exc).__name__}
        ))]  # fmt: skip
        job.status = CatalogImport.Status.FAILED
    else:
        job.problems = [asdict(problem) for problem in report.problems]
        job.status = CatalogImport.Status.SUCCEEDED if report.ok else CatalogImport.Status.FAILED
        job.products_created = report.products_created
        job.images_created = report.images_created
        job.categories_created = report.categories_created
    finally:
        if images is not None:
            images.close()
    job.finished_at = timezone.now()
    job.save()
    _uploads_remove(job)
    return job


def _uploads_remove(job: CatalogImport) -> None:
    for field in (job.csv_file, job.images_file):
        if field and field.storage.exists(field.name):
            field.storage.delete(field.name)


def catalog_imports_reap() -> list[int]:
    """Fails imports whose worker died: the import's transaction rolled back, so nothing was written."""
    stale = CatalogImport.objects.filter(
        status=CatalogImport.Status.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    )
    reaped = []
    for job in stale:
        job.status, job.finished_at = CatalogImport.Status.FAILED, timezone.now()
        job.problems = [
            asdict(
                ImportProblem(gettext("The worker running this import stopped; nothing was written. Send it again."))
            )
        ]
        job.save(update_fields=["status", "finished_at", "problems"])
        _uploads_remove(job)
        reaped.append(job.pk)
    return reaped


def product_files_orphaned_remove(*, older_than: timedelta = ORPHAN_GRACE) -> list[str]:
    """Removes photo files under products/ that no product image uses and that are older than the grace
    period (left by a failed import whose file another import was about to use)."""
    removed = []
    cutoff = timezone.now() - older_than
    folders, _ = default_storage.listdir("products") if default_storage.exists("products") else ([], [])
    for folder in folders:
        _, files = default_storage.listdir(f"products/{folder}")
        names = [f"products/{folder}/{name}" for name in files]
        used = set(ProductImage.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name not in used and default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed.append(name)
    if removed:
        logger.info("Removed %d photo files no product uses", len(removed))
    return removed
