from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.column_mapping import mapping_parse
from catalog.import_sources import image_source_from_dir
from catalog.services.imports import catalog_import, catalog_import_preview, csv_upload_read, zip_images


class Command(BaseCommand):
    help = (
        "Imports products from a CSV and their images from a zip or folder; all or nothing. A shop's own column "
        "names are read through --map, the last import's mapping and the obvious guesses (--preview shows how)."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument("--images", type=Path, help="a zip file or a folder of images")
        parser.add_argument(
            "--map", nargs="+", default=[], metavar="COLUMN=TARGET",
            help="read a column as one of ours or as an attribute: id=sku productDisplayName=title year= (left out)",
        )  # fmt: skip
        parser.add_argument("--preview", action="store_true", help="show the first products as read; write nothing")

    def handle(self, *args, csv: Path, images: Path | None, map: list[str], preview: bool, **options):
        if not csv.is_file():
            raise CommandError(f"{csv} is not a file")
        try:
            mapping = mapping_parse(map)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if preview:
            with csv.open("rb") as handle:
                self._preview(catalog_import_preview(csv_data=csv_upload_read(handle), mapping=mapping))
            return
        source = None
        if images is not None:
            if images.is_dir():
                source = image_source_from_dir(images)
            elif images.is_file():
                source = zip_images(images.open("rb"))
            else:
                raise CommandError(f"{images} is neither a zip file nor a folder")
        try:
            with csv.open("rb") as handle:
                report = catalog_import(csv_data=csv_upload_read(handle), images=source, mapping=mapping)
        finally:
            if source is not None:
                source.close()
        self._columns(report.columns)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Nothing was imported: {len(report.problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.products_created} products with {report.images_created} images "
                f"({report.categories_created} new categories)."
            )
        )

    def _columns(self, columns) -> None:
        for reading in columns:
            target = f"attribute {reading.target}" if reading.as_attribute else reading.target or "(left out)"
            self.stdout.write(f"  {reading.column:<24} -> {target:<28} {reading.why}")

    def _preview(self, preview) -> None:
        self._columns(preview.report.columns)
        self.stdout.write(f"{preview.rows:,} products; the first {len(preview.products)}:")
        for product, category in zip(preview.products, preview.categories, strict=True):
            attributes = ", ".join(f"{k}: {v}" for k, v in product.attributes.items())
            self.stdout.write(f"  {product.sku}  {product.title}  [{category}]  {attributes}")
        for problem in preview.report.problems:
            self.stderr.write(f"  {problem}")
        verdict = (
            "would import" if preview.report.ok else f"would import nothing: {len(preview.report.problems)} problem(s)"
        )
        self.stdout.write(f"Nothing was written; this CSV {verdict} (images are checked at the import).")
