"""Publishing's writes: a channel's mapping saved, an export asked for and run as a job. An export is written and
checked whole before anything is stored: it ends with all its files, or with the row and column of every problem
and none."""

import contextlib
from collections import Counter
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from generation.exports.formats import DIALECTS, export_table, images_zip
from generation.exports.records import URL, Problem
from generation.models import CatalogExport, JobStatus, PublishChannel
from generation.publishing.mapping import mapping_problems
from generation.publishing.records import export_records_build, export_source_read
from generation.publishing.selectors import ExportSelection, products_for_export, products_for_export_loaded
from generation.services.copy_grounding import copy_banks
from generation.services.job_lifecycle import (
    JobCancelled,
    job_claim,
    job_enqueue,
    job_fail,
    job_finish,
    job_heartbeat,
    job_language,
    job_stop_if_cancelled,
)
from generation.services.labels import product_image_bytes
from retail_studio.errors import StudioError

PLATFORM_OF = {"shopify": "shopify", "shopify_legacy": "shopify", "woocommerce": "woocommerce", "merchant": "merchant"}
MAX_PROBLEMS_LISTED = 1000
# A signed download link (the API's) works without a login for this long.
DOWNLOAD_SECONDS = 15 * 60
DOWNLOAD_SALT = "catalog-export-file"
PRODUCTS_CHUNK = 500


@transaction.atomic
def publish_channel_save(
    *,
    platform: str,
    mapping: dict[str, str],
    chinese: bool,
    media_base_url: str,
    product_url: str,
    vendor: str,
    currency: str,
    user,
) -> PublishChannel:
    if problems := mapping_problems(platform, mapping):
        raise StudioError("; ".join(problems) + ".")
    if product_url and ("{handle}" not in product_url and "{sku}" not in product_url or not URL.match(product_url)):
        raise StudioError(_("The product page address is an http(s) URL with {handle} or {sku} in it."))
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise StudioError(_("“%(currency)s” is not a currency code such as USD, EUR or CNY.") % {"currency": currency})
    channel, _created = PublishChannel.objects.select_for_update().get_or_create(platform=platform)
    channel.mapping, channel.chinese, channel.media_base_url = mapping, chinese, media_base_url.strip()
    channel.product_url, channel.vendor, channel.currency = product_url.strip(), vendor.strip(), currency
    channel.updated_by = user
    channel.save()
    return channel


def _channel_snapshot(channel: PublishChannel) -> dict:
    fields = ("mapping", "chinese", "media_base_url", "product_url", "vendor", "currency")
    return {name: getattr(channel, name) for name in fields}


def catalog_export_prepare(*, format: str, selection: dict, user) -> CatalogExport:
    """Checks what can be checked before any work (the format, the selection, the channel's addresses a platform
    needs) and writes the export's row, queued; `catalog_export_create` sends it to a worker, a command runs it."""
    if format not in DIALECTS:
        raise StudioError(
            _("“%(format)s” is not a format; one of %(dialects)s.")
            % {"format": format, "dialects": ", ".join(DIALECTS)}
        )
    platform = PLATFORM_OF[format]
    chosen = ExportSelection.parse(selection)
    channel = PublishChannel.objects.filter(platform=platform).first() or PublishChannel(platform=platform)
    if platform == "merchant" and not (channel.product_url and channel.media_base_url):
        raise StudioError(
            _(
                "Merchant Center fetches each product's page and images from the web: save the channel's product "
                "page address and media URL first."
            )
        )
    count = products_for_export(chosen, platform=platform).count()
    if not count:
        raise StudioError(
            _("No product to export: %(selection)s selects none that %(platform)s takes.")
            % {"selection": chosen.label(), "platform": platform}
        )
    return CatalogExport.objects.create(
        format=format,
        selection=chosen.as_dict(),
        selection_label=chosen.label()[:300],
        channel=_channel_snapshot(channel),
        created_by=user,
        product_count=count,
    )


@transaction.atomic
def catalog_export_create(*, format: str, selection: dict, user) -> CatalogExport:
    export = catalog_export_prepare(format=format, selection=selection, user=user)
    job_enqueue(export)
    return export


class ExportRefused(Exception):
    def __init__(self, problems: list[dict]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class _File:
    name: str
    kind: str  # products, chinese or images
    data: bytes
    rows: int = 0


def _problems_of(file: str, problems: list[Problem]) -> list[dict]:
    return [{"file": file, "row": p.row, "column": p.column, "message": p.message} for p in problems]


def _build(export: CatalogExport) -> list[_File]:
    dialect = DIALECTS[export.format]
    platform = PLATFORM_OF[export.format]
    selection = ExportSelection.parse(export.selection)
    ids = list(products_for_export(selection, platform=platform).values_list("pk", flat=True))
    products = []
    for start in range(0, len(ids), PRODUCTS_CHUNK):
        job_stop_if_cancelled(export)
        chunk = ids[start : start + PRODUCTS_CHUNK]
        products += list(
            products_for_export_loaded(products_for_export(selection, platform=platform).filter(pk__in=chunk))
        )
        job_heartbeat(
            export,
            phase=_("reading products: %(done)s of %(total)s")
            % {"done": f"{len(products):,}", "total": f"{len(ids):,}"},
            progress=0.3 * len(products) / max(1, len(ids)),
        )
    stem = f"{export.format.replace('_', '-')}-export-{export.pk}"
    languages = [("en", "products", "")] + ([("zh", "chinese", "-zh")] if export.channel.get("chinese") else [])
    files, problems, images, versions = [], [], {}, {}
    source = export_source_read(products, platform=platform, channel=export.channel)
    for language, kind, suffix in languages:
        bank = copy_banks()[language] if language != "en" else None
        built = export_records_build(source, language=language, bank=bank)
        if language == "zh" and not built.records:
            continue  # no product has Chinese copy: no Chinese file
        name = f"{stem}{suffix}.{dialect.extension}"
        data, found, rows = export_table(dialect, built.records)
        files.append(_File(name, kind, data, rows=rows))
        problems += _problems_of(name, found)
        images |= built.images
        versions = versions or built.copy_versions
    if images:
        stamped = []
        for done, (name, image) in enumerate(sorted(images.items()), 1):
            stamped.append((name, product_image_bytes(image)))
            if done % 200 == 0:
                job_stop_if_cancelled(export)
                job_heartbeat(
                    export,
                    phase=_("labelling images: %(done)s of %(total)s")
                    % {"done": f"{done:,}", "total": f"{len(images):,}"},
                    progress=0.4 + 0.5 * done / len(images),
                )
        files.append(_File(f"{stem}-images.zip", "images", images_zip(stamped), rows=len(stamped)))
    if problems:
        raise ExportRefused(problems)
    CatalogExport.objects.filter(pk=export.pk).update(copy_versions=versions)
    return files


def _store(export: CatalogExport, files: list[_File]) -> list[dict]:
    """All the files or none: a failure part-way removes what was written."""
    stored = []
    try:
        for file in files:
            path = default_storage.save(f"exports/{export.pk}/{file.name}", ContentFile(file.data))
            stored.append(
                {"name": file.name, "path": path, "kind": file.kind, "bytes": len(file.data), "rows": file.rows}
            )
    except Exception:
        for entry in stored:
            with contextlib.suppress(Exception):
                default_storage.delete(entry["path"])
        raise
    return stored


def catalog_export_run(*, export_id: int) -> CatalogExport | None:
    """Runs a queued export, or again a redelivered one (its files are written anew)."""
    export = job_claim(CatalogExport, export_id)
    if export is None:
        return None
    with job_language(export):
        _export_run(export)
    export.refresh_from_db()
    return export


def _export_run(export: CatalogExport) -> None:
    try:
        for entry in export.files:  # a redelivered run's earlier files
            default_storage.delete(entry["path"])
        files = _build(export)
        job_heartbeat(export, phase=_("storing the files"), progress=0.95)
        stored = _store(export, files)
    except JobCancelled:
        job_finish(export, JobStatus.CANCELLED, phase=_("cancelled; nothing was written"), files=[])
    except ExportRefused as refused:
        listed = refused.problems[:MAX_PROBLEMS_LISTED]
        by_column = Counter(p["column"] or _("the row") for p in refused.problems)
        columns = ", ".join(f"{column} {count:,}" for column, count in by_column.most_common())
        count = len(refused.problems)
        error = ngettext(
            "The platform would refuse %(count)s problem (by column: %(columns)s); nothing was written. Fix it and "
            "export again.",
            "The platform would refuse %(count)s problems (by column: %(columns)s); nothing was written. Fix them and "
            "export again.",
            count,
        ) % {"count": f"{count:,}", "columns": columns}
        job_finish(
            export,
            JobStatus.FAILED,
            phase=_("checked"),
            error=error,
            files=[],
            problems=listed,
            problems_total=len(refused.problems),
        )
    except Exception as exc:
        job_fail(export, exc)
        raise
    else:
        rows = sum(f["rows"] for f in stored if f["kind"] == "products")
        job_finish(
            export,
            JobStatus.SUCCEEDED,
            progress=1.0,
            phase=ngettext("%(rows)s row written", "%(rows)s rows written", rows) % {"rows": f"{rows:,}"},
            files=stored,
            problems=[],
        )


def export_file_token(export: CatalogExport, name: str) -> str:
    return signing.dumps({"export": export.pk, "name": name}, salt=DOWNLOAD_SALT)


def export_file_from_token(token: str) -> tuple[CatalogExport, dict]:
    """The export and file a signed link names; StudioError when it is forged or older than DOWNLOAD_SECONDS."""
    try:
        data = signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_SECONDS)
    except signing.SignatureExpired:
        raise StudioError(_("This download link has expired; ask the API for the export again.")) from None
    except signing.BadSignature:
        raise StudioError(_("This is not a download link the studio made.")) from None
    export = CatalogExport.objects.filter(pk=data["export"]).first()
    return export, export_file(export, data["name"])


def export_file(export: CatalogExport | None, name: str) -> dict:
    entry = next((f for f in (export.files if export else []) if f["name"] == name), None)
    if entry is None:
        raise StudioError(_("That export has no such file."))
    return entry
