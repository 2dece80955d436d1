from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Category
from generation.exports.formats import DIALECTS
from generation.models import JobStatus
from generation.publishing.services import catalog_export_prepare, catalog_export_run
from retail_studio.errors import StudioError


def _beside(out: Path, kind: str, name: str) -> Path:
    """The products file is OUT; the Chinese file and the images zip go beside it, named after it."""
    if kind == "products":
        return out
    suffix = "-images.zip" if kind == "images" else "-zh" + "".join(out.suffixes)
    return out.with_name(out.name.removesuffix("".join(out.suffixes)) + suffix)


class Command(BaseCommand):
    help = (
        "Exports products with their approved copy and images in a platform's import format, checked against its "
        "rules first (nothing is written when a row breaks one), and records the export in its history. The Chinese "
        "file and the images zip, when there are any, are written beside OUT."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=list(DIALECTS))
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--category", help="a category's name")
        parser.add_argument("--approved-since", help="products with copy or images approved since this date")
        parser.add_argument("--query", default="", help="words of the SKU or title")
        parser.add_argument("--sku", nargs="+", default=[], help="these products only")

    def handle(self, *args, format, out, category, approved_since, query, sku, **options):
        selection = {"query": query, "skus": sku, "approved_since": approved_since or ""}
        if category:
            found = Category.objects.filter(name=category).first()
            if found is None:
                raise CommandError(f"No category named {category!r}")
            selection["category"] = found.pk
        try:
            export = catalog_export_prepare(format=format, selection=selection, user=None)
        except StudioError as exc:
            raise CommandError(str(exc)) from exc
        export = catalog_export_run(export_id=export.pk)
        if export.status != JobStatus.SUCCEEDED:
            problems = "\n".join(
                f"  {p['file']} line {p['row']}, {p['column']}: {p['message']}" for p in export.problems
            )
            raise CommandError(f"Export #{export.pk}: {export.error}\n{problems}".rstrip())
        for entry in export.files:
            target = _beside(out, entry["kind"], entry["name"])
            with default_storage.open(entry["path"], "rb") as source:
                target.write_bytes(source.read())
            self.stdout.write(f"{target}: {entry['rows']:,} {'images' if entry['kind'] == 'images' else 'rows'}")
        products = f"{export.product_count:,} product{'s' if export.product_count != 1 else ''}"
        self.stdout.write(f"Export #{export.pk}: {products} ({export.selection_label}).")
