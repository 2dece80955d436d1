import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Product
from catalog.services import demo, demo_fashion
from retail_studio.progress import ProgressBar

FASHION_MNIST, FASHION_PRODUCTS, AUTO = "fashion-mnist", "fashion-products", "auto"


class Command(BaseCommand):
    help = (
        "Imports a demo catalog: Fashion-MNIST (standard IDX .gz files, the image benchmark) or the fashion shop "
        "(products.csv and its photos); running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset", choices=[FASHION_MNIST, FASHION_PRODUCTS, AUTO], default=FASHION_MNIST,
            help="auto: the fashion shop where ../shared/data/fashion-products exists, else Fashion-MNIST",
        )  # fmt: skip
        parser.add_argument(
            "--source", type=Path, help="the dataset's folder (default: ../shared/data, else the shipped subset)"
        )
        parser.add_argument(
            "--limit", type=int, help="import at most N images of each split, spread over the categories"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the catalog has products")
        parser.add_argument(
            "--refresh", action="store_true",
            help="measure the demo products' attributes again, rebuild their copy, store their photos dark on white",
        )  # fmt: skip

    def handle(self, *args, dataset, source, limit, if_empty, refresh, **options):
        if dataset == AUTO:
            dataset = FASHION_PRODUCTS if demo_fashion.fashion_source_available(source) else FASHION_MNIST
        if dataset == FASHION_PRODUCTS:
            self._fashion_products(source or settings.FASHION_DEMO_DIR, limit=limit, if_empty=if_empty, refresh=refresh)
            return
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

    def _fashion_products(self, source: Path, *, limit: int | None, if_empty: bool, refresh: bool) -> None:
        if refresh:
            done = demo_fashion.fashion_catalog_refresh(source=source, progress=ProgressBar("refresh", self.stdout))
            self.stdout.write(self.style.SUCCESS(f"Refreshed the title and attributes of {done:,} shop products"))
            return
        if if_empty and Product.objects.exists():
            self.stdout.write("The catalog has products already; the demo catalog is not loaded.")
            return
        self.stdout.write(
            f"Loading the fashion shop from {source} (research and prototyping data: its licence is not verified)"
        )
        started = time.monotonic()
        try:
            result = demo_fashion.fashion_catalog_load(
                source=source, limit=limit, progress=ProgressBar("import", self.stdout)
            )
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Created {result.created:,} products, {result.skipped:,} already there or without a readable photo, "
            f"in {time.monotonic() - started:.1f}s"
        ))  # fmt: skip
