"""A shop's own CSV columns read as the studio's. Each column is read as: what the merchandiser mapped it to;
else what their last import mapped it to (remembered); else our own column it plainly is (`productDisplayName`
is a title, `baseColour` a colour); else an attribute under its own name. No models: the import service stores and
remembers, the pages and the command only pass the merchandiser's choices; what it says is said in the reader's
language."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

CORE_COLUMNS = (
    "sku",
    "title",
    "description",
    "title_zh",
    "description_zh",
    "category",
    "status",
    "split",
    "image",
    "images",
)
REQUIRED_COLUMNS = ("sku", "title", "category")
LEAVE_OUT = ""  # a column mapped to nothing is not imported
ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_ ]{0,39}$")

# Names shops give our columns, after normal_name(): guessed only when no column already has our name.
SYNONYMS = {
    "sku": ("id", "product_id", "item_id", "article_id", "article_number", "style_id", "product_code", "sku_code"),
    "title": ("name", "product_name", "product_display_name", "display_name", "product_title"),
    "category": ("article_type", "product_type", "product_category", "category_name"),
    "description": ("desc", "product_description", "long_description"),
    "image": ("image_file", "image_name", "image_path", "filename", "photo", "picture"),
    "colour": ("color", "base_colour", "base_color", "colour_name", "color_name", "main_colour", "main_color"),
}


# Why a column is read as it is: the merchandiser mapped it, their last import did, it was guessed, or it is ours.
READING_WHY = (gettext_noop("mapped"), gettext_noop("remembered"), gettext_noop("guessed"), gettext_noop("as named"))


@dataclass(frozen=True)
class ColumnReading:
    column: str  # as the CSV's header names it
    target: str  # one of CORE_COLUMNS, an attribute name, or LEAVE_OUT
    why: str  # one of READING_WHY

    @property
    def why_said(self) -> str:
        """Why, in the reader's language."""
        return gettext(self.why)

    @property
    def as_attribute(self) -> bool:
        return self.target != LEAVE_OUT and self.target not in CORE_COLUMNS


def normal_name(column: str) -> str:
    """`productDisplayName`, `Product display name` and `product-display-name` all read `product_display_name`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", column.strip())
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def mapping_parse(pairs: list[str]) -> dict[str, str]:
    """`["id=sku", "productDisplayName=title", "year="]` as {column: target}; a pair without "=" or with a target
    that is neither ours nor a plain attribute name raises ValueError with the reason."""
    mapping = {}
    for pair in pairs:
        column, equals, target = pair.partition("=")
        if not equals or not column.strip():
            raise ValueError(
                gettext(
                    "“%(pair)s” is not COLUMN=TARGET (for example productDisplayName=title, or year= to leave it out)"
                )
                % {"pair": pair}
            )
        mapping[column.strip()] = _target_check(target)
    return mapping


def _target_check(target: str) -> str:
    target = target.strip().lower()
    if target != LEAVE_OUT and target not in CORE_COLUMNS and not ATTRIBUTE_NAME.match(target):
        raise ValueError(
            gettext(
                "“%(target)s” is neither one of our columns (%(core_columns)s) nor an attribute name (a letter, then letters, digits, spaces or _; 40 at most)"
            )
            % {"target": target, "core_columns": ", ".join(CORE_COLUMNS)}
        )
    return target


def _guess(column: str, taken: set[str]) -> tuple[str, str]:
    normal = normal_name(column)
    plain = column.strip().lower()
    if plain in CORE_COLUMNS:
        return plain, "as named"
    for target, names in SYNONYMS.items():
        if normal in names and target not in taken:
            return target, "guessed"
    if normal != plain.replace(" ", "_") and normal:  # camelCase: masterCategory is master_category
        return normal, "guessed"
    return plain, "as named"


def columns_read(header: list[str], *, mapped: dict[str, str], remembered: dict[str, str]) -> list[ColumnReading]:
    """How each column of `header` is read; raises ValueError when `mapped` names a column the CSV lacks."""
    by_key = {column.strip().lower(): column for column in header}
    unknown = [column for column in mapped if column.strip().lower() not in by_key]
    if unknown:
        raise ValueError(
            gettext("The mapping names %(value)s, which the CSV does not have (its columns: %(header)s).")
            % {"value": ", ".join(repr(c) for c in unknown), "header": ", ".join(header)}
        )
    given = {column.strip().lower(): target for column, target in mapped.items()}
    named_ours = {key for key in by_key if key in CORE_COLUMNS}
    # A remembered choice yields to a column this CSV names as ours (it has "sku" now: "id" is not the SKU).
    remembered = {
        column.strip().lower(): target
        for column, target in remembered.items()
        if column.strip().lower() in by_key and (target not in named_ours or target == column.strip().lower())
    }
    # Our names the CSV already uses, given or remembered ones are never guessed for another column.
    taken = named_ours | set(given.values()) | {t for c, t in remembered.items() if c not in given}
    readings = []
    for column in header:
        key = column.strip().lower()
        if key in given:
            readings.append(ColumnReading(column, given[key], "mapped"))
        elif key in remembered:
            readings.append(ColumnReading(column, remembered[key], "remembered"))
        else:
            target, why = _guess(column, taken)
            taken.add(target)
            readings.append(ColumnReading(column, target, why))
    return readings


def reading_problems(readings: list[ColumnReading]) -> list[str]:
    """Two columns read as one, or a column we need that none is read as."""
    problems, seen = [], {}
    for reading in readings:
        if reading.target == LEAVE_OUT:
            continue
        if reading.target in seen:
            problems.append(
                gettext("The columns “%(seen)s” and “%(column)s” would both be %(target)s.")
                % {"seen": seen[reading.target], "column": reading.column, "target": reading.target}
            )
        seen.setdefault(reading.target, reading.column)
    missing = [column for column in REQUIRED_COLUMNS if column not in seen]
    if missing:
        problems.append(
            gettext(
                "The CSV has no column named %(missing)s, nor one read as it: map one (for example id=sku) or rename it in the CSV."
            )
            % {"missing": ", ".join(missing)}
        )
    return problems


def mapping_to_remember(readings: list[ColumnReading]) -> dict[str, str]:
    """What was chosen for columns not named as ours: offered again at the next import."""
    return {r.column.strip().lower(): r.target for r in readings if r.why in ("mapped", "remembered", "guessed")}
