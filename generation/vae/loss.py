"""The VAE's objective, the negative evidence lower bound per image: the reconstruction error of a Gaussian
decoder (squared error over the pixels, in [-1, 1], scaled by the decoder's variance) plus `beta` times the KL
divergence of the latent from N(0, I)."""

import torch


def vae_loss(
    reconstruction: torch.Tensor,
    images: torch.Tensor,
    mean: torch.Tensor,
    log_variance: torch.Tensor,
    *,
    beta: float = 1.0,
    decoder_variance: float = 0.1,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, reconstruction term, KL term), each averaged over the batch."""
    squared = (reconstruction.float() - images.float()).pow(2).flatten(1).sum(dim=1)
    reconstruction_term = (squared / (2 * decoder_variance)).mean()
    kl = (-0.5 * (1 + log_variance - mean.pow(2) - log_variance.exp()).sum(dim=1)).mean()
    return reconstruction_term + beta * kl, reconstruction_term, kl
