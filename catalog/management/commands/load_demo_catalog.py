import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Product
from catalog.services import demo
from retail_studio.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Imports Fashion-MNIST (standard IDX .gz files) as demo products; running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=Path, help="folder with the IDX files (default: ../shared, else the shipped subset)"
        )
        parser.add_argument(
            "--limit", type=int, help="import at most N images of each split, spread over the categories"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the catalog has products")
        parser.add_argument(
            "--refresh", action="store_true",
            help="measure the demo products' attributes again, rebuild their copy, store their photos dark on white",
        )  # fmt: skip

    def handle(self, *args, source, limit, if_empty, refresh, **options):
        if refresh:
            done = demo.demo_catalog_refresh(
                source=demo.demo_source_dir(source), progress=ProgressBar("refresh", self.stdout)
            )
            self.stdout.write(self.style.SUCCESS(
                f"Refreshed the attributes and copy of {done.products:,} demo products; {done.photos:,} photos now "
                f"dark on white, {done.extractors} metrics classifier(s) trained on the old photos retired"
            ))  # fmt: skip
            return
        if if_empty and Product.objects.exists():
            self.stdout.write("The catalog has products already; the demo catalog is not loaded.")
            return
        folder = demo.demo_source_dir(source)
        self.stdout.write(f"Loading the demo catalog from {folder}")
        started = time.monotonic()
        try:
            result = demo.demo_catalog_load(source=folder, limit=limit, progress=ProgressBar("import", self.stdout))
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.created:,} products, {result.skipped:,} already there, "
                f"in {time.monotonic() - started:.1f}s"
            )
        )
