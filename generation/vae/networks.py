"""A class-conditional VAE for the image shapes the GAN supports (gan/networks.py's stage_plan): the encoder is
the discriminator's stack of strided convolutions with the class as one-hot planes, ending in the latent's
mean and log-variance; the decoder is the generator's stack of transposed convolutions from the latent and the
class (Sohn et al. 2015, the conditional VAE)."""

import torch
from torch import nn
from torch.nn import functional as F

from generation.gan.networks import dcgan_init, stage_plan


def _norm(channels: int) -> nn.Module:
    """Group norm, not the GAN's batch norm: it behaves the same in training and in use, where batch norm's
    running statistics (of posterior latents) misled samples drawn from the prior (measured: a bright class's
    samples came out dark)."""
    return nn.GroupNorm(min(8, channels), channels)


class Encoder(nn.Module):
    def __init__(self, *, resolution: int, channels: int, num_classes: int, z_dim: int, width: int, image_width: int):
        super().__init__()
        self.num_classes = num_classes
        start, doublings = stage_plan(resolution, image_width)
        widths = [width * 2**i for i in range(doublings)]
        layers = [nn.Conv2d(channels + num_classes, widths[0], 4, 2, 1), nn.LeakyReLU(0.2, True)]
        for a, b in zip(widths, widths[1:]):
            layers += [nn.Conv2d(a, b, 4, 2, 1, bias=False), _norm(b), nn.LeakyReLU(0.2, True)]
        layers += [nn.Conv2d(widths[-1], 2 * z_dim, start, 1, 0)]  # h0 x w0 to 1x1: mean and log-variance
        self.main = nn.Sequential(*layers)

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        planes = F.one_hot(labels, self.num_classes).to(images.dtype)[:, :, None, None]
        planes = planes.expand(-1, -1, images.shape[2], images.shape[3])
        mean, log_variance = self.main(torch.cat([images, planes], dim=1)).flatten(1).chunk(2, dim=1)
        return mean, log_variance.clamp(-12.0, 8.0)  # no variance of zero or of thousands early in training


class Decoder(nn.Module):
    def __init__(self, *, resolution: int, channels: int, num_classes: int, z_dim: int, width: int, image_width: int):
        super().__init__()
        self.resolution, self.image_width, self.channels = resolution, image_width, channels
        self.num_classes, self.z_dim = num_classes, z_dim
        start, doublings = stage_plan(resolution, image_width)
        widths = [width * 2 ** (doublings - 1 - i) for i in range(doublings)]
        layers = [nn.ConvTranspose2d(z_dim + num_classes, widths[0], start, 1, 0, bias=False)]
        layers += [_norm(widths[0]), nn.ReLU(True)]
        for a, b in zip(widths, widths[1:]):
            layers += [nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False), _norm(b), nn.ReLU(True)]
        layers += [nn.ConvTranspose2d(widths[-1], channels, 4, 2, 1), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        onehot = F.one_hot(labels, self.num_classes).to(z.dtype)
        return self.main(torch.cat([z, onehot], dim=1)[:, :, None, None])


class VAE(nn.Module):
    """`decoder` is what samples are made with; `encode` gives a photo's place in the latent space."""

    def __init__(
        self,
        *,
        resolution: int,
        channels: int,
        num_classes: int,
        z_dim: int = 32,
        width: int = 32,
        image_width: int | None = None,
        prior_components: int = 1,
    ):
        super().__init__()
        shape = {
            "resolution": resolution,
            "channels": channels,
            "num_classes": num_classes,
            "z_dim": z_dim,
            "width": width,
            "image_width": image_width or resolution,
        }
        self.encoder, self.decoder = Encoder(**shape), Decoder(**shape)
        self.z_dim, self.num_classes = z_dim, num_classes
        # The second stage (Dai & Wipf 2019; a Gaussian mixture, as Ghosh et al. 2020 fit): per category, a mixture
        # of `prior_components` Gaussians fitted to the training photos' latents, sampled from instead of N(0, I),
        # which the latents never quite fill. `prior_mean` and `prior_scale` are each category's one Gaussian, its
        # spread for variations. Until fitted (prior_fit) all of them are N(0, I), the textbook prior.
        self.register_buffer("prior_mean", torch.zeros(num_classes, z_dim))
        self.register_buffer("prior_scale", torch.eye(z_dim).repeat(num_classes, 1, 1))
        self.register_buffer("mixture_weights", torch.full((num_classes, prior_components), 1.0 / prior_components))
        self.register_buffer("mixture_means", torch.zeros(num_classes, prior_components, z_dim))
        self.register_buffer("mixture_scales", torch.eye(z_dim).repeat(num_classes, prior_components, 1, 1))
        self.apply(dcgan_init)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        """A version saved before the mixture prior holds one Gaussian per category: its mixture is that Gaussian
        as every component, which samples the same."""
        if prefix + "mixture_weights" not in state_dict and prefix + "prior_mean" in state_dict:
            components = self.mixture_weights.shape[1]
            state_dict[prefix + "mixture_weights"] = self.mixture_weights.new_full(
                self.mixture_weights.shape, 1 / components
            )
            state_dict[prefix + "mixture_means"] = state_dict[prefix + "prior_mean"][:, None].repeat(1, components, 1)
            state_dict[prefix + "mixture_scales"] = state_dict[prefix + "prior_scale"][:, None].repeat(
                1, components, 1, 1
            )
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def sampler(self) -> "PriorDecoder":
        """What samples are made with, called as the GAN's generator is: N(0, I) latents through the prior."""
        return PriorDecoder(self)

    def encode(self, images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encoder(images, labels)

    def forward(
        self, images: torch.Tensor, labels: torch.Tensor, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The reconstruction through a sampled latent (the reparameterisation), and the latent's mean and
        log-variance."""
        mean, log_variance = self.encode(images, labels)
        noise = torch.randn(mean.shape, device=mean.device, dtype=mean.dtype, generator=generator)
        return self.decoder(mean + noise * (0.5 * log_variance).exp(), labels), mean, log_variance


class PriorDecoder(nn.Module):
    """The decoder behind the VAE's latent prior: z ~ N(0, I) becomes a draw from category c's mixture. z's first
    coordinate, as a uniform number, picks the component by its weight, and what is left of that number within
    the component's share is normal again; so one z gives one draw, exactly distributed as the mixture."""

    def __init__(self, vae: VAE):
        super().__init__()
        self.vae = vae
        decoder = vae.decoder
        self.resolution, self.image_width, self.channels = decoder.resolution, decoder.image_width, decoder.channels
        self.num_classes, self.z_dim = decoder.num_classes, decoder.z_dim

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return self.vae.decoder(self.latents(z.float(), labels).to(z.dtype), labels)

    def latents(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        weights = self.vae.mixture_weights[labels]
        if weights.shape[1] == 1:  # one Gaussian: z as it is, so a seed draws what it drew before the mixture
            return self.vae.mixture_means[labels, 0] + (self.vae.mixture_scales[labels, 0] @ z[..., None])[..., 0]
        bounds = weights.cumsum(dim=1)
        uniform = torch.special.ndtr(z[:, 0])
        component = (uniform[:, None] >= bounds[:, :-1]).sum(dim=1)
        below = (bounds - weights).gather(1, component[:, None])[:, 0]
        within = ((uniform - below) / weights.gather(1, component[:, None])[:, 0]).clamp(1e-6, 1 - 1e-6)
        z = torch.cat([torch.special.ndtri(within)[:, None], z[:, 1:]], dim=1)
        scale = self.vae.mixture_scales[labels, component]
        return self.vae.mixture_means[labels, component] + (scale @ z.unsqueeze(-1)).squeeze(-1)
