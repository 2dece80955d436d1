"""Sampling: each image is made from its own seed, so any one can be made again from the seed alone."""

import numpy as np
import torch
from torch import nn


def latent_for_seed(seed: int, z_dim: int, truncation: float = 1.0) -> torch.Tensor:
    """z ~ N(0, I) scaled by `truncation`: 1 keeps the full diversity, smaller values move towards the
    typical image of the category (the truncation trick, in its scaling form)."""
    if not 0.0 < truncation <= 2.0:
        raise ValueError("truncation must be in (0, 2]")
    z = torch.randn(z_dim, generator=torch.Generator().manual_seed(int(seed)))
    return z * truncation


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """(N, C, H, W) in [-1, 1] to (N, H, W, C) uint8."""
    array = ((images.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return array.permute(0, 2, 3, 1).cpu().numpy()


@torch.no_grad()
def generate(generator: nn.Module, latents: torch.Tensor, labels: torch.Tensor, batch_size: int = 1000) -> np.ndarray:
    generator.eval()
    device = next(generator.parameters()).device
    out = [
        to_uint8(generator(latents[i : i + batch_size].to(device), labels[i : i + batch_size].to(device)))
        for i in range(0, len(latents), batch_size)
    ]
    return (
        np.concatenate(out)
        if out
        else np.zeros((0, generator.resolution, generator.image_width, generator.channels), np.uint8)
    )


def sample(generator: nn.Module, labels: list[int], seeds: list[int], truncation: float = 1.0) -> np.ndarray:
    """One image per (label, seed) pair: (N, H, W, C) uint8."""
    latents = (
        torch.stack([latent_for_seed(s, generator.z_dim, truncation) for s in seeds])
        if seeds
        else torch.zeros(0, generator.z_dim)
    )
    return generate(generator, latents, torch.as_tensor(labels, dtype=torch.long))


def sample_per_category(
    generator: nn.Module, categories: list[int], per_category: int, seed: int, truncation: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """images, labels, seeds: `per_category` images for each category, seeds seed, seed+1, ..."""
    labels = np.repeat(np.asarray(categories, dtype=np.int64), per_category)
    seeds = np.arange(seed, seed + len(labels), dtype=np.int64)
    return sample(generator, labels.tolist(), seeds.tolist(), truncation), labels, seeds


def interpolate(
    generator: nn.Module, label: int, seed_a: int, seed_b: int, steps: int = 8, truncation: float = 1.0
) -> np.ndarray:
    """`steps` images along the spherical path between the latents of two seeds."""
    a, b = latent_for_seed(seed_a, generator.z_dim, truncation), latent_for_seed(seed_b, generator.z_dim, truncation)
    omega = torch.arccos(torch.clamp(torch.dot(a / a.norm(), b / b.norm()), -1 + 1e-7, 1 - 1e-7))
    ts = torch.linspace(0, 1, steps)
    latents = torch.stack([(torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega) for t in ts])
    return generate(generator, latents, torch.full((steps,), label, dtype=torch.long))


def image_grid(images: np.ndarray, columns: int) -> np.ndarray:
    """Tiles (N, H, W, C) uint8 images into one (rows*H, columns*W, C) image, padding with white."""
    n, h, w, c = images.shape
    rows = max(1, -(-n // columns))
    grid = np.full((rows * h, columns * w, c), 255, dtype=np.uint8)
    for i, image in enumerate(images):
        r, col = divmod(i, columns)
        grid[r * h : (r + 1) * h, col * w : (col + 1) * w] = image
    return grid
