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
        fashion = dataset == FASHION_PRODUCTS
        folder = (source or settings.FASHION_DEMO_DIR) if fashion else demo.demo_source_dir(source)
        if refresh:
            self._refresh(folder, fashion=fashion)
            return
        if if_empty and Product.objects.exists():
            self.stdout.write("The catalog has products already; the demo catalog is not loaded.")
            return
        load = demo_fashion.fashion_catalog_load if fashion else demo.demo_catalog_load
        named = "the fashion shop (research and prototyping data: its licence is not verified)" if fashion else (
            "the demo catalog"
        )  # fmt: skip
        self.stdout.write(f"Loading {named} from {folder}")
        started = time.monotonic()
        try:
            result = load(source=folder, limit=limit, progress=ProgressBar("import", self.stdout))
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        skipped = "already there or without a readable photo" if fashion else "already there"
        self.stdout.write(self.style.SUCCESS(
            f"Created {result.created:,} products, {result.skipped:,} {skipped}, in {time.monotonic() - started:.1f}s"
        ))  # fmt: skip

    def _refresh(self, folder: Path, *, fashion: bool) -> None:
        progress = ProgressBar("refresh", self.stdout)
        if fashion:
            done = demo_fashion.fashion_catalog_refresh(source=folder, progress=progress)
            self.stdout.write(self.style.SUCCESS(f"Refreshed the title and attributes of {done:,} shop products"))
            return
        done = demo.demo_catalog_refresh(source=folder, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Refreshed the attributes and copy of {done.products:,} demo products; {done.photos:,} photos now "
            f"dark on white, {done.extractors} metrics classifier(s) trained on the old photos retired"
        ))  # fmt: skip
