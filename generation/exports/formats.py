"""The formats by name, and one export written and checked: the file, and every rule it breaks."""

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from generation.exports.merchant import MERCHANT
from generation.exports.records import ExportProduct, Problem
from generation.exports.shopify import SHOPIFY, SHOPIFY_LEGACY
from generation.exports.tables import Dialect, table_check, table_write
from generation.exports.woocommerce import WOOCOMMERCE

DIALECTS: dict[str, Dialect] = {d.key: d for d in (SHOPIFY, SHOPIFY_LEGACY, WOOCOMMERCE, MERCHANT)}
# A fixed time in the zip's entries: the same images make the same zip.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class Written(NamedTuple):
    data: bytes
    problems: list[Problem]
    rows: int


def export_table(dialect: Dialect, products: Sequence[ExportProduct]) -> Written:
    """The platform's file for `products`, the problems the platform would find reading it back, and its rows."""
    rows = dialect.rows(products)
    data = table_write(dialect, rows)
    return Written(data, table_check(dialect, data), len(rows))


def images_zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    """The images, stored (they are compressed already) under the names the table refers to them by."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data)
    return buffer.getvalue()
