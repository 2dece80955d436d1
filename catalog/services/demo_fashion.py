"""The fashion shop's catalog as the demo (`shared/data/fashion-products/`): 10,249 products of a real online
shop with their colour photos, as the shop keeps them. The SKU comes from the shop's id, the title is its display
name, the category its article type; the attributes are its own fields and what its display name plainly says
(catalog/fashion_attributes.py). Photos are stored as shot (the shop's JPEG bytes, checked as any import's).
A tenth of the products (ids ending in 0) are the test split. Its licence is not verified: research and
prototyping data, and the README and the demo pages say so."""

import csv
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction

from catalog.fashion_attributes import fashion_attributes
from catalog.imaging import ImageRejected, check_catalog_image, store_image_file
from catalog.models import Category, Product, ProductImage
from catalog.services.demo import DemoLoadResult, ProgressFn, interleaved_order
from catalog.services.products import product_image_build, product_images_arrived
from catalog.services.revision import catalog_revised

SKU_PREFIX = "FP-"
COLUMNS = ("id", "articleType", "productDisplayName", "image")
BATCH = 1000


def fashion_sku(shop_id: str) -> str:
    return f"{SKU_PREFIX}{shop_id}"


def fashion_split(shop_id: str) -> str:
    return Product.Split.TEST if shop_id.endswith("0") else Product.Split.TRAIN


def fashion_source_available(source: Path | None = None) -> bool:
    return ((source or settings.FASHION_DEMO_DIR) / "products.csv").exists()


def _rows(source: Path) -> list[dict]:
    path = source / "products.csv"
    if not path.exists():
        raise FileNotFoundError(f"No products.csv in {source} (the fashion shop's catalog)")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path} lacks the column(s) {', '.join(missing)}")
        return list(reader)


def _product(row: dict, category: Category) -> Product:
    product = Product(
        sku=fashion_sku(row["id"]), title=row["productDisplayName"].strip(), description="", category=category,
        attributes=fashion_attributes(row), split=fashion_split(row["id"]), status=Product.Status.ACTIVE,
    )  # fmt: skip
    product.search_text = product.build_search_text()
    return product


def fashion_catalog_load(
    *, source: Path, limit: int | None = None, progress: ProgressFn | None = None
) -> DemoLoadResult:
    """Imports the shop's products and photos; idempotent (a product is keyed by the shop's id). A photo that is
    missing or fails the import's checks is refused with its product, and counted as skipped."""
    rows = _rows(source)
    names = sorted({row["articleType"].strip() for row in rows})
    categories = {name: Category.objects.get_or_create(name=name)[0] for name in names}
    labels = np.array([names.index(row["articleType"].strip()) for row in rows])
    order = interleaved_order(labels)[:limit]  # a --limit still holds every article type
    existing = set(Product.objects.filter(sku__startswith=SKU_PREFIX).values_list("sku", flat=True))
    result = DemoLoadResult()
    for start in range(0, len(order), BATCH):
        products, photos = [], []
        for index in order[start : start + BATCH].tolist():
            row = rows[index]
            if fashion_sku(row["id"]) in existing:
                result.skipped += 1
                continue
            try:
                photo = check_catalog_image((source / row["image"]).read_bytes())
            except (OSError, ImageRejected):
                result.skipped += 1
                continue
            products.append(_product(row, categories[row["articleType"].strip()]))
            photos.append(photo)
        if products:
            with transaction.atomic():
                Product.objects.bulk_create(products)
                catalog_revised()
                images = []
                for product, photo in zip(products, photos, strict=True):
                    store_image_file(photo)
                    images.append(product_image_build(product=product, image=photo))
                ProductImage.objects.bulk_create(images)
                product_images_arrived(images)  # their features (similar items) and thumbnails, from a worker
            result.created += len(products)
        if progress:
            progress(min(start + BATCH, len(order)), len(order))
    return result


def fashion_catalog_refresh(*, source: Path, progress: ProgressFn | None = None) -> int:
    """The shop's products already loaded get their title and attributes as the rules read them now."""
    rows = {fashion_sku(row["id"]): row for row in _rows(source)}
    changed = []
    for product in Product.objects.filter(sku__startswith=SKU_PREFIX):
        row = rows.get(product.sku)
        if row is None:
            continue
        product.title, product.attributes = row["productDisplayName"].strip(), fashion_attributes(row)
        product.search_text = product.build_search_text()
        changed.append(product)
    with transaction.atomic():
        Product.objects.bulk_update(changed, ["title", "attributes", "search_text"], batch_size=2000)
        catalog_revised()
    if progress:
        progress(len(changed), len(changed))
    return len(changed)
