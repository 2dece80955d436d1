"""Reading a catalog CSV into the products it would make, row by row, with every problem found: the import's
checks before anything is written (catalog_import writes; the preview only shows)."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext

from catalog.column_mapping import ColumnReading, columns_read, reading_problems
from catalog.import_sources import ImageSource
from catalog.models import ImportColumnMapping, Product
from catalog.services.glossary import translation_of
from retail_studio.sizes import human_size

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
    columns: list[ColumnReading] = field(default_factory=list)  # how the CSV's columns were read

    @property
    def ok(self) -> bool:
        return not self.problems


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without a BOM) and UTF-16 with a BOM, else Windows-1252 as spreadsheets often save."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(
            gettext("The CSV holds NUL bytes, so it is not plain text (a spreadsheet file?); save it as CSV UTF-8.")
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
        raise ValueError(
            gettext("The CSV is neither UTF-8 nor Windows-1252 text; save it as UTF-8 and try again.")
        ) from None


@dataclass
class PlannedRow:
    line: int
    product: Product
    category_name: str
    image_names: list[str]
    terms: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (language, field, value): text


def plan_rows(
    text: str, images: ImageSource | None, report: ImportReport, *, mapped: dict[str, str], check_images: bool = True
) -> list[PlannedRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(name.strip() for name in header):
        report.problems.append(ImportProblem(gettext("The CSV is empty; its first line must name the columns.")))
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
            report.problems.append(ImportProblem(gettext("has more values than the header has columns"), row=line))
            continue
        values = {target: value.strip() for target, value in zip(targets, row) if target}
        for column, value in values.items():
            if FORMULA_CELL.match(value):
                report.problems.append(ImportProblem(
                    gettext("the %(column)s cell starts with “%(value)s”, which a spreadsheet would run as a formula; remove that character or put an apostrophe before it") % {"column": column, "value": value[0]}, row=line,
                ))  # fmt: skip
        sku, title, category = values.get("sku", ""), values.get("title", ""), values.get("category", "")
        if not SKU_PATTERN.match(sku):
            report.problems.append(
                ImportProblem(
                    gettext("SKU “%(sku)s” is missing or invalid (letters, digits, . _ / -; 64 at most)")
                    % {"sku": sku},
                    row=line,
                )
            )
        elif sku in seen:
            report.problems.append(
                ImportProblem(
                    gettext("SKU %(sku)s appears twice (also on row %(seen)s)") % {"sku": sku, "seen": seen[sku]},
                    row=line,
                )
            )
        else:
            seen[sku] = line
        if not title or len(title) > 255:
            report.problems.append(ImportProblem(gettext("title is missing or longer than 255 characters"), row=line))
        if len(values.get("title_zh", "")) > 255:
            report.problems.append(ImportProblem(gettext("title_zh is longer than 255 characters"), row=line))
        if not category or len(category) > 100:
            report.problems.append(
                ImportProblem(gettext("category is missing or longer than 100 characters"), row=line)
            )
        status = values.get("status") or Product.Status.ACTIVE
        if status not in Product.Status.values:
            report.problems.append(
                ImportProblem(
                    gettext("status “%(status)s” is not one of %(choices)s")
                    % {"status": status, "choices": ", ".join(Product.Status.values)},
                    row=line,
                )
            )
        split = values.get("split") or Product.Split.TRAIN
        if split not in Product.Split.values:
            report.problems.append(
                ImportProblem(gettext("split “%(split)s” is not train or test") % {"split": split}, row=line)
            )

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
            sku=sku, title=title, description=values.get("description", ""), title_zh=values.get("title_zh", ""),
            description_zh=values.get("description_zh", ""), attributes=attributes, status=status, split=split,
        )  # fmt: skip
        planned.append(PlannedRow(line, product, category, named, terms))

    if not planned and not report.problems:
        report.problems.append(ImportProblem(gettext("The CSV has a header but no products.")))
    taken = Product.objects.filter(sku__in=list(seen)).values_list("sku", flat=True)
    for sku in taken:
        report.problems.append(
            ImportProblem(gettext("SKU %(sku)s already exists in the catalog") % {"sku": sku}, row=seen[sku])
        )
    return planned


def _row_images_problems(named: list[str], *, sku: str, line: int, images: ImageSource | None) -> list[ImportProblem]:
    if not named and images is not None:
        return [
            ImportProblem(
                gettext("no image found: name one in the image column or add %(sku)s.jpg") % {"sku": sku}, row=line
            )
        ]
    problems = []
    for name in named:
        if images is None:
            problems.append(ImportProblem(gettext("names an image but no images were uploaded"), row=line, file=name))
        elif name not in images.readers:
            problems.append(ImportProblem(gettext("image is missing from the upload"), row=line, file=name))
        elif name in images.ambiguous:
            problems.append(ImportProblem(gettext("several files in the upload have this name"), row=line, file=name))
    return problems


def csv_text(csv_data: bytes, report: ImportReport) -> str | None:
    if len(csv_data) > settings.CATALOG_MAX_CSV_BYTES:
        report.problems.append(
            ImportProblem(
                gettext("The CSV is over %(limit)s; split it into several imports.")
                % {"limit": human_size(settings.CATALOG_MAX_CSV_BYTES)}
            )
        )
        return None
    try:
        return decode_csv(csv_data)
    except ValueError as exc:
        report.problems.append(ImportProblem(str(exc)))
        return None
