"""Shoppers' events in: validated as a whole batch (a batch with one bad event changes nothing, and every
problem is reported with its place), stored in bulk; a shopper's events erased on request, and events past
their retention removed. What a batch may hold depends on who sends it (`EventSource`): staff send anything
for the studio; a shop's server sends any of its shoppers' events; a browser sends views of its own shopper."""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.models import Product
from catalog.services.import_rows import ImportProblem
from generation.recommendations.models import ShopperEvent
from generation.storefront.models import StorefrontKey
from retail_studio.errors import StudioError

KINDS = {label: value for value, label in ShopperEvent.Kind.choices}
VIEW = ShopperEvent.Kind.VIEW.label
EVENT_COLUMNS = ("user", "sku", "event", "timestamp")
BULK = 5000
SKU_LOOKUP = 5000
CHUNK = 50_000  # rows of a CSV checked, then stored, at a time


PROBLEMS_LISTED = 1000  # a file with a million bad rows reports the first thousand and counts the rest


@dataclass
class EventsReport:
    problems: list[ImportProblem] = field(default_factory=list)
    stored: int = 0
    problems_not_listed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_not_listed

    def problem(self, message: str, row: int | None = None) -> None:
        if len(self.problems) < PROBLEMS_LISTED:
            self.problems.append(ImportProblem(message, row))
        else:
            self.problems_not_listed += 1


class EventsRefused(StudioError):
    def __init__(self, report: EventsReport):
        self.report = report
        shown = "; ".join(str(p) for p in report.problems[:20])
        more = f" (and {report.problem_count - 20:,} more)" if report.problem_count > 20 else ""
        super().__init__(f"Nothing was stored: {shown}{more}")


def _when(raw: str) -> datetime | None:
    at = parse_datetime(raw.strip()) if raw else None
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    return at


@dataclass(frozen=True)
class EventSource:
    """Who sends a batch. Staff: none of the fields. A shop's server: its storefront. A browser: its storefront
    and the shopper its token names, views only. A storefront's events are of its active products (a draft or
    archived SKU is refused as an unknown one, so nothing tells them apart) and no older than the retention."""

    storefront: StorefrontKey | None = None
    shopper: str = ""  # every event is this shopper's (a browser's token); the events name none themselves

    @property
    def kinds(self) -> dict[str, int]:
        return {VIEW: KINDS[VIEW]} if self.shopper else KINDS


STAFF = EventSource()


class _ProductIds:
    """SKU -> product id, looked up a chunk at a time and kept: bounded by the catalog, not by the events."""

    def __init__(self, *, active_only: bool):
        self.products = Product.objects.filter(status=Product.Status.ACTIVE) if active_only else Product.objects.all()
        self.ids: dict[str, int] = {}
        self.looked_up: set[str] = set()

    def load(self, skus: set[str]) -> None:
        wanted = sorted(skus - self.looked_up)
        for start in range(0, len(wanted), SKU_LOOKUP):  # a database takes only so many parameters in one query
            self.ids |= dict(self.products.filter(sku__in=wanted[start : start + SKU_LOOKUP]).values_list("sku", "id"))
        self.looked_up.update(wanted)


def _kind_problem(raw, source: EventSource) -> str:
    if source.shopper and str(raw).strip().lower() in KINDS:
        return f"a browser sends {VIEW} events only: carts and purchases come from the shop's server (its secret key)"
    return f"unknown event {raw!r}: one of {', '.join(source.kinds)}"


@dataclass
class _Checker:
    """What a batch's or a file's events are checked against, fixed for the whole import (one `now`)."""

    source: EventSource
    report: EventsReport
    ids: _ProductIds
    now: datetime = field(default_factory=timezone.now)

    def rows(self, events: list[dict], first_row: int) -> list[tuple]:
        """The events as rows to insert; every problem, with its row, goes to the report instead."""
        source, report, now = self.source, self.report, self.now
        self.ids.load({str(e.get("sku") or "").strip() for e in events})
        latest = now + timedelta(seconds=settings.STOREFRONT_EVENT_FUTURE_SECONDS)
        earliest = now - timedelta(days=settings.EVENTS_RETENTION_DAYS) if source.storefront else None
        adapt, rows, kinds, ids = connection.ops.adapt_datetimefield_value, [], source.kinds, self.ids.ids
        storefront_id = source.storefront.pk if source.storefront else None
        for row, event in enumerate(events, start=first_row):
            problems = report.problem_count
            shopper = source.shopper or str(event.get("user") or "").strip()
            sku, kind = str(event.get("sku") or "").strip(), kinds.get(str(event.get("event") or "").strip().lower())
            stamp = str(event.get("timestamp") or "")
            at = now if source.shopper and not stamp else _when(stamp)
            if not shopper or len(shopper) > 64:
                report.problem("the shopper id is missing or longer than 64 characters", row)
            if sku not in ids:
                report.problem(f"unknown SKU {sku!r}", row)
            if kind is None:
                report.problem(_kind_problem(event.get("event"), source), row)
            if at is None:
                report.problem(f"{event.get('timestamp')!r} is not an ISO 8601 time", row)
            elif at > latest:
                report.problem(f"{event.get('timestamp')} is in the future", row)
            elif earliest is not None and at < earliest:
                report.problem(
                    f"{event.get('timestamp')} is older than the {settings.EVENTS_RETENTION_DAYS} days events are kept",
                    row,
                )
            if report.problem_count == problems:
                rows.append((shopper, storefront_id, ids[sku], kind, adapt(at)))
        return rows


def events_record(
    *, events: list[dict], source: EventSource = STAFF, first_row: int = 1, limit: int | None = None
) -> EventsReport:
    """Stores `events` ({"user", "sku", "event", "timestamp"}) all or nothing; raises EventsRefused, with every
    problem and its row, when any is wrong: an unknown SKU, an event type the source may not send, a bad time,
    one further in the future than STOREFRONT_EVENT_FUTURE_SECONDS (or, from a storefront, older than
    EVENTS_RETENTION_DAYS), a missing shopper id, a batch over `limit`. A browser's events are its shopper's
    and, without a timestamp, happen now."""
    report = EventsReport()
    if limit is not None and len(events) > limit:
        report.problem(f"a batch holds at most {limit:,} events; this one has {len(events):,}")
        raise EventsRefused(report)
    checker = _Checker(source, report, _ProductIds(active_only=source.storefront is not None))
    rows = checker.rows(events, first_row)
    if report.problems:
        raise EventsRefused(report)
    with transaction.atomic():
        _insert(rows)
    report.stored = len(rows)
    return report


def _insert(rows: list[tuple]) -> None:
    """One prepared INSERT for many rows: a million events take a third of the time bulk_create's model
    instances take (measured on SQLite, make bench-recs)."""
    table, quote = ShopperEvent._meta.db_table, connection.ops.quote_name
    columns = ", ".join(
        quote(ShopperEvent._meta.get_field(name).column) for name in ("shopper", "storefront", "product", "kind", "at")
    )
    sql = f"INSERT INTO {quote(table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK):
            cursor.executemany(sql, rows[start : start + BULK])


def _csv_chunks(path: Path, encoding: str) -> Iterator[tuple[int, list[dict]]]:
    """The file's events, CHUNK rows at a time, each chunk with the file's line number of its first row."""
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in EVENT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise EventsRefused(EventsReport([ImportProblem(f"missing column(s): {', '.join(missing)}", 1)]))
        first, chunk = 2, []
        for event in reader:
            if "\x00" in "".join(str(v) for v in event.values()):
                raise ValueError("the file holds NUL bytes, so it is not plain text (a spreadsheet file?)")
            chunk.append(event)
            if len(chunk) == CHUNK:
                yield first, chunk
                first, chunk = first + CHUNK, []
        if chunk:
            yield first, chunk


def _csv_encoding(path: Path) -> str:
    """UTF-16 with a BOM, UTF-8 (with or without one), else Windows-1252 as spreadsheets often save: as
    catalog imports read theirs, but by streaming the file rather than holding it."""
    with path.open("rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            return "cp1252"


def events_import_csv(*, path: Path, storefront: StorefrontKey | None = None) -> EventsReport:
    """A CSV with the columns user, sku, event, timestamp, all or nothing; rows are numbered as in the file.
    With `storefront`, the shoppers are that storefront's (its history, as its server would have sent it).
    Streamed twice, a chunk at a time: every row checked first, then stored in one transaction, so memory
    stays flat however long the file."""
    source = EventSource(storefront=storefront) if storefront else STAFF
    report = EventsReport()
    checker = _Checker(source, report, _ProductIds(active_only=storefront is not None))
    try:
        encoding = _csv_encoding(path)
        for first, chunk in _csv_chunks(path, encoding):
            checker.rows(chunk, first)
        if report.problems:
            raise EventsRefused(report)
        with transaction.atomic():
            for first, chunk in _csv_chunks(path, encoding):
                rows = checker.rows(chunk, first)
                _insert(rows)
                report.stored += len(rows)
    except (UnicodeDecodeError, csv.Error, ValueError) as exc:
        raise EventsRefused(EventsReport([ImportProblem(f"not a readable CSV: {exc}")])) from None
    return report


def shopper_events_erase(*, shopper: str, storefront: StorefrontKey | None = None) -> int:
    """A shopper's right to be forgotten: every event of theirs (of that storefront's shopper, or of the studio's
    own when none) goes, at once from serving; the recommender forgets them at its next training, which reads
    only the events that are left."""
    deleted, _ = ShopperEvent.objects.filter(shopper=shopper, storefront=storefront).delete()
    return deleted


def events_expired_purge() -> int:
    """Events older than EVENTS_RETENTION_DAYS are removed (the nightly training's run calls it first)."""
    cutoff = timezone.now() - timedelta(days=settings.EVENTS_RETENTION_DAYS)
    deleted, _ = ShopperEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
