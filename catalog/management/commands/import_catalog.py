from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.import_sources import image_source_from_dir
from catalog.services.imports import catalog_import, csv_upload_read, zip_images


class Command(BaseCommand):
    help = "Imports products from a CSV and their images from a zip or folder; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument("--images", type=Path, help="a zip file or a folder of images")

    def handle(self, *args, csv: Path, images: Path | None, **options):
        if not csv.is_file():
            raise CommandError(f"{csv} is not a file")
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
                report = catalog_import(csv_data=csv_upload_read(handle), images=source)
        finally:
            if source is not None:
                source.close()
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
