"""What the VAE makes: samples of a category (the GAN's sampling on the decoder, a seed per image), variations of
a photo (its latent, moved by seeded noise scaled by `diversity`, with the photo's own detail kept near it), and
blends between two photos (the straight path between their latents)."""

from collections.abc import Callable

import numpy as np
import torch
from sklearn.mixture import GaussianMixture

from generation.gan.sampling import generate, latent_for_seed
from generation.vae.networks import VAE

# Added to every fitted covariance: a category's latents may not span every dimension.
PRIOR_RIDGE = 1e-3
# A mixture component is fitted for each this many photos per latent dimension (its full covariance has about
# z_dim squared halves to estimate), up to the model's number of components.
PHOTOS_PER_DIMENSION = 2


def to_model_input(images: np.ndarray, device: torch.device) -> torch.Tensor:
    """(N, H, W, C) uint8 to (N, C, H, W) in [-1, 1]."""
    return torch.from_numpy(np.array(images.transpose(0, 3, 1, 2), copy=True)).to(device).float() / 127.5 - 1.0


@torch.no_grad()
def encode(model: VAE, images: np.ndarray, labels: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Each photo's latent mean under its label: (N, z_dim) float32."""
    model.eval()
    device = next(model.parameters()).device
    means = [
        model.encode(
            to_model_input(images[i : i + batch_size], device),
            torch.as_tensor(labels[i : i + batch_size], dtype=torch.long, device=device),
        )[0]
        .float()
        .cpu()
        .numpy()
        for i in range(0, len(images), batch_size)
    ]
    return np.concatenate(means) if means else np.zeros((0, model.z_dim), np.float32)


def decode(model: VAE, latents: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(N, H, W, C) uint8 from latents (N, z_dim) under labels (N,)."""
    return generate(model.decoder, torch.as_tensor(latents, dtype=torch.float32), torch.as_tensor(labels).long())


def variations(
    model: VAE, image: np.ndarray, label: int, *, count: int, diversity: float = 0.5, seed: int = 0, detail: bool = True
) -> np.ndarray:
    """`count` images near the photo `image` (H, W, C) uint8: its latent plus seeded noise shaped as its
    category's latents spread (the fitted prior's; N(0, I) before one is fitted), times `diversity` (0: the
    photo, 1: as far as the category's own spread). The photo's detail that the decoder does not reproduce (the
    photo less its reconstruction) is added back, fading out as diversity grows to 1: near the photo it keeps
    its prints and texture, and far from it a shape no longer the photo's does not wear them as a ghost (make
    bench-vae: 97 % of variations at 0.25 where the classifier puts the source, against 93 % from the decoder
    alone; `detail=False` gives those). Image i is made from seed + i alone."""
    if not 0.0 <= diversity <= 2.0:
        raise ValueError("diversity must be between 0 and 2")
    centre = encode(model, image[None], np.array([label]))[0]
    noise = np.array([latent_for_seed(seed + i, model.z_dim).numpy() for i in range(count)], np.float32)
    spread = model.prior_scale[label].cpu().numpy()
    latents = np.concatenate([centre[None], centre[None] + diversity * noise.reshape(count, model.z_dim) @ spread.T])
    reconstruction, *made = decode(model, latents, np.full(count + 1, label)).astype(np.float32)
    kept = max(0.0, 1.0 - diversity) if detail else 0.0
    made = np.asarray(made).reshape(count, *image.shape) + kept * (image.astype(np.float32) - reconstruction)
    return np.clip(np.rint(made), 0, 255).astype(np.uint8)


def blend(model: VAE, first: np.ndarray, second: np.ndarray, label: int, *, steps: int = 8) -> np.ndarray:
    """`steps` images from photo `first` to photo `second` (both (H, W, C) uint8, of the category `label`)."""
    a, b = encode(model, np.stack([first, second]), np.array([label, label]))
    weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    return decode(model, (1 - weights) * a[None] + weights * b[None], np.full(steps, label))


@torch.no_grad()
def prior_fit(
    model: VAE, images: np.ndarray, labels: np.ndarray, progress: Callable[[int, int], None] | None = None
) -> VAE:
    """Fits the second stage to the photos' latent means: each category's Gaussian (its spread, for variations)
    and its mixture (what samples are drawn from), with as many components as it has photos for, up to the
    model's; a category with fewer has its Gaussian as every component. A little of the identity is added to
    each covariance. `progress(done, total)` after each category. Returns the model, changed in place."""
    latents = encode(model, images, labels)
    for label in range(model.num_classes):
        own = latents[labels == label].astype(np.float64)
        if len(own) >= 2:
            _category_prior_fit(model, label, own)
        if progress is not None:
            progress(label + 1, model.num_classes)
    return model


def _category_prior_fit(model: VAE, label: int, own: np.ndarray) -> None:
    covariance = _ridged_covariance(own)
    model.prior_mean[label] = torch.from_numpy(own.mean(axis=0)).float()
    model.prior_scale[label] = torch.linalg.cholesky(torch.from_numpy(covariance).float())
    weights, means, covariances = mixture_fit(own, model.mixture_weights.shape[1])
    model.mixture_weights[label] = torch.from_numpy(weights).float()
    model.mixture_means[label] = torch.from_numpy(means).float()
    model.mixture_scales[label] = torch.linalg.cholesky(torch.from_numpy(covariances).float())


def mixture_fit(latents: np.ndarray, components: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights (K,), means (K, D) and covariances (K, D, D) of `components` Gaussians fitted to `latents`
    (N, D): as many as there are photos for, the largest then split in equal halves up to K (the same
    distribution); with photos for fewer than two, their one Gaussian K times."""
    dimensions = latents.shape[1]
    fitted = min(components, len(latents) // (PHOTOS_PER_DIMENSION * dimensions))
    if fitted < 2:
        return (
            np.full(components, 1.0 / components),
            np.repeat(latents.mean(axis=0)[None], components, 0),
            np.repeat(_ridged_covariance(latents)[None], components, 0),
        )
    mixture = GaussianMixture(fitted, covariance_type="full", reg_covar=PRIOR_RIDGE, random_state=0).fit(latents)
    weights, means, covariances = list(mixture.weights_), list(mixture.means_), list(mixture.covariances_)
    while len(weights) < components:
        largest = int(np.argmax(weights))
        weights[largest] /= 2
        weights.append(weights[largest])
        means.append(means[largest])
        covariances.append(covariances[largest])
    return np.asarray(weights) / np.sum(weights), np.asarray(means), np.asarray(covariances)


def _ridged_covariance(latents: np.ndarray) -> np.ndarray:
    return np.cov(latents, rowvar=False) + PRIOR_RIDGE * np.eye(latents.shape[1])
