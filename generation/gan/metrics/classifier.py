"""The studio's own feature network: a small CNN trained on the catalog's training split, so the metrics
need no downloaded weights. Its 128-d penultimate features stand in for Inception features."""

from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class FeatureClassifier(nn.Module):
    def __init__(
        self,
        *,
        resolution: int,
        channels: int,
        num_classes: int,
        feature_dim: int = 128,
        image_width: int | None = None,
    ):
        super().__init__()
        self.resolution, self.channels, self.num_classes = resolution, channels, num_classes
        self.image_width = image_width or resolution
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            # Pooled to 7x7 whatever the resolution: the features keep where things are, at a bounded size.
            nn.AdaptiveAvgPool2d(7), nn.Flatten(), nn.Linear(64 * 49, feature_dim), nn.ReLU(),
        )  # fmt: skip
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.body(x)
        return features, self.head(features)


def to_input(images: np.ndarray) -> torch.Tensor:
    """(N, H, W, C) uint8 to (N, C, H, W) float in [-1, 1], the generator's range."""
    return torch.from_numpy(np.array(images.transpose(0, 3, 1, 2), copy=True)).float() / 127.5 - 1.0


def train_classifier(
    images: np.ndarray, labels: np.ndarray, *, num_classes: int, epochs: int = 2, batch_size: int = 128, seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> FeatureClassifier:  # fmt: skip
    """`progress(batches done, batches in all)` every few batches: on a large catalog this takes a minute."""
    torch.manual_seed(seed)
    _, h, w, c = images.shape
    model = FeatureClassifier(resolution=h, image_width=w, channels=c, num_classes=num_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x_all, y_all = to_input(images), torch.from_numpy(labels.astype(np.int64))
    rng = torch.Generator().manual_seed(seed)
    model.train()
    batches_per_epoch = -(-len(x_all) // batch_size)
    for epoch in range(epochs):
        order = torch.randperm(len(x_all), generator=rng)
        for batch, start in enumerate(range(0, len(order), batch_size)):
            if progress and batch % 20 == 0:
                progress(epoch * batches_per_epoch + batch, epochs * batches_per_epoch)
            index = order[start : start + batch_size]
            x = x_all[index]
            flip = torch.rand(len(x), generator=rng) < 0.5  # light augmentation: better features, same labels
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
            _, logits = model(x)
            loss = F.cross_entropy(logits, y_all[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    if progress:
        progress(epochs * batches_per_epoch, epochs * batches_per_epoch)
    return model.eval()


@torch.no_grad()
def classify(
    model: FeatureClassifier,
    images: np.ndarray,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
):
    """Features (N, 128), predicted class (N,) and the classifier's probability of each class (N, classes)."""
    model.eval()
    feats, probabilities = [], []
    for start in range(0, len(images), batch_size):
        if progress:
            progress(start, len(images))
        f, logits = model(to_input(images[start : start + batch_size]))
        feats.append(f.numpy().astype(np.float64))
        probabilities.append(logits.softmax(1).numpy())
    if progress:
        progress(len(images), len(images))
    probabilities = np.concatenate(probabilities)
    return np.concatenate(feats), probabilities.argmax(axis=1), probabilities


def features_and_predictions(model: FeatureClassifier, images: np.ndarray, batch_size: int = 1000):
    features, predictions, _ = classify(model, images, batch_size)
    return features, predictions
