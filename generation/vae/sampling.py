"""What the VAE makes: samples of a category (the GAN's sampling on the decoder, a seed per image), variations of
a photo (its latent, moved by seeded noise scaled by `diversity`), and blends between two photos (the straight
path between their latents)."""

import numpy as np
import torch

from generation.gan.sampling import generate, latent_for_seed
from generation.vae.networks import VAE


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


def variations(model: VAE, image: np.ndarray, label: int, *, count: int, diversity: float = 0.5, seed: int = 0):
    """`count` images near the photo `image` (H, W, C) uint8: its latent plus seeded noise shaped as its
    category's latents spread (the fitted prior's; N(0, I) before one is fitted), times `diversity` (0: the
    reconstruction, 1: as far as the category's own spread). Image i is made from seed + i alone."""
    if not 0.0 <= diversity <= 2.0:
        raise ValueError("diversity must be between 0 and 2")
    centre = encode(model, image[None], np.array([label]))[0]
    if not count:
        return decode(model, np.zeros((0, model.z_dim), np.float32), np.zeros(0, dtype=np.int64))
    noise = np.stack([latent_for_seed(seed + i, model.z_dim).numpy() for i in range(count)])
    spread = model.prior_scale[label].cpu().numpy()
    latents = centre[None] + diversity * noise @ spread.T
    return decode(model, latents, np.full(count, label))


def blend(model: VAE, first: np.ndarray, second: np.ndarray, label: int, *, steps: int = 8) -> np.ndarray:
    """`steps` images from photo `first` to photo `second` (both (H, W, C) uint8, of the category `label`)."""
    a, b = encode(model, np.stack([first, second]), np.array([label, label]))
    weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    return decode(model, (1 - weights) * a[None] + weights * b[None], np.full(steps, label))


@torch.no_grad()
def prior_fit(model: VAE, images: np.ndarray, labels: np.ndarray) -> VAE:
    """Fits the second stage: each category's Gaussian over its photos' latent means (a little of the identity
    added, for a category with few photos). Returns the model, changed in place."""
    latents = encode(model, images, labels)
    for label in range(model.num_classes):
        own = latents[labels == label]
        if len(own) < 2:
            continue
        covariance = np.cov(own, rowvar=False) + 1e-3 * np.eye(model.z_dim)
        model.prior_mean[label] = torch.from_numpy(own.mean(axis=0)).float()
        model.prior_scale[label] = torch.linalg.cholesky(torch.from_numpy(covariance).float())
    return model
