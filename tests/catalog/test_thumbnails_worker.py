"""Thumbnails are made by a real Celery worker through a real Redis after an import commits."""

import time

import pytest

from catalog.import_sources import image_source_from_dir
from catalog.models import ProductImage
from catalog.services.imports import catalog_import
from tests.factories import jpeg_bytes

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_makes_the_thumbnail_once(celery_worker_process, tmp_path, settings):
    (tmp_path / "imgs").mkdir()
    (tmp_path / "imgs" / "big.jpg").write_bytes(jpeg_bytes(1200, 800))
    report = catalog_import(
        csv_data=b"sku,title,category,image\nBIG-1,Large photo,Coat,big.jpg\n",
        images=image_source_from_dir(tmp_path / "imgs"),
    )
    assert report.ok, report.problems

    image = ProductImage.objects.get()
    deadline = time.monotonic() + 30
    while not image.thumbnail and time.monotonic() < deadline:
        time.sleep(0.2)
        image.refresh_from_db()
    assert image.thumbnail.name.endswith("-256.webp"), celery_worker_process.log.read_text()[-2000:]
    assert (settings.MEDIA_ROOT / image.thumbnail.name).exists()
