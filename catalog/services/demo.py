"""The demo catalog (Fashion-MNIST) and the demo logins."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from PIL import Image

from catalog.demo_attributes import demo_copy, measured_attributes
from catalog.idx import read_idx
from catalog.imaging import CheckedImage, encode_png, store_image_file
from catalog.models import Category, Product, ProductImage
from catalog.services.products import product_image_build, product_images_arrived
from catalog.services.revision import catalog_revised
from generation.services.registry import feature_extractors_retire

logger = logging.getLogger(__name__)

FASHION_MNIST_CATEGORIES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
ProgressFn = Callable[[int, int], None]


@dataclass
class DemoLoadResult:
    created: int = 0
    skipped: int = 0


def demo_source_dir(requested: Path | None = None) -> Path:
    """The full Fashion-MNIST set when it is beside the project, else the subset shipped in the repository."""
    if requested is not None:
        return requested
    if (settings.DEMO_DATA_DIR / "train-images-idx3-ubyte.gz").exists():
        return settings.DEMO_DATA_DIR
    return settings.DEMO_FALLBACK_DIR


def interleaved_order(labels: np.ndarray) -> np.ndarray:
    """Indices ordered round-robin over categories, so any prefix (a --limit) holds every category."""
    rank_in_class = np.zeros(len(labels), dtype=np.int64)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        rank_in_class[members] = np.arange(len(members))
    return np.lexsort((labels, rank_in_class))


def _demo_product(sku: str, split: str, index: int, category: Category, pixels: np.ndarray) -> Product:
    attributes = measured_attributes(pixels, category.name) | {"source": "fashion-mnist", "source_index": index}
    title, description = demo_copy(attributes, category.name, index)
    product = Product(
        sku=sku, title=title, description=description, category=category, attributes=attributes, split=split
    )
    product.search_text = product.build_search_text()
    return product


def _read_splits(source: Path, limit: int | None) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(split, images, labels, import order) of each split whose IDX files are in `source`."""
    splits = []
    for split, prefix in ((Product.Split.TRAIN, "train"), (Product.Split.TEST, "t10k")):
        images_path = source / f"{prefix}-images-idx3-ubyte.gz"
        if not images_path.exists():
            continue
        images = read_idx(images_path)
        labels = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz")
        if len(images) != len(labels):
            raise ValueError(f"{images_path} has {len(images)} images but {len(labels)} labels")
        splits.append((split, images, labels, interleaved_order(labels)[:limit]))
    if not splits:
        raise FileNotFoundError(f"No Fashion-MNIST IDX files in {source}")
    return splits


def demo_photo(pixels: np.ndarray) -> CheckedImage:
    """The photo as the shop took it: Fashion-MNIST stores it negated (0 the background, high values dark), so
    it is inverted back to a dark product on a white background, as a real catalog's photos are."""
    return encode_png(Image.fromarray(255 - pixels, mode="L"))


def demo_sku(split: str, index: int) -> str:
    return f"FM-{split.upper()}-{index:05d}"


def demo_catalog_load(*, source: Path, limit: int | None = None, progress: ProgressFn | None = None) -> DemoLoadResult:
    """Imports Fashion-MNIST as products; idempotent, since a product is keyed by its split and index."""
    splits = _read_splits(source, limit)
    categories = [Category.objects.get_or_create(name=name)[0] for name in FASHION_MNIST_CATEGORIES]
    existing = set(Product.objects.filter(sku__startswith="FM-").values_list("sku", flat=True))
    total = sum(len(order) for *_, order in splits)
    result, done = DemoLoadResult(), 0
    batch_size = 2000
    for split, images, labels, order in splits:
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            products, pixels = [], []
            for index in batch.tolist():
                sku = demo_sku(split, index)
                if sku in existing:
                    result.skipped += 1
                    continue
                products.append(_demo_product(sku, split, index, categories[int(labels[index])], images[index]))
                pixels.append(images[index])
            if products:
                with transaction.atomic():
                    Product.objects.bulk_create(products)
                    catalog_revised()
                    new_images = []
                    for product, array in zip(products, pixels, strict=True):
                        image = demo_photo(array)
                        store_image_file(image)
                        new_images.append(product_image_build(product=product, image=image))
                    ProductImage.objects.bulk_create(new_images)
                result.created += len(products)
            done += len(batch)
            if progress:
                progress(done, total)
    return result


@dataclass
class DemoRefreshResult:
    products: int = 0  # attributes and copy measured and written again
    photos: int = 0  # photos converted to a white background
    extractors: int = 0  # metrics classifiers retired, since they were trained on the old photos


def demo_catalog_refresh(*, source: Path, progress: ProgressFn | None = None) -> DemoRefreshResult:
    """Brings the demo products already in the catalog up to date: attributes measured again from their
    photos, titles and descriptions rebuilt from them, and photos stored as the shop took them (dark on white).
    Whatever was built from the old photos is not mixed with the new: thumbnails are made again, the cached
    training arrays are keyed by the photos' hashes (so they are rebuilt), and the metrics classifiers trained
    on demo categories are retired (the next measurement trains one on the new photos)."""
    products = {p.sku: p for p in Product.objects.filter(sku__startswith="FM-").select_related("category")}
    photos = {
        image.product_id: image
        for image in ProductImage.objects.filter(product__sku__startswith="FM-", source=ProductImage.Source.PHOTO)
    }
    splits = _read_splits(source, None)
    total = sum(len(images) for _, images, _, _ in splits)
    result, changed, converted, done = DemoRefreshResult(), [], [], 0
    for split, images, _, _ in splits:
        for index, pixels in enumerate(images):
            product = products.get(demo_sku(split, index))
            if product is not None:
                fresh = _demo_product(product.sku, split, index, product.category, pixels)
                product.attributes, product.title, product.description = (
                    fresh.attributes,
                    fresh.title,
                    fresh.description,
                )
                product.search_text = product.build_search_text()
                changed.append(product)
                photo = photos.get(product.pk)
                image = demo_photo(pixels)
                if photo is not None and photo.sha256 != image.sha256:
                    store_image_file(image)
                    photo.file, photo.sha256, photo.thumbnail = image.storage_name, image.sha256, ""
                    photo.width, photo.height, photo.mode = image.width, image.height, image.mode
                    converted.append(photo)
            done += 1
            if progress and (done % 5000 == 0 or done == total):
                progress(done, total)
    with transaction.atomic():
        Product.objects.bulk_update(changed, ["attributes", "title", "description", "search_text"], batch_size=2000)
        catalog_revised()
        fields = ["file", "sha256", "thumbnail", "width", "height", "mode"]
        ProductImage.objects.bulk_update(converted, fields, batch_size=2000)
        product_images_arrived(converted)
        if converted:
            result.extractors = feature_extractors_retire(category_names=set(FASHION_MNIST_CATEGORIES))
    result.products, result.photos = len(changed), len(converted)
    return result


DEMO_USERS = (
    ("merchandiser", "merchandiser", "studio-merch"),
    ("reviewer", "reviewer", "studio-review"),
    ("admin", "admin", "studio-admin"),
)


def demo_users_ensure() -> list[tuple[str, str, str]]:
    """One login per role; an existing user keeps the password it has (so a changed one stays changed)."""
    User = get_user_model()
    for username, role, password in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": role == "admin", "is_superuser": role == "admin"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
    return list(DEMO_USERS)
