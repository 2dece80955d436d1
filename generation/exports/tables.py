"""A format's columns and rules as one value (`Dialect`), and its files written and read back: comma-separated
values for the shops' CSVs, tab-separated gzip for Merchant Center."""

import csv
import gzip
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generation.exports.records import ExportProduct, Problem

Row = dict[str, str]


@dataclass(frozen=True)
class Dialect:
    key: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    rows: Callable[[Sequence[ExportProduct]], list[Row]]
    row_problems: Callable[[list[Row]], list[Problem]]
    tab_separated: bool = False

    @property
    def extension(self) -> str:
        return "tsv.gz" if self.tab_separated else "csv"


def _tsv_cell(value: str) -> str:
    # Merchant Center's text feeds have no quoting for tabs or line breaks: they become spaces.
    return " ".join(value.split()) if any(c in value for c in "\t\r\n") else value


def table_write(dialect: Dialect, rows: Sequence[Row]) -> bytes:
    """The file's bytes, UTF-8, header first; a gzip with no timestamp for Merchant Center, so one export of
    the same rows is the same file."""
    if dialect.tab_separated:
        lines = ["\t".join(dialect.columns)]
        lines += ["\t".join(_tsv_cell(row.get(column, "")) for column in dialect.columns) for row in rows]
        return gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=dialect.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def table_read(dialect: Dialect, data: bytes) -> tuple[list[str], list[Row]]:
    """The header and the rows as the platform reads the file."""
    text = (gzip.decompress(data) if dialect.tab_separated else data).decode("utf-8")
    if dialect.tab_separated:
        lines = [line.split("\t") for line in text.splitlines() if line]
    else:
        lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        return [], []
    header = lines[0]
    return header, [dict(zip(header, cells, strict=False)) for cells in lines[1:]]


def table_check(dialect: Dialect, data: bytes) -> list[Problem]:
    """Every rule the written file breaks: its header against the platform's columns, then each row."""
    header, rows = table_read(dialect, data)
    problems = [
        Problem(1, name, "is not a column this platform reads") for name in header if name not in dialect.columns
    ]
    problems += [Problem(1, name, "appears more than once") for name in set(header) if header.count(name) > 1]
    problems += [Problem(1, name, "is required and missing") for name in dialect.required if name not in header]
    if problems:
        return problems
    short = [
        Problem(line, "", "has fewer cells than the header")
        for line, row in enumerate(rows, 2)
        if len(row) < len(header)
    ]
    return short or dialect.row_problems(rows)
