"""Which catalog photos are unlike their category, under a trained class-conditional VAE.

Raw likelihood is known to rank outliers as typical (a model of Fashion-MNIST gives MNIST digits a higher
likelihood, Nalisnick et al. 2019), so a photo is scored by comparison instead:
- against the other categories: it is reconstructed under every category's label, and a photo that another
  category reconstructs clearly better than its own "looks like" that category;
- and a classifier's odds that it is not its own category, where one is at hand; without one, how much nearer
  another category's photos' latents lie than its own's;
- within its own: the distance of its latent from its category's other photos' (robust: median and median
  absolute deviation per dimension), for a photo no category explains ("unlike every Coat").
Each is a log ratio, so the evidence adds up whatever each is measured in.
"""

from dataclasses import dataclass

import numpy as np
import torch

from generation.vae.networks import VAE
from generation.vae.sampling import encode, to_model_input

# Another category's photos' latents are this much nearer (relative), it reconstructs the photo this much better,
# or a classifier gives it this confidence.
LOOKS_LIKE_MARGIN = 0.5


@dataclass(frozen=True)
class PhotoScore:
    index: int  # the photo's row in what was checked
    score: float  # higher: more unusual
    looks_like: int | None  # the category that explains it better than its own, if one does
    margin: float  # how much better another category explains it (relative); 0 when none does
    distance: float  # its latent's robust distance from its own category's photos


@torch.no_grad()
def reconstruction_errors(model: VAE, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """(N, C): each photo's squared reconstruction error through its latent mean under each category's label."""
    model.eval()
    device = next(model.parameters()).device
    errors = np.zeros((len(images), model.num_classes), dtype=np.float32)
    for start in range(0, len(images), batch_size):
        batch = to_model_input(images[start : start + batch_size], device)
        for label in range(model.num_classes):
            labels = torch.full((len(batch),), label, dtype=torch.long, device=device)
            mean, _ = model.encode(batch, labels)
            again = model.decoder(mean, labels).float()
            errors[start : start + len(batch), label] = (again - batch).pow(2).flatten(1).mean(dim=1).cpu().numpy()
    return errors


def latent_distances(latents: np.ndarray, labels: np.ndarray, num_classes: int) -> np.ndarray:
    """(N, C): each latent's robust distance from each category's photos' latents, the root mean square over
    dimensions of (z - median) / (1.4826 MAD), so one odd photo cannot hide by moving its category's centre.
    A category without photos is infinitely far."""
    distances = np.full((len(latents), num_classes), np.inf, dtype=np.float32)
    for label in np.unique(labels):
        rows = labels == label
        centre = np.median(latents[rows], axis=0)
        spread = 1.4826 * np.median(np.abs(latents[rows] - centre), axis=0) + 1e-6
        distances[:, label] = np.sqrt((((latents - centre) / spread) ** 2).mean(axis=1))
    return distances


def photo_check(
    model: VAE, images: np.ndarray, labels: np.ndarray, probabilities: np.ndarray | None = None
) -> list[PhotoScore]:
    """Every photo (`images` (N, H, W, C) uint8, `labels` (N,) its category), the most unusual first;
    `probabilities`: a classifier's probability of each category for each photo (N, C), where one is at hand."""
    if not len(images):
        return []
    rows, labels = np.arange(len(images)), np.asarray(labels, dtype=np.int64)
    errors = reconstruction_errors(model, images)
    own_error = errors[rows, labels]
    distances = latent_distances(encode(model, images, labels), labels, model.num_classes)
    own = distances[rows, labels]
    others, other_errors = distances.copy(), errors.copy()
    others[rows, labels], other_errors[rows, labels] = np.inf, np.inf
    nearest, best_other = others.argmin(axis=1), other_errors.min(axis=1)
    nearest_distance = others[rows, nearest]
    alone = ~np.isfinite(best_other)  # the model's only category: no other can explain it
    unplaced = ~np.isfinite(nearest_distance)  # no photos of another category to compare latents with
    # Another category explains it: its photos' latents are much nearer, or it reconstructs the photo better.
    nearer = np.where(unplaced, 0.0, 1.0 - nearest_distance / np.maximum(own, 1e-6))
    better = np.where(alone, 0.0, 1.0 - best_other / np.maximum(own_error, 1e-8))
    looks_like = np.where(better >= LOOKS_LIKE_MARGIN, other_errors.argmin(axis=1), nearest)
    margin = np.maximum(np.maximum(nearer, better), 0.0)
    # The score adds log ratios: own reconstruction error to the best other's, and a classifier's odds of
    # another category (without one, own latent distance to the nearest other category's), then, a tenth as
    # heavy, its oddness within its own against the typical photo's: mislabelled photos first, then odd ones.
    # On one model and 10 draws of 20 planted mislabels among 10,000 Fashion-MNIST photos: 191 of 200 in the top
    # 1 %, where adding the margins (and the classifier's confidence where it disagreed) placed 162 (README).
    evidence = np.where(alone, 0.0, _log_ratio(own_error, best_other))
    if probabilities is not None:
        own_probability = probabilities[rows, labels]
        evidence = evidence + _log_ratio(1.0 - own_probability, own_probability)
        predicted = probabilities.argmax(axis=1)
        other_category = np.where(predicted != labels, probabilities[rows, predicted], 0.0)
        looks_like = np.where(other_category > margin, predicted, looks_like)
        margin = np.maximum(margin, other_category)
    else:
        evidence = evidence + np.where(unplaced, 0.0, _log_ratio(own, nearest_distance))
    score = evidence + 0.1 * _log_ratio(own, np.median(own))
    order = np.argsort(-score, kind="stable")
    return [
        PhotoScore(
            int(i),
            round(float(score[i]), 4),
            int(looks_like[i]) if margin[i] >= LOOKS_LIKE_MARGIN else None,
            round(float(margin[i]), 4),
            round(float(own[i]), 4),
        )
        for i in order
    ]


def _log_ratio(a, b) -> np.ndarray:
    """log(a / b), both kept off zero."""
    return np.log(np.maximum(a, 1e-6)) - np.log(np.maximum(b, 1e-6))
