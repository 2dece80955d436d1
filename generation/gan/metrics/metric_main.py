"""The metrics a merchandiser sees, each next to its real-against-real value (the number to read it by).

Metrics sit in a registry, as in stylegan2-ada-pytorch's metric_main, so a caller names the ones it wants.
All work on the studio's own classifier features; nothing is downloaded.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from torch import nn

from generation.gan.metrics.classifier import FeatureClassifier, classify, features_and_predictions, train_classifier
from generation.gan.metrics.distances import data_copying_ct, frechet_distance, pairwise_nearest, precision_recall
from generation.gan.sampling import sample_per_category

NEAR_COPY_RATIO = 1 / 3  # nearest training image three times closer than the second: a near-copy
# A generated image nearer its closest training photo than all but this percent of held-out photos are to
# theirs is flagged as a possible copy: real, unseen photos of the catalog rarely come that close.
COPY_PERCENTILE = 1


@dataclass
class Reference:
    """Real data prepared once per dataset: the classifier and the features of both splits."""

    classifier: FeatureClassifier
    num_classes: int
    train_pixels: np.ndarray  # (N, D) float32 in [0, 1], possibly a subsample
    train_features: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    test_features: np.ndarray
    test_predictions: np.ndarray
    train_subset_features: np.ndarray  # as many training images as test images: the real-against-real sample
    train_index: np.ndarray  # row i of train_pixels/train_features is training image train_index[i]


def build_reference(
    train_images: np.ndarray, train_labels: np.ndarray, test_images: np.ndarray, test_labels: np.ndarray, *,
    num_classes: int, classifier: FeatureClassifier | None = None, max_train: int = 60_000, seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Reference:  # fmt: skip
    """`progress(images done, images in all)` while the training photos' features are computed."""
    if classifier is None:
        classifier = train_classifier(train_images, train_labels, num_classes=num_classes, seed=seed)
    rng = np.random.default_rng(seed)
    keep = rng.permutation(len(train_images))[:max_train]
    train_features, _, _ = classify(classifier, train_images[keep], progress=progress)
    test_features, test_predictions = features_and_predictions(classifier, test_images)
    subset = rng.permutation(len(keep))[: len(test_images)]
    return Reference(
        classifier, num_classes, _pixels(train_images[keep]), train_features, test_images, test_labels.astype(np.int64),
        test_features, test_predictions, train_features[subset], keep,
    )  # fmt: skip


def _pixels(images: np.ndarray) -> np.ndarray:
    return images.reshape(len(images), -1).astype(np.float32) / 255.0


@dataclass
class Samples:
    images: np.ndarray
    labels: np.ndarray
    features: np.ndarray
    predictions: np.ndarray


MetricFn = Callable[[Reference, Samples], dict]
METRICS: dict[str, MetricFn] = {}


def register_metric(fn: MetricFn) -> MetricFn:
    METRICS[fn.__name__] = fn
    return fn


@register_metric
def frechet(ref: Reference, gen: Samples) -> dict:
    per_category = {}
    for c in range(ref.num_classes):
        fake, real = gen.features[gen.labels == c], ref.test_features[ref.test_labels == c]
        if len(fake) > 1 and len(real) > 1:
            per_category[c] = round(frechet_distance(fake, real), 3)
    return {
        "fd": round(frechet_distance(gen.features, ref.test_features), 3),
        "fd_real": round(frechet_distance(ref.train_subset_features, ref.test_features), 3),
        "fd_per_category": per_category,
    }


@register_metric
def category_accuracy(ref: Reference, gen: Samples) -> dict:
    return {
        "category_accuracy": round(float((gen.predictions == gen.labels).mean()), 4),
        "category_accuracy_real": round(float((ref.test_predictions == ref.test_labels).mean()), 4),
    }


@register_metric
def precision_recall_k3(ref: Reference, gen: Samples) -> dict:
    precision, recall = precision_recall(ref.test_features, gen.features)
    precision_real, recall_real = precision_recall(ref.test_features, ref.train_subset_features)
    return {
        "precision": round(precision, 4), "recall": round(recall, 4),
        "precision_real": round(precision_real, 4), "recall_real": round(recall_real, 4),
    }  # fmt: skip


def near_copy_share(pixels: np.ndarray, train_pixels: np.ndarray) -> float:
    nearest, _ = pairwise_nearest(pixels, train_pixels, k=2)
    return _near_copy_share(nearest)


def _near_copy_share(nearest: np.ndarray) -> float:
    return float((nearest[:, 0] < NEAR_COPY_RATIO * nearest[:, 1]).mean())


def nearest_real_distances(ref: Reference, max_probe: int = 2000) -> np.ndarray:
    """(P, 2): each probed held-out photo's distances to its two nearest training photos, per-pixel RMS."""
    pick = np.random.default_rng(1).permutation(len(ref.test_images))[:max_probe]
    nearest, _ = pairwise_nearest(_pixels(ref.test_images[pick]), ref.train_pixels, k=2)
    return nearest / np.sqrt(ref.train_pixels.shape[1])


def copy_threshold(nearest_real: np.ndarray) -> float:
    """The per-pixel RMS distance below which a generated image counts as a possible copy (COPY_PERCENTILE)."""
    return float(np.percentile(nearest_real[:, 0], COPY_PERCENTILE))


@register_metric
def memorisation(ref: Reference, gen: Samples, max_probe: int = 2000) -> dict:
    gen_pick = np.random.default_rng(0).permutation(len(gen.images))[:max_probe]
    real = nearest_real_distances(ref, max_probe)
    half = len(ref.test_features) // 2
    return {
        "near_copy_share": round(near_copy_share(_pixels(gen.images[gen_pick]), ref.train_pixels), 4),
        "near_copy_share_real": round(_near_copy_share(real), 4),
        "copy_threshold": round(copy_threshold(real), 5),
        "data_copying_ct": _rounded(data_copying_ct(ref.train_features, ref.test_features, gen.features)),
        "data_copying_ct_real": _rounded(
            data_copying_ct(ref.train_features, ref.test_features[:half], ref.test_features[half:])
        ),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def judge_images(ref: Reference, images: np.ndarray, k: int = 3) -> dict[str, np.ndarray]:
    """What a reviewer judges each image by: its k nearest training images in pixels (distances per-pixel RMS,
    0 to 1, and indices into the training set, nearest first), its nearest in classifier features, and the
    classifier's predicted class with its confidence."""
    features, predictions, probabilities = classify(ref.classifier, images)
    pixel_dist, pixel_idx = pairwise_nearest(_pixels(images), ref.train_pixels, k=min(k, len(ref.train_pixels)))
    feature_dist, feature_idx = pairwise_nearest(features, ref.train_features)
    return {
        "pixel_distance": pixel_dist / np.sqrt(ref.train_pixels.shape[1]), "pixel_index": ref.train_index[pixel_idx],
        "feature_distance": feature_dist[:, 0], "feature_index": ref.train_index[feature_idx[:, 0]],
        "prediction": predictions, "confidence": probabilities.max(axis=1),
    }  # fmt: skip


def evaluate(
    generator: nn.Module,
    ref: Reference,
    *,
    metrics=tuple(METRICS),
    seed: int = 123,
    max_per_category: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Samples as many images per category as the held-out set has (at most `max_per_category`, for a quick
    look during training), then computes the named metrics; `progress(what, done, total)` before each step."""
    report = progress or (lambda what, done, total: None)
    counts = np.bincount(ref.test_labels, minlength=ref.num_classes)
    if max_per_category is not None:
        counts = np.minimum(counts, max_per_category)
    images, labels = [], []
    steps = 2 + len(metrics)
    for c in range(ref.num_classes):
        report(f"sampling {int(counts.sum()):,} images", c, ref.num_classes)
        if counts[c]:
            imgs, lbls, _ = sample_per_category(generator, [c], int(counts[c]), seed + c * 1_000_003)
            images.append(imgs)
            labels.append(lbls)
    images, labels = np.concatenate(images), np.concatenate(labels)
    report(f"sampling {int(counts.sum()):,} images", ref.num_classes, ref.num_classes)
    report("classifying the samples", 1, steps)
    features, predictions = features_and_predictions(ref.classifier, images)
    samples = Samples(images, labels, features, predictions)
    result = {}
    for done, name in enumerate(metrics, start=2):
        report(name.replace("_", " "), done, steps)
        result.update(METRICS[name](ref, samples))
    report("done", steps, steps)
    return result
