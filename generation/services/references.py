"""The metrics reference of a catalog: one frozen feature extractor per category set and image shape, and the
real photos' features under it. Figures measured under the same reference id can be compared; a version
measured under another is measured again before it is compared (models.candidate_promote_if_better)."""

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from catalog.models import Category
from generation.gan.metrics.classifier import FeatureClassifier, train_classifier
from generation.gan.metrics.metric_main import Reference, build_reference, copy_threshold, nearest_real_distances
from generation.models import FeatureExtractor
from generation.services.datasets import TrainingData, training_data_cached
from generation.services.process_cache import ProcessCache

# phase(what, done, total): what a long step is doing and how far it has got.
PhaseFn = Callable[[str, int, int], None]


def no_phase(what: str, done: int, total: int) -> None:
    pass


@dataclass
class CatalogReference:
    id: str  # "<extractor>:<held-out photos>": the same id, comparable figures
    extractor: FeatureExtractor
    data: TrainingData
    reference: Reference
    _copy_threshold: float | None = field(default=None, repr=False)

    @property
    def copy_threshold(self) -> float:
        """Computed on first use (a second or two on a large catalog), then kept with the reference."""
        if self._copy_threshold is None:
            self._copy_threshold = copy_threshold(nearest_real_distances(self.reference))
        return self._copy_threshold


def extractor_key(data: TrainingData) -> str:
    names = ",".join(c.name for c in data.categories)
    # A square shape keeps the key it had before images could be other shapes.
    width = "" if data.image_width == data.resolution else f"{data.image_width}x"
    return hashlib.sha256(f"{names}|{width}{data.resolution}x{data.channels}".encode()).hexdigest()[:32]


def feature_extractor_load(extractor: FeatureExtractor) -> FeatureClassifier:
    classifier = FeatureClassifier(
        resolution=extractor.resolution,
        image_width=extractor.image_width,
        channels=extractor.channels,
        num_classes=len(extractor.category_names),
    )
    with extractor.weights.open("rb") as handle:
        classifier.load_state_dict(torch.load(io.BytesIO(handle.read()), weights_only=True))
    return classifier.eval()


def feature_extractor_get_or_train(*, data: TrainingData, phase: PhaseFn = no_phase) -> FeatureExtractor:
    """Trained once per category set and shape, on the training photos of the day, and then kept: new photos
    do not change it, so figures stay comparable."""
    key = extractor_key(data)
    existing = FeatureExtractor.objects.filter(key=key).first()
    if existing is not None:
        return existing
    classifier = train_classifier(
        data.train_images, data.train_labels, num_classes=len(data.categories),
        progress=lambda done, total: phase("training the metrics classifier", done, total),
    )  # fmt: skip
    return feature_extractor_store(
        classifier, key=key, category_names=[c.name for c in data.categories], trained_on=data.key
    )


def feature_extractor_store(
    classifier: FeatureClassifier, *, key: str, category_names: list[str], trained_on: str
) -> FeatureExtractor:  # fmt: skip
    """Keeps a freshly trained extractor under `key`; when another worker stored one under the same key
    meanwhile, theirs is the one (so figures and features all come from one extractor)."""
    buffer = io.BytesIO()
    torch.save(classifier.state_dict(), buffer)
    extractor = FeatureExtractor(
        key=key,
        category_names=category_names,
        resolution=classifier.resolution,
        image_width=classifier.image_width,
        channels=classifier.channels,
        trained_on=trained_on,
    )
    extractor.weights.save(f"{key.replace(':', '-')}.pt", ContentFile(buffer.getvalue()), save=False)
    try:
        with transaction.atomic():
            extractor.save()
    except IntegrityError:
        extractor.weights.storage.delete(extractor.weights.name)
        return FeatureExtractor.objects.get(key=key)
    return extractor


# Kept per worker process, like the training arrays they are built from.
_references: ProcessCache[CatalogReference] = ProcessCache(size=4)


def catalog_reference(
    *, categories: list[Category], resolution: int, image_width: int, channels: int, phase: PhaseFn = no_phase
) -> CatalogReference:
    data = training_data_cached(
        categories=categories,
        resolution=resolution,
        image_width=image_width,
        channels=channels,
        progress=lambda done, total: phase("reading photos", done, total),
    )
    extractor = feature_extractor_get_or_train(data=data, phase=phase)

    def build() -> CatalogReference:
        reference = build_reference(
            data.train_images, data.train_labels, data.test_images, data.test_labels,
            num_classes=len(data.categories), classifier=feature_extractor_load(extractor),
            progress=lambda done, total: phase("computing the catalog photos' features", done, total),
        )  # fmt: skip
        return CatalogReference(f"{extractor.pk}:{data.test_key[:12]}", extractor, data, reference)

    return _references.get((extractor.pk, data.key, data.test_key), build)
