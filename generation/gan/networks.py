"""Class-conditional generator and discriminator for images h pixels tall and w wide, each a side s0 * 2**k with
4 <= s0 <= 7 and the same k for both (28, 32, 48, 56, 64, 96, 112, 128... square; 32x40 or 64x80 for a shop's
portrait photos), and 1 or 3 channels.

The shape is DCGAN's (Radford et al. 2015): transposed convolutions with batch norm and ReLU in G, strided
convolutions with batch norm and LeakyReLU in D. The class enters G as a one-hot vector beside z and D as
one-hot planes beside the image (Mirza & Osindero 2014). `make bench-gan` chose this over a conditional-BN
generator with a projection discriminator, which collapsed to one image per class under a CPU budget.
"""

import torch
from torch import nn
from torch.nn import functional as F


def stage_plan(resolution: int, image_width: int | None = None) -> tuple[tuple[int, int], int]:
    """((h0, w0), k): the smallest feature map and how many times it doubles to reach `resolution` (the height)
    by `image_width` (the width; None: square)."""
    width = image_width or resolution
    starts, plans = [], set()
    for side in (resolution, width):
        size, doublings = side, 0
        while size > 7 and size % 2 == 0:
            size, doublings = size // 2, doublings + 1
        starts.append(size)
        plans.add(doublings)
    if (
        not all(4 <= s <= 7 for s in starts)
        or len(plans) > 1
        or not 28 <= min(resolution, width) <= max(resolution, width) <= 224
    ):
        raise ValueError(
            f"An image of {width}x{resolution} pixels is not supported: each side must be 28 to 224 pixels, "
            "4 to 7 times the same power of two (for example 28, 32, 64 or 128 square, or 32x40 and 64x80)."
        )
    return (starts[0], starts[1]), plans.pop()


class Generator(nn.Module):
    def __init__(
        self,
        *,
        resolution: int,
        channels: int,
        num_classes: int,
        z_dim: int = 100,
        width: int = 32,
        image_width: int | None = None,
    ):
        super().__init__()
        self.resolution, self.channels, self.num_classes, self.z_dim = resolution, channels, num_classes, z_dim
        self.image_width = image_width or resolution
        start, doublings = stage_plan(resolution, image_width)
        widths = [width * 2 ** (doublings - 1 - i) for i in range(doublings)]
        layers = [
            nn.ConvTranspose2d(z_dim + num_classes, widths[0], start, 1, 0, bias=False),  # 1x1 to h0 x w0
            nn.BatchNorm2d(widths[0]),
            nn.ReLU(True),
        ]
        for a, b in zip(widths, widths[1:]):
            layers += [nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU(True)]
        layers += [nn.ConvTranspose2d(widths[-1], channels, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)
        self.apply(dcgan_init)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        onehot = F.one_hot(labels, self.num_classes).to(z.dtype)
        return self.main(torch.cat([z, onehot], dim=1)[:, :, None, None])


class Discriminator(nn.Module):
    """`class_planes=True` is the textbook input, one-hot planes beside the image. A convolution of constant
    planes is a per-class constant, so `False` adds a learned per-class bias after the first convolution
    instead: the same function away from the border, without convolving num_classes extra channels."""

    def __init__(
        self,
        *,
        resolution: int,
        channels: int,
        num_classes: int,
        width: int = 32,
        class_planes: bool = False,
        image_width: int | None = None,
    ):
        super().__init__()
        self.resolution, self.channels, self.num_classes = resolution, channels, num_classes
        start, doublings = stage_plan(resolution, image_width)
        widths = [width * 2**i for i in range(doublings)]
        self.class_planes = class_planes
        self.stem = nn.Conv2d(channels + (num_classes if class_planes else 0), widths[0], 4, 2, 1, bias=False)
        self.class_bias = None if class_planes else nn.Embedding(num_classes, widths[0])
        layers = [nn.LeakyReLU(0.2, True)]
        for a, b in zip(widths, widths[1:]):
            layers += [nn.Conv2d(a, b, 4, 2, 1, bias=False), nn.BatchNorm2d(b), nn.LeakyReLU(0.2, True)]
        layers += [nn.Conv2d(widths[-1], 1, start, 1, 0, bias=False)]
        self.main = nn.Sequential(*layers)
        self.apply(dcgan_init)

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        if self.class_planes:
            planes = F.one_hot(labels, self.num_classes).to(images.dtype)[:, :, None, None]
            planes = planes.expand(-1, -1, images.shape[2], images.shape[3])
            features = self.stem(torch.cat([images, planes], dim=1))
        else:
            features = self.stem(images) + self.class_bias(labels).to(images.dtype)[:, :, None, None]
        return self.main(features).flatten()  # logits; the loss applies what it needs


def dcgan_init(module: nn.Module) -> None:
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.Embedding):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
