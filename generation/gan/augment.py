"""Differentiable augmentation applied to every image D sees, real and fake, with an ADA-style strength:
p rises when D grows over-confident on real images (its sign statistic above the target) and falls
otherwise (Karras et al. 2020). With plenty of photos p stays near zero and costs almost nothing;
with a few hundred per category it rises and keeps D from memorising them."""

import torch
from torch.nn import functional as F


class AdaptiveAugment:
    def __init__(self, *, target: float = 0.6, speed_images: int = 100_000, interval: int = 4, p: float = 0.0):
        self.target, self.speed_images, self.interval = target, speed_images, interval
        self.p = p
        self._signs, self._count = 0.0, 0

    def __call__(self, images: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        if self.p <= 0:
            return images
        return augment(images, self.p, generator)

    def observe(self, real_logits: torch.Tensor, step: int, batch_size: int) -> None:
        """Accumulates sign(D(real)) and adjusts p every `interval` steps."""
        self._signs += real_logits.detach().sign().sum().item()
        self._count += real_logits.numel()
        if step % self.interval == 0 and self._count:
            rt = self._signs / self._count
            adjust = (1 if rt > self.target else -1) * batch_size * self.interval / self.speed_images
            self.p = float(min(max(self.p + adjust, 0.0), 1.0))
            self._signs, self._count = 0.0, 0

    def state_dict(self) -> dict:
        return {"p": self.p, "signs": self._signs, "count": self._count}

    def load_state_dict(self, state: dict) -> None:
        self.p, self._signs, self._count = float(state["p"]), float(state["signs"]), int(state["count"])


def augment(images: torch.Tensor, p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Each transform is applied to each image with probability p: flip, integer translation by up to 1/8 of
    the side, brightness, contrast, and for colour images saturation. All are differentiable in the pixels."""
    n, c, h, w = images.shape
    device, dtype = images.device, images.dtype

    def chosen() -> torch.Tensor:
        return (torch.rand(n, 1, 1, 1, device=device, generator=generator) < p).to(dtype)

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(n, 1, 1, 1, device=device, generator=generator, dtype=dtype) * (high - low) + low

    flip = chosen()
    images = flip * images.flip(3) + (1 - flip) * images

    shift = max(1, h // 8)
    moved = chosen().view(n)
    dx = (torch.randint(-shift, shift + 1, (n,), device=device, generator=generator) * moved).long()
    dy = (torch.randint(-shift, shift + 1, (n,), device=device, generator=generator) * moved).long()
    # Edge padding: the photo's own background (white for the demo and most catalogs) moves in.
    padded = F.pad(images, (shift, shift, shift, shift), mode="replicate")
    rows = (torch.arange(h, device=device)[None, :] + shift - dy[:, None]).clamp(0, h + 2 * shift - 1)
    cols = (torch.arange(w, device=device)[None, :] + shift - dx[:, None]).clamp(0, w + 2 * shift - 1)
    batch = torch.arange(n, device=device)[:, None, None]
    images = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]].permute(0, 3, 1, 2)

    images = images + chosen() * uniform(-0.2, 0.2)
    mean = images.mean(dim=(1, 2, 3), keepdim=True)
    images = (images - mean) * (1 + chosen() * uniform(-0.3, 0.3)) + mean
    if c == 3:
        grey = images.mean(dim=1, keepdim=True)
        images = (images - grey) * (1 + chosen() * uniform(-0.5, 0.5)) + grey
    return images.contiguous()
