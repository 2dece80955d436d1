"""The import holds memory bounded, never deletes a file another import uses, and its jobs never hang."""

import os
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from catalog.imaging import check_catalog_image
from catalog.import_sources import ImageSource, image_source_from_zip
from catalog.models import CatalogImport, ProductImage
from catalog.services import import_jobs, imports
from tests.catalog.test_import_services import LIMITS, make_zip
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db


class CountingSource(ImageSource):
    """Counts how often each image's bytes are read."""

    def __init__(self, files: dict[str, bytes]):
        super().__init__()
        self.reads: dict[str, int] = {}
        for name, data in files.items():
            self.add(name, lambda name=name, data=data: self._read(name, data))

    def _read(self, name: str, data: bytes) -> bytes:
        self.reads[name] = self.reads.get(name, 0) + 1
        return data


def test_an_archive_over_its_limits_has_none_of_its_images_read():
    files = {f"S-{i}.png": png_bytes() for i in range(5)}
    source = image_source_from_zip(make_zip(files), **(LIMITS | {"max_total_bytes": 100}))
    with mock.patch("catalog.services.imports.check_catalog_image") as check:
        report = imports.catalog_import(csv_data=b"sku,title,category\n" + b"".join(
            f"S-{i},Sandal,Sandal\n".encode() for i in range(5)), images=source)  # fmt: skip
    assert not report.ok and check.call_count == 0


def test_too_many_members_is_refused_before_any_is_listed():
    source = image_source_from_zip(make_zip({f"{i}.png": b"x" for i in range(20)}), **(LIMITS | {"max_members": 10}))
    assert source.over_limits and "holds 20 files; the limit is 10" in source.problems[0][1]


def test_checked_images_keep_their_hash_not_their_bytes_and_are_read_again_to_store():
    source = CountingSource({"S-1.png": png_bytes(), "S-2.png": png_bytes(40, 40)})
    kept = []
    real_check = check_catalog_image

    def check(data):
        kept.append(real_check(data))
        return kept[-1]

    with mock.patch("catalog.services.imports.check_catalog_image", side_effect=check):
        report = imports.catalog_import(csv_data=b"sku,title,category\nS-1,A,Sandal\nS-2,B,Sandal\n", images=source)
    assert report.ok and report.images_created == 2
    assert source.reads == {"S-1.png": 2, "S-2.png": 2}  # once to check, once to store: never all held at once


def test_a_failed_import_keeps_a_file_another_import_uses():
    shared = png_bytes(30, 30)
    first = imports.catalog_import(
        csv_data=b"sku,title,category\nA-1,A,Sandal\n", images=CountingSource({"A-1.png": shared})
    )
    assert first.ok
    name = ProductImage.objects.get().file.name
    # A second import writes a new file and reuses the shared one, then fails while writing its rows.
    source = CountingSource({"B-1.png": shared, "B-2.png": png_bytes(31, 31)})
    with mock.patch("catalog.services.imports.ProductImage.objects.bulk_create", side_effect=RuntimeError("disk")):
        with pytest.raises(RuntimeError):
            imports.catalog_import(csv_data=b"sku,title,category\nB-1,B,Sandal\nB-2,C,Sandal\n", images=source)
    stored = sorted(path.name for path in Path(default_storage.path("products")).rglob("*.png"))
    assert stored == [Path(name).name]  # A-1's file is kept; B-2's new file is gone


def test_orphaned_photo_files_are_removed_only_after_the_grace_period():
    old = default_storage.save("products/aa/old.png", ContentFile(png_bytes()))
    fresh = default_storage.save("products/bb/fresh.png", ContentFile(png_bytes()))
    assert import_jobs.product_files_orphaned_remove(older_than=timedelta(days=1)) == []
    past = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (past, past))
    assert import_jobs.product_files_orphaned_remove(older_than=timedelta(days=1)) == [old]
    assert default_storage.exists(fresh) and not default_storage.exists(old)


def test_an_import_whose_worker_died_is_failed_not_left_running():
    job = CatalogImport.objects.create(
        csv_name="a.csv", csv_file=default_storage.save("imports/a.csv", ContentFile(b"x"))
    )
    CatalogImport.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now() - timedelta(hours=3))
    assert import_jobs.catalog_imports_reap() == [job.pk]
    job.refresh_from_db()
    assert job.status == "failed" and "nothing was written" in job.problems[0]["message"]
    assert not default_storage.exists(job.csv_file.name)


def test_a_second_delivery_of_an_import_task_does_nothing():
    job = CatalogImport.objects.create(csv_name="a.csv", status="succeeded", csv_file="imports/gone.csv")
    assert import_jobs.catalog_import_job_run(import_id=job.pk) is None
