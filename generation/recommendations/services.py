"""Shoppers' events in: validated as a whole batch (a batch with one bad event changes nothing, and every
problem is reported with its place), stored in bulk; and a shopper's events erased on request."""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.models import Product
from catalog.services.imports import ImportProblem, decode_csv
from generation.recommendations.models import ShopperEvent
from retail_studio.errors import StudioError

KINDS = {label: value for value, label in ShopperEvent.Kind.choices}
EVENT_COLUMNS = ("user", "sku", "event", "timestamp")
BULK = 5000
SKU_LOOKUP = 5000


@dataclass
class EventsReport:
    problems: list[ImportProblem] = field(default_factory=list)
    stored: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class EventsRefused(StudioError):
    def __init__(self, report: EventsReport):
        self.report = report
        shown = "; ".join(str(p) for p in report.problems[:20])
        more = f" (and {len(report.problems) - 20} more)" if len(report.problems) > 20 else ""
        super().__init__(f"Nothing was stored: {shown}{more}")


def _when(raw: str) -> datetime | None:
    at = parse_datetime(raw.strip()) if raw else None
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    return at


def events_record(*, events: list[dict], first_row: int = 1, limit: int | None = None) -> EventsReport:
    """Stores `events` ({"user", "sku", "event", "timestamp"}) all or nothing; raises EventsRefused, with every
    problem and its row, when any is wrong: an unknown SKU, an unknown event type, a bad time or one further in
    the future than STOREFRONT_EVENT_FUTURE_SECONDS, a missing shopper id, a batch over `limit`."""
    report = EventsReport()
    if limit is not None and len(events) > limit:
        report.problems.append(ImportProblem(f"a batch holds at most {limit:,} events; this one has {len(events):,}"))
        raise EventsRefused(report)
    skus = sorted({str(e.get("sku", "")) for e in events})
    ids = {}
    for start in range(0, len(skus), SKU_LOOKUP):  # a database takes only so many parameters in one query
        ids |= dict(Product.objects.filter(sku__in=skus[start : start + SKU_LOOKUP]).values_list("sku", "id"))
    latest = timezone.now() + timedelta(seconds=settings.STOREFRONT_EVENT_FUTURE_SECONDS)
    adapt, rows = connection.ops.adapt_datetimefield_value, []
    for row, event in enumerate(events, start=first_row):
        shopper, sku = str(event.get("user") or "").strip(), str(event.get("sku") or "").strip()
        kind, at = KINDS.get(str(event.get("event") or "").strip().lower()), _when(str(event.get("timestamp") or ""))
        if not shopper or len(shopper) > 64:
            report.problems.append(ImportProblem("the shopper id is missing or longer than 64 characters", row))
        if sku not in ids:
            report.problems.append(ImportProblem(f"unknown SKU {sku!r}", row))
        if kind is None:
            report.problems.append(ImportProblem(
                f"unknown event {event.get('event')!r}: one of {', '.join(KINDS)}", row
            ))  # fmt: skip
        if at is None:
            report.problems.append(ImportProblem(f"{event.get('timestamp')!r} is not an ISO 8601 time", row))
        elif at > latest:
            report.problems.append(ImportProblem(f"{event.get('timestamp')} is in the future", row))
        if not report.problems:
            rows.append((shopper, ids[sku], kind, adapt(at)))
    if report.problems:
        raise EventsRefused(report)
    _insert(rows)
    report.stored = len(rows)
    return report


def _insert(rows: list[tuple]) -> None:
    """One prepared INSERT for many rows: a million events take a third of the time bulk_create's model
    instances take (measured on SQLite, make bench-recs)."""
    table, quote = ShopperEvent._meta.db_table, connection.ops.quote_name
    columns = ", ".join(
        quote(ShopperEvent._meta.get_field(name).column) for name in ("shopper", "product", "kind", "at")
    )
    sql = f"INSERT INTO {quote(table)} ({columns}) VALUES (%s, %s, %s, %s)"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), BULK):
            cursor.executemany(sql, rows[start : start + BULK])


def events_import_csv(*, data: bytes) -> EventsReport:
    """A CSV with the columns user, sku, event, timestamp, all or nothing; rows are numbered as in the file."""
    try:
        reader = csv.DictReader(io.StringIO(decode_csv(data)))
        missing = [c for c in EVENT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise EventsRefused(EventsReport([ImportProblem(f"missing column(s): {', '.join(missing)}", 1)]))
        return events_record(events=list(reader), first_row=2)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise EventsRefused(EventsReport([ImportProblem(f"not a readable CSV: {exc}")])) from None


def shopper_events_erase(*, shopper: str) -> int:
    """A shopper's right to be forgotten: every event of theirs goes; the recommender forgets them at its next
    training, which reads only the events that are left."""
    deleted, _ = ShopperEvent.objects.filter(shopper=shopper).delete()
    return deleted
