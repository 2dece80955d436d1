"""The catalog's photos as training data for the image engine."""

from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

import numpy as np
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.utils.translation import gettext

from catalog.models import Category, Product, ProductImage
from generation.gan.data import dataset_key, load_cached_dataset
from generation.services.process_cache import ProcessCache
from retail_studio.errors import StudioError

SUPPORTED_RESOLUTIONS = (28, 32, 64, 128)  # a square photo's side; a portrait's or landscape's shorter side
SQUARE_WITHIN = 0.1  # photos whose median width/height is within 10 % of 1 train square


@dataclass
class TrainingData:
    categories: list[Category]  # label i is categories[i]
    resolution: int  # height in pixels
    image_width: int
    channels: int
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    key: str
    test_key: str
    train_product_ids: list[int]  # training image i shows product train_product_ids[i]


def _photos(categories: list[Category], split: str):
    return (
        ProductImage.objects.filter(
            source=ProductImage.Source.PHOTO, product__category__in=categories, product__split=split
        )
        .order_by("product__category__name", "id")
        .values_list("file", "sha256", "product__category_id", "width", "height", "mode", "product_id")
    )


def choose_shape(photos: list[tuple]) -> tuple[int, int, int]:
    """(height, width, channels). The shorter side: the largest supported size not above the median photo's;
    the longer side: the photos' median aspect at that scale, rounded to a size the networks can make (so a
    shop's 60x80 portraits train at 32x40, padded, not cropped to a square). Grey only if all photos are."""
    channels = 1 if all(p[5] in ("L", "1", "I;16") for p in photos) else 3
    aspect = median(p[3] for p in photos) / median(p[4] for p in photos)  # width / height
    side = median(min(p[3], p[4]) for p in photos)
    if abs(aspect - 1) <= SQUARE_WITHIN:
        resolution = max([r for r in SUPPORTED_RESOLUTIONS if r <= side] or [SUPPORTED_RESOLUTIONS[0]])
        return resolution, resolution, channels
    # 28 (7 x 4) has no longer side at its scale: non-square shapes start from 32, 64 or 128 (4 x 2**k).
    shorter = max([r for r in SUPPORTED_RESOLUTIONS[1:] if r <= side] or [SUPPORTED_RESOLUTIONS[1]])
    unit = shorter // 4
    longer = unit * min(7, max(4, round(shorter / min(aspect, 1 / aspect) / unit)))
    return (longer, shorter, channels) if aspect < 1 else (shorter, longer, channels)


def training_data_load(
    *,
    categories: list[Category],
    resolution: int | None = None,
    image_width: int | None = None,
    channels: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingData:
    """The photos at `resolution` x `image_width` x `channels`, or at the shape choose_shape picks for them."""
    categories = sorted(categories, key=lambda c: c.name)
    train = list(_photos(categories, Product.Split.TRAIN))
    if not train:
        raise StudioError(gettext("These categories have no training photos yet."))
    test = list(_photos(categories, Product.Split.TEST))
    if not test:
        # Catalogs without a test split: every tenth photo is held out to measure the model.
        test, train = train[::10], [p for i, p in enumerate(train) if i % 10]
    auto_resolution, auto_width, auto_channels = choose_shape(train)
    if not resolution:
        resolution, image_width = auto_resolution, auto_width
    image_width, channels = image_width or resolution, channels or auto_channels
    label_of = {c.id: i for i, c in enumerate(categories)}

    def load(photos: list[tuple]):
        key = dataset_key([f"{p[1]}:{label_of[p[2]]}" for p in photos], resolution, channels, image_width)

        def read(i: int) -> tuple[bytes, int]:
            with default_storage.open(photos[i][0], "rb") as handle:
                return handle.read(), label_of[photos[i][2]]

        images, labels = load_cached_dataset(
            cache_dir=settings.GAN_WORK_DIR / "datasets",
            key=key,
            count=len(photos),
            read=read,
            resolution=resolution,
            image_width=image_width,
            channels=channels,
            progress=progress,
        )
        return images, labels, key

    train_images, train_labels, key = load(train)
    test_images, test_labels, test_key = load(test)
    return TrainingData(
        categories,
        resolution,
        image_width,
        channels,
        train_images,
        train_labels,
        test_images,
        test_labels,
        key,
        test_key,
        [p[6] for p in train],
    )


# Kept per worker process: a sampling job on a warm worker starts in a fraction of a second.
_loaded: ProcessCache[TrainingData] = ProcessCache(size=4)


def training_data_cached(
    *,
    categories: list[Category],
    resolution: int,
    image_width: int,
    channels: int,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingData:
    """training_data_load, reused while the categories' photos are unchanged (one aggregate query checks)."""
    photos = ProductImage.objects.filter(source=ProductImage.Source.PHOTO, product__category__in=categories)
    fingerprint = tuple(photos.aggregate(Count("id"), Max("id"), Max("created_at")).values())
    shape = {"resolution": resolution, "image_width": image_width, "channels": channels}
    key = (tuple(sorted(c.pk for c in categories)), *shape.values(), fingerprint)
    return _loaded.get(key, lambda: training_data_load(categories=categories, **shape, progress=progress))


def newest_photo_time(data_categories: list[Category]):
    return (
        ProductImage.objects.filter(source=ProductImage.Source.PHOTO, product__category__in=data_categories)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
