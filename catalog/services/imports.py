"""The all-or-nothing CSV import of a catalog with its images."""

import csv
import hashlib
import io
import itertools
import logging
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from catalog.column_mapping import mapping_to_remember
from catalog.imaging import (
    CheckedImage,
    ImageRejected,
    check_catalog_image,
    store_image_file,
)
from catalog.import_sources import ImageSource, image_source_from_zip
from catalog.models import Category, ImportColumnMapping, Product, ProductImage
from catalog.services.glossary import glossary_terms_import
from catalog.services.import_rows import ImportProblem, ImportReport, PlannedRow, csv_text, plan_rows
from catalog.services.products import product_image_build, product_images_arrived
from catalog.services.revision import catalog_revised

logger = logging.getLogger(__name__)


def csv_upload_read(fileobj) -> bytes:
    """Reads no more than one byte past the limit, which catalog_import then refuses."""
    return fileobj.read(settings.CATALOG_MAX_CSV_BYTES + 1)


def zip_images(fileobj) -> ImageSource:
    """The images of an uploaded zip, under this deployment's limits."""
    return image_source_from_zip(
        fileobj,
        max_member_bytes=settings.CATALOG_MAX_IMAGE_BYTES,
        max_total_bytes=settings.CATALOG_MAX_ARCHIVE_BYTES,
        max_members=settings.CATALOG_MAX_ARCHIVE_MEMBERS,
    )


@dataclass
class ImportPreview:
    report: ImportReport  # the columns as read and every problem but the images'
    products: list[Product]  # the first rows, as they would be imported (not saved)
    categories: list[str]
    rows: int
    samples: dict[str, str]  # the first row's value of each column, by the header's name


def catalog_import_preview(*, csv_data: bytes, mapping: dict[str, str] | None = None, rows: int = 5) -> ImportPreview:
    """What an import of this CSV would make, read with `mapping`; nothing is written."""
    report = ImportReport()
    text = csv_text(csv_data, report)
    planned = []
    if text is not None:
        try:
            planned = plan_rows(text, None, report, mapped=mapping or {}, check_images=False)
        except csv.Error as exc:
            report.problems.append(ImportProblem(gettext("The CSV cannot be read: %(error)s") % {"error": exc}))
    shown = planned[:rows]
    samples = {}
    if text is not None and report.columns:
        header, first = [*itertools.islice(csv.reader(io.StringIO(text, newline="")), 2), [], []][:2]
        samples = {name: value.strip() for name, value in zip(header, first)}
    products, categories = [row.product for row in shown], [row.category_name for row in shown]
    return ImportPreview(report, products, categories, len(planned), samples)


def catalog_import(
    *, csv_data: bytes, images: ImageSource | None = None, mapping: dict[str, str] | None = None, user=None
) -> ImportReport:
    """Validates every row and image first and writes only when nothing is wrong: all or nothing. The CSV's
    columns are read with `mapping` ({column: our column or attribute}); what was read is remembered."""
    report = ImportReport()
    text = csv_text(csv_data, report)
    if text is None:
        return report
    if images is not None:
        report.problems.extend(ImportProblem(message, file=name) for name, message in images.problems)
    try:
        planned = plan_rows(text, images, report, mapped=mapping or {})
    except csv.Error as exc:
        report.problems.append(ImportProblem(gettext("The CSV cannot be read: %(error)s") % {"error": exc}))
        return report

    if images is not None and images.over_limits:
        return report  # the archive itself is refused: none of its images is read
    checked = _images_check(planned, images, report)
    if report.problems:
        return report

    written: list[str] = []
    stored: set[str] = set()
    try:
        with transaction.atomic():
            categories = {}
            for name in sorted({row.category_name for row in planned}):
                categories[name], created = Category.objects.get_or_create(name=name)
                report.categories_created += created
            for row in planned:
                row.product.category = categories[row.category_name]
                row.product.search_text = row.product.build_search_text()
            Product.objects.bulk_create([row.product for row in planned])
            catalog_revised()
            new_images = []
            for row in planned:
                for position, name in enumerate(row.image_names):
                    image = checked[name]
                    if name not in stored:
                        stored.add(name)
                        if store_image_file(_image_bytes_again(images, name, image)):
                            written.append(image.storage_name)
                    new_images.append(product_image_build(product=row.product, image=image, position=position))
            ProductImage.objects.bulk_create(new_images)
            product_images_arrived(new_images)
            glossary_terms_import({k: v for row in planned for k, v in row.terms.items()})
            ImportColumnMapping.objects.update_or_create(
                pk=1, defaults={"mapping": mapping_to_remember(report.columns), "updated_by": user}
            )
    except Exception as exc:
        # Nothing may be left behind by a failed import. A file this import wrote may meanwhile be used by
        # another import of the same photo, so only one that no product row uses is removed; one that another
        # import, still uncommitted, is about to use is kept by the daily sweep's grace period instead.
        _files_remove_unused(written)
        if not isinstance(exc, ImageRejected):  # an image that changed since it was checked is a problem
            raise
        report.problems.append(ImportProblem(str(exc)))
        return report
    report.products_created = len(planned)
    report.images_created = len(new_images)
    logger.info("Imported %d products with %d images", report.products_created, report.images_created)
    return report


def _images_check(planned: list[PlannedRow], images: ImageSource | None, report: ImportReport) -> dict:
    """Checks every named image; keeps what was learnt of each (type, size, hash), not its bytes, so memory
    stays bounded by one image however large the archive."""
    checked: dict[str, CheckedImage] = {}
    for row in planned:
        for name in row.image_names:
            if name in checked or images is None or name not in images.readers or name in images.ambiguous:
                continue
            try:
                image = check_catalog_image(images.read(name))
            except ImageRejected as exc:
                report.problems.append(ImportProblem(str(exc), row=row.line, file=name))
            else:
                checked[name] = replace(image, data=b"")
    return checked


def _image_bytes_again(images: ImageSource, name: str, image: CheckedImage) -> CheckedImage:
    """The checked image's bytes, read once more to be stored; a file that changed since it was checked is
    refused rather than stored unchecked."""
    data = images.read(name)
    if hashlib.sha256(data).hexdigest() != image.sha256:
        raise ImageRejected(gettext("%(name)s changed while the import was running") % {"name": name})
    return replace(image, data=data)


def _files_remove_unused(names: list[str]) -> None:
    used = set(ProductImage.objects.filter(file__in=names).values_list("file", flat=True))
    for name in names:
        if name not in used:
            default_storage.delete(name)
