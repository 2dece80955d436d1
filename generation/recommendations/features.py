"""Image features for "similar items", computed in a worker (PyTorch) as photos arrive: the frozen visual
encoder (trained once on the catalog's photos of every category, then kept) and each image's unit vector."""

from collections.abc import Callable

import numpy as np
from django.core.files.storage import default_storage
from django.utils.translation import gettext

from catalog.models import Category, ProductImage
from generation.models import FeatureExtractor
from generation.recommendations.models import ImageFeature
from generation.recommendations.snapshot import serving_changed
from generation.recommender import visual
from generation.services.references import feature_extractor_load, feature_extractor_store
from retail_studio.errors import StudioError

ENCODER_KEY = f"visual-similarity:{visual.RESOLUTION}x{visual.CHANNELS}"
BATCH = 1000
ProgressFn = Callable[[str, int, int], None]


def _read(names: list[str]) -> np.ndarray:
    images = np.empty((len(names), visual.RESOLUTION, visual.RESOLUTION, visual.CHANNELS), dtype=np.uint8)
    for i, name in enumerate(names):
        with default_storage.open(name, "rb") as handle:
            images[i] = visual.prepared(handle.read())
    return images


def visual_encoder_get_or_train(*, progress: ProgressFn | None = None) -> FeatureExtractor:
    """The one encoder, trained on first use on up to visual.TRAINING_PHOTOS photos spread over every category,
    then frozen: a product's features never change unless its photos do."""
    existing = FeatureExtractor.objects.filter(key=ENCODER_KEY).first()
    if existing is not None:
        return existing
    categories = list(
        Category.objects.filter(products__images__source=ProductImage.Source.PHOTO).distinct().order_by("name")
    )
    if not categories:
        raise StudioError(gettext("The catalog has no photos yet: image features need some to learn from."))
    per_category = max(1, visual.TRAINING_PHOTOS // len(categories))
    names, labels = [], []
    for label, category in enumerate(categories):
        photos = ProductImage.objects.filter(source=ProductImage.Source.PHOTO, product__category=category)
        chosen = list(photos.order_by("id").values_list("file", flat=True)[:per_category])
        names += chosen
        labels += [label] * len(chosen)
    if progress:
        progress("reading photos for the visual encoder", 0, 1)
    encoder = visual.encoder_train(
        _read(names), np.array(labels), num_classes=len(categories),
        progress=(lambda done, total: progress("training the visual encoder", done, total)) if progress else None,
    )  # fmt: skip
    return feature_extractor_store(
        encoder, key=ENCODER_KEY, category_names=[c.name for c in categories], trained_on="visual-similarity"
    )


def image_features_compute(*, image_ids: list[int] | None = None, progress: ProgressFn | None = None) -> int:
    """Features for the given images (all that lack them, when None); returns how many were computed. Each
    batch is stored, and served, as soon as it is done."""
    missing = ProductImage.objects.filter(visual_feature__isnull=True)
    if image_ids is not None:
        missing = missing.filter(pk__in=image_ids)
    todo = list(missing.order_by("id").values_list("id", "product_id", "file"))
    if not todo:
        return 0
    row = visual_encoder_get_or_train(progress=progress)
    encoder = feature_extractor_load(row)
    for start in range(0, len(todo), BATCH):
        if progress:
            progress("computing image features", start, len(todo))
        batch = todo[start : start + BATCH]
        vectors = visual.encode(encoder, _read([name for _, _, name in batch]))
        ImageFeature.objects.bulk_create(
            [ImageFeature(image_id=i, product_id=p, encoder=row, vector=v.tobytes())
             for (i, p, _), v in zip(batch, vectors, strict=True)],
            ignore_conflicts=True,  # a photo another worker did meanwhile
        )  # fmt: skip
        serving_changed(features=True)
    if progress:
        progress("computing image features", len(todo), len(todo))
    return len(todo)
