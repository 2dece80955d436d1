"""Class-conditional generator (conditional batch norm) and projection discriminator, for any square
resolution res = s0 * 2**k with 4 <= s0 <= 7 (28, 32, 48, 56, 64, 96, 112, 128...) and 1 or 3 channels."""

import torch
from torch import nn
from torch.nn import functional as F


def stage_plan(resolution: int) -> tuple[int, int]:
    """(s0, k): the smallest feature map and how many times it doubles to reach `resolution`."""
    size, doublings = resolution, 0
    while size > 7 and size % 2 == 0:
        size, doublings = size // 2, doublings + 1
    if not 4 <= size <= 7 or not 28 <= resolution <= 128:
        raise ValueError(
            f"Resolution {resolution} is not supported: use 28 to 128 pixels, a multiple of a power of two "
            "times 4 to 7 (for example 28, 32, 48, 56, 64, 96, 112 or 128)."
        )
    return size, doublings


def stage_widths(base_width: int, doublings: int, max_width: int = 256) -> list[int]:
    """Channels from the smallest feature map (widest) to full resolution (base_width)."""
    return [min(base_width * 2 ** (doublings - i), max_width) for i in range(doublings + 1)]


class ConditionalBatchNorm(nn.Module):
    """Batch norm whose scale and shift are chosen by the class: the usual way to condition a generator."""

    def __init__(self, channels: int, num_classes: int):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels, affine=False)
        self.scale = nn.Embedding(num_classes, channels)
        self.shift = nn.Embedding(num_classes, channels)
        nn.init.ones_(self.scale.weight)
        nn.init.zeros_(self.shift.weight)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        scale = self.scale(labels)[:, :, None, None]
        shift = self.shift(labels)[:, :, None, None]
        return self.norm(x) * scale + shift


class Generator(nn.Module):
    def __init__(self, *, resolution: int, channels: int, num_classes: int, z_dim: int = 64, base_width: int = 32):
        super().__init__()
        self.resolution, self.channels, self.num_classes, self.z_dim = resolution, channels, num_classes, z_dim
        self.start, doublings = stage_plan(resolution)
        widths = stage_widths(base_width, doublings)
        # The class enters twice: as an embedding beside z (a strong signal from the first step) and through
        # conditional batch norm at every scale.
        self.class_embed = nn.Embedding(num_classes, z_dim)
        self.project = nn.Linear(2 * z_dim, widths[0] * self.start * self.start)
        self.project_norm = ConditionalBatchNorm(widths[0], num_classes)
        self.convs = nn.ModuleList(nn.Conv2d(a, b, 3, padding=1) for a, b in zip(widths, widths[1:]))
        self.norms = nn.ModuleList(ConditionalBatchNorm(b, num_classes) for b in widths[1:])
        self.to_image = nn.Conv2d(widths[-1], channels, 3, padding=1)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        x = self.project(torch.cat([z, self.class_embed(labels)], dim=1)).view(z.shape[0], -1, self.start, self.start)
        x = F.relu(self.project_norm(x, labels))
        for conv, norm in zip(self.convs, self.norms):
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
            x = F.relu(norm(conv(x), labels))
        return torch.tanh(self.to_image(x))


class Discriminator(nn.Module):
    """Strided convolutions down to s0, global sum pooling, then an unconditional score plus the projection
    of the features on the class embedding (Miyato & Koyama 2018)."""

    def __init__(self, *, resolution: int, channels: int, num_classes: int, base_width: int = 32):
        super().__init__()
        self.resolution, self.channels, self.num_classes = resolution, channels, num_classes
        _, doublings = stage_plan(resolution)
        widths = stage_widths(base_width, doublings)[::-1]
        self.from_image = nn.Conv2d(channels, widths[0], 3, padding=1)
        self.downs = nn.ModuleList(nn.Conv2d(a, b, 4, stride=2, padding=1) for a, b in zip(widths, widths[1:]))
        self.final = nn.Conv2d(widths[-1], widths[-1], 3, padding=1)
        self.score = nn.Linear(widths[-1], 1)
        self.embed = nn.Embedding(num_classes, widths[-1])
        nn.init.normal_(self.embed.weight, std=0.02)

    def features(self, images: torch.Tensor) -> torch.Tensor:
        x = F.leaky_relu(self.from_image(images), 0.2)
        for down in self.downs:
            x = F.leaky_relu(down(x), 0.2)
        x = F.leaky_relu(self.final(x), 0.2)
        return x.sum(dim=(2, 3))

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        h = self.features(images)
        return self.score(h).squeeze(1) + (self.embed(labels) * h).sum(dim=1)
