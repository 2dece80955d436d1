"""The demo catalog (Fashion-MNIST) and the demo logins."""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from PIL import Image

from catalog.idx import read_idx
from catalog.imaging import (
    encode_png,
    store_image_file,
)
from catalog.models import Category, Product, ProductImage
from catalog.services.products import product_image_build

logger = logging.getLogger(__name__)

FASHION_MNIST_CATEGORIES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
ProgressFn = Callable[[int, int], None]


_COLOURS = ("black", "white", "navy", "grey", "beige", "red", "olive", "brown", "pink", "teal")
_MATERIALS = ("cotton", "wool", "linen", "denim", "leather", "polyester", "canvas", "suede", "silk", "fleece")
_SEASONS = ("spring", "summer", "autumn", "winter", "all-season")
_AUDIENCES = ("women", "men", "unisex", "kids")


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


def _interleaved_order(labels: np.ndarray) -> np.ndarray:
    """Indices ordered round-robin over categories, so any prefix (a --limit) holds every category."""
    rank_in_class = np.zeros(len(labels), dtype=np.int64)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        rank_in_class[members] = np.arange(len(members))
    return np.lexsort((labels, rank_in_class))


def _demo_product(sku: str, split: str, index: int, category: Category) -> Product:
    rng = random.Random(sku)
    attributes = {
        "colour": rng.choice(_COLOURS),
        "material": rng.choice(_MATERIALS),
        "season": rng.choice(_SEASONS),
        "audience": rng.choice(_AUDIENCES),
        "source": "fashion-mnist",
        "source_index": index,
    }
    title = f"{attributes['colour'].title()} {attributes['material']} {category.name.lower()}"
    description = (
        f"{title} for {attributes['audience']}, {attributes['season']} collection. "
        f"Demo product from Fashion-MNIST ({split} image {index})."
    )
    product = Product(
        sku=sku, title=title, description=description, category=category, attributes=attributes, split=split
    )
    product.search_text = product.build_search_text()
    return product


def demo_catalog_load(*, source: Path, limit: int | None = None, progress: ProgressFn | None = None) -> DemoLoadResult:
    """Imports Fashion-MNIST as products; idempotent, since a product is keyed by its split and index."""
    splits = []
    for split, prefix in ((Product.Split.TRAIN, "train"), (Product.Split.TEST, "t10k")):
        images_path = source / f"{prefix}-images-idx3-ubyte.gz"
        if not images_path.exists():
            continue
        images = read_idx(images_path)
        labels = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz")
        if len(images) != len(labels):
            raise ValueError(f"{images_path} has {len(images)} images but {len(labels)} labels")
        order = _interleaved_order(labels)[:limit]
        splits.append((split, images, labels, order))
    if not splits:
        raise FileNotFoundError(f"No Fashion-MNIST IDX files in {source}")

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
                sku = f"FM-{split.upper()}-{index:05d}"
                if sku in existing:
                    result.skipped += 1
                    continue
                products.append(_demo_product(sku, split, index, categories[int(labels[index])]))
                pixels.append(images[index])
            if products:
                with transaction.atomic():
                    Product.objects.bulk_create(products)
                    new_images = []
                    for product, array in zip(products, pixels, strict=True):
                        image = encode_png(Image.fromarray(array, mode="L"))
                        store_image_file(image)
                        new_images.append(product_image_build(product=product, image=image))
                    ProductImage.objects.bulk_create(new_images)
                result.created += len(products)
            done += len(batch)
            if progress:
                progress(done, total)
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
