"""The studio's own frozen image features for "similar items": the catalog's small CNN (the metrics
classifier's architecture, trained once on every category at one colour shape and then kept), its 128-d
features as unit vectors. Any photo, grey or colour and of any size, is brought to that one shape first."""

import numpy as np

from generation.gan.data import prepare_image
from generation.gan.metrics.classifier import FeatureClassifier, classify, train_classifier
from generation.recommender.scoring import normalised_rows

RESOLUTION, CHANNELS = 32, 3
TRAINING_PHOTOS = 12_000  # enough to tell categories and shapes apart; about half a minute on two cores


def prepared(data: bytes) -> np.ndarray:
    return prepare_image(data, RESOLUTION, CHANNELS)


def encoder_train(images: np.ndarray, labels: np.ndarray, *, num_classes: int, progress=None) -> FeatureClassifier:
    """`images` (N, 32, 32, 3) uint8, at most TRAINING_PHOTOS of them, spread over the categories."""
    return train_classifier(images, labels, num_classes=num_classes, progress=progress)


def encode(encoder: FeatureClassifier, images: np.ndarray) -> np.ndarray:
    features, _, _ = classify(encoder, images, batch_size=500)
    return normalised_rows(features.astype(np.float32))
