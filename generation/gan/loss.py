"""Adversarial losses. Ours is the hinge loss (Lim & Ye 2017, used by SAGAN and BigGAN); the baseline keeps
DCGAN's binary cross-entropy. D's loss is split into its real and fake terms, so other inputs (real photos
with a wrong category) can be scored as fakes."""

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch.nn import functional as F


@dataclass(frozen=True)
class AdversarialLoss:
    d_real: Callable[[torch.Tensor], torch.Tensor]  # D's loss on logits it should call real
    d_fake: Callable[[torch.Tensor], torch.Tensor]  # ... and on logits it should call fake
    g: Callable[[torch.Tensor], torch.Tensor]  # G's loss on D's logits for its images


def _bce(logits: torch.Tensor, target: float) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


LOSSES = {
    "hinge": AdversarialLoss(
        d_real=lambda logits: F.relu(1.0 - logits).mean(),
        d_fake=lambda logits: F.relu(1.0 + logits).mean(),
        g=lambda logits: -logits.mean(),
    ),
    "bce": AdversarialLoss(
        d_real=lambda logits: _bce(logits, 1.0),
        d_fake=lambda logits: _bce(logits, 0.0),
        g=lambda logits: _bce(logits, 1.0),
    ),
}
