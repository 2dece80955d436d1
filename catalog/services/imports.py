"""The all-or-nothing CSV import of a catalog with its images."""

import csv
import hashlib
import io
import itertools
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from catalog.column_mapping import ColumnReading, columns_read, mapping_to_remember, reading_problems
from catalog.imaging import (
    CheckedImage,
    ImageRejected,
    check_catalog_image,
    store_image_file,
)
from catalog.import_sources import ImageSource, image_source_from_zip
from catalog.models import Category, ImportColumnMapping, Product, ProductImage
from catalog.services.glossary import glossary_terms_import, translation_of
from catalog.services.products import product_image_build, product_images_arrived
from retail_studio.sizes import human_size

logger = logging.getLogger(__name__)


SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
# A cell a spreadsheet would run as a formula when the catalog is exported and opened again (CSV injection).
# A leading "-" is allowed before a space or a plain number ("- soft cotton", "-5").
FORMULA_CELL = re.compile(r"^(?:[=+@\t\r]|-(?![\s\d.,]*$)(?!\s))")


@dataclass(frozen=True)
class ImportProblem:
    message: str
    row: int | None = None  # 1-based line number in the CSV, the header being line 1
    file: str | None = None

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "", self.file or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    problems: list[ImportProblem] = field(default_factory=list)
    products_created: int = 0
    images_created: int = 0
    categories_created: int = 0
    terms_added: int = 0  # glossary terms from category_zh and <attribute>_zh columns
    columns: list[ColumnReading] = field(default_factory=list)  # how the CSV's columns were read

    @property
    def ok(self) -> bool:
        return not self.problems


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without a BOM) and UTF-16 with a BOM, else Windows-1252 as spreadsheets often save."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(
            "The CSV holds NUL bytes, so it is not plain text (a spreadsheet file?); save it as CSV UTF-8."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValueError("The CSV is neither UTF-8 nor Windows-1252 text; save it as UTF-8 and try again.") from None


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
class _PlannedRow:
    line: int
    product: Product
    category_name: str
    image_names: list[str]
    terms: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (language, field, value): text


def _plan_rows(
    text: str, images: ImageSource | None, report: ImportReport, *, mapped: dict[str, str], check_images: bool = True
) -> list[_PlannedRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(name.strip() for name in header):
        report.problems.append(ImportProblem("The CSV is empty; its first line must name the columns."))
        return []
    remembered = ImportColumnMapping.objects.filter(pk=1).values_list("mapping", flat=True).first() or {}
    try:
        report.columns = columns_read([name for name in header if name.strip()], mapped=mapped, remembered=remembered)
    except ValueError as exc:
        report.problems.append(ImportProblem(str(exc), row=1))
        return []
    problems = reading_problems(report.columns)
    if problems:
        report.problems.extend(ImportProblem(problem, row=1) for problem in problems)
        return []
    target_of = {reading.column: reading.target for reading in report.columns}
    targets = [target_of.get(name) for name in header]  # None: a column without a name
    attribute_columns = [reading.target for reading in report.columns if reading.as_attribute]
    translatable = {"category", *attribute_columns}
    translations = {t: found for t in attribute_columns if (found := translation_of(t, translatable))}
    attribute_columns = [column for column in attribute_columns if column not in translations]
    stems = {}
    if images is not None:
        for name in images.names():
            stems.setdefault(Path(name).stem, []).append(name)

    planned, seen = [], {}
    for row in reader:
        line = reader.line_num
        if not row:
            continue  # a blank line
        if len(row) > len(header):
            report.problems.append(ImportProblem("has more values than the header has columns", row=line))
            continue
        values = {target: value.strip() for target, value in zip(targets, row) if target}
        for column, value in values.items():
            if FORMULA_CELL.match(value):
                report.problems.append(ImportProblem(
                    f"the {column} cell starts with {value[0]!r}, which a spreadsheet would run as a formula; "
                    "remove that character or put an apostrophe before it", row=line,
                ))  # fmt: skip
        sku, title, category = values.get("sku", ""), values.get("title", ""), values.get("category", "")
        if not SKU_PATTERN.match(sku):
            report.problems.append(
                ImportProblem(f"SKU {sku!r} is missing or invalid (letters, digits, . _ / -; 64 at most)", row=line)
            )
        elif sku in seen:
            report.problems.append(ImportProblem(f"SKU {sku} appears twice (also on row {seen[sku]})", row=line))
        else:
            seen[sku] = line
        if not title or len(title) > 255:
            report.problems.append(ImportProblem("title is missing or longer than 255 characters", row=line))
        if not category or len(category) > 100:
            report.problems.append(ImportProblem("category is missing or longer than 100 characters", row=line))
        status = values.get("status") or Product.Status.ACTIVE
        if status not in Product.Status.values:
            report.problems.append(
                ImportProblem(f"status {status!r} is not one of {', '.join(Product.Status.values)}", row=line)
            )
        split = values.get("split") or Product.Split.TRAIN
        if split not in Product.Split.values:
            report.problems.append(ImportProblem(f"split {split!r} is not train or test", row=line))

        cell = values.get("image") or values.get("images") or ""
        # Uploads are matched by base name: a shop's "images/1163.jpg" is the upload's 1163.jpg.
        named = [PurePosixPath(n.strip().replace("\\", "/")).name for n in re.split(r"[;|]", cell) if n.strip()]
        if check_images:
            named = named or (stems.get(sku, []) if images is not None else [])
            report.problems.extend(_row_images_problems(named, sku=sku, line=line, images=images))
        attributes = {column: values[column] for column in attribute_columns if values.get(column)}
        terms = {
            (language, name, values.get(name, "")): values[column]
            for column, (name, language) in translations.items()
            if values.get(column) and values.get(name)
        }
        product = Product(
            sku=sku, title=title, description=values.get("description", ""), attributes=attributes,
            status=status, split=split,
        )  # fmt: skip
        planned.append(_PlannedRow(line, product, category, named, terms))

    if not planned and not report.problems:
        report.problems.append(ImportProblem("The CSV has a header but no products."))
    taken = Product.objects.filter(sku__in=list(seen)).values_list("sku", flat=True)
    for sku in taken:
        report.problems.append(ImportProblem(f"SKU {sku} already exists in the catalog", row=seen[sku]))
    return planned


def _row_images_problems(named: list[str], *, sku: str, line: int, images: ImageSource | None) -> list[ImportProblem]:
    if not named and images is not None:
        return [ImportProblem(f"no image found: name one in the image column or add {sku}.jpg", row=line)]
    problems = []
    for name in named:
        if images is None:
            problems.append(ImportProblem("names an image but no images were uploaded", row=line, file=name))
        elif name not in images.readers:
            problems.append(ImportProblem("image is missing from the upload", row=line, file=name))
        elif name in images.ambiguous:
            problems.append(ImportProblem("several files in the upload have this name", row=line, file=name))
    return problems


def _csv_text(csv_data: bytes, report: ImportReport) -> str | None:
    if len(csv_data) > settings.CATALOG_MAX_CSV_BYTES:
        report.problems.append(
            ImportProblem(
                f"The CSV is over {human_size(settings.CATALOG_MAX_CSV_BYTES)}; split it into several imports."
            )
        )
        return None
    try:
        return decode_csv(csv_data)
    except ValueError as exc:
        report.problems.append(ImportProblem(str(exc)))
        return None


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
    text = _csv_text(csv_data, report)
    planned = []
    if text is not None:
        try:
            planned = _plan_rows(text, None, report, mapped=mapping or {}, check_images=False)
        except csv.Error as exc:
            report.problems.append(ImportProblem(f"The CSV cannot be read: {exc}"))
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
    text = _csv_text(csv_data, report)
    if text is None:
        return report
    if images is not None:
        report.problems.extend(ImportProblem(message, file=name) for name, message in images.problems)
    try:
        planned = _plan_rows(text, images, report, mapped=mapping or {})
    except csv.Error as exc:
        report.problems.append(ImportProblem(f"The CSV cannot be read: {exc}"))
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
            report.terms_added = glossary_terms_import({k: v for row in planned for k, v in row.terms.items()})
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


def _images_check(planned: list[_PlannedRow], images: ImageSource | None, report: ImportReport) -> dict:
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
        raise ImageRejected(f"{name} changed while the import was running")
    return replace(image, data=data)


def _files_remove_unused(names: list[str]) -> None:
    used = set(ProductImage.objects.filter(file__in=names).values_list("file", flat=True))
    for name in names:
        if name not in used:
            default_storage.delete(name)
