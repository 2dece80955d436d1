"""The VAE's training loop, on CPU or CUDA, with exact resume: the GAN's loop's contract (gan/training_loop.py)
for the other engine. It knows nothing of Django or Celery: `progress_fn` gets a dict of figures every few
seconds, `abort_fn` is checked every step, `measure_fn` gets the model as it would be returned now, sampled
through a prior fitted to some of the photos (`PREVIEW_PRIOR_PHOTOS`)."""

import copy
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from generation.gan.checkpoint import resume_state, save_checkpoint
from generation.gan.loss import LOSSES
from generation.gan.networks import Discriminator
from generation.gan.training_loop import resolve_device
from generation.vae.loss import vae_loss
from generation.vae.networks import VAE, PriorDecoder
from generation.vae.sampling import prior_fit

# How many training photos the live previews' prior is fitted to: the latents' spread per category, in a second.
PREVIEW_PRIOR_PHOTOS = 5000


@dataclass
class VAETrainConfig:
    resolution: int  # the images' height in pixels
    channels: int
    num_classes: int
    image_width: int = 0  # 0: as wide as tall
    batch_size: int = 64
    width: int = 32
    # 64, not 32: the sharp decoder's latents carry the detail and the mixture prior samples where they lie
    # (README: FD 6.3 against the GAN's 4.9 on the grey demo at 10 minutes; 128 made the prior's job harder).
    z_dim: int = 64
    prior_components: int = 10  # the fitted prior's Gaussians per category (README: FD 6.3, one Gaussian 11.5)
    lr: float = 1e-3
    beta: float = 1.0
    # The Gaussian decoder's variance (pixels in [-1, 1]): 0.01 keeps more detail in the latents than the
    # textbook's 0.1, which the fitted prior then samples from (README: FD 24.1 against 32.9 on the grey demo at
    # 10 minutes, 7.8 against 11.4 on the colour shop at 5).
    decoder_variance: float = 0.01
    # The adversarial term on the decoder (Larsen et al. 2016; weighted as Esser et al. 2021 do): from
    # `adversarial_from` steps on, a discriminator (the GAN's) tells reconstructions from photos, and the decoder
    # is also pushed to fool it, weighted so its gradient at the decoder's last layer is `adversarial_weight`
    # times the reconstruction's (0.5: measured against 1.0 and 0, README). 0: the textbook VAE.
    adversarial_weight: float = 0.5
    adversarial_from: int = 500
    lr_d: float = 2e-4
    seed: int = 0

    def __post_init__(self):
        self.image_width = self.image_width or self.resolution


@dataclass
class VAETrainResult:
    model: VAE  # in eval mode
    config: VAETrainConfig
    step: int
    images_seen: int
    seconds: float
    stopped: str  # "budget" or "aborted"
    history: list[dict] = field(default_factory=list)

    @property
    def images_per_second(self) -> float:
        return self.images_seen / self.seconds if self.seconds else 0.0

    @property
    def generator(self) -> nn.Module:
        """What samples are made with, called as the GAN's generator is (through the latent prior)."""
        return self.model.sampler()


def build_vae(config: VAETrainConfig) -> VAE:
    return VAE(
        resolution=config.resolution,
        channels=config.channels,
        num_classes=config.num_classes,
        z_dim=config.z_dim,
        width=config.width,
        image_width=config.image_width,
        prior_components=config.prior_components,
    )


def vae_training_loop(
    *,
    images: np.ndarray,
    labels: np.ndarray,
    config: VAETrainConfig,
    device: str = "auto",
    max_steps: int | None = None,
    max_seconds: float | None = None,
    checkpoint_path: Path | None = None,
    checkpoint_every_seconds: float = 60.0,
    resume: bool = False,
    progress_fn: Callable[[dict], None] | None = None,
    progress_every_seconds: float = 2.0,
    abort_fn: Callable[[], bool] | None = None,
    measure_fn: Callable[[nn.Module], dict] | None = None,
    measure_every_seconds: float = 60.0,
) -> VAETrainResult:
    """Trains until `max_steps` or `max_seconds` of training time (counted across resumes), or until
    `abort_fn()` is true; `images` is (N, H, W, C) uint8 and `labels` (N,) class indices."""
    if max_steps is None and max_seconds is None:
        raise ValueError("give a budget: max_steps or max_seconds")
    dev = resolve_device(device)
    state, config = resume_state(checkpoint_path, resume, config, dev)
    torch.manual_seed(config.seed)
    model = build_vae(config).to(dev, memory_format=torch.channels_last)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    critic = critic_optimiser = None
    if config.adversarial_weight > 0:
        critic = Discriminator(
            resolution=config.resolution,
            channels=config.channels,
            num_classes=config.num_classes,
            width=config.width,
            image_width=config.image_width,
        ).to(dev, memory_format=torch.channels_last)
        critic_optimiser = torch.optim.Adam(critic.parameters(), lr=config.lr_d, betas=(0.5, 0.999))
    rng = torch.Generator(device=dev).manual_seed(config.seed)
    step, images_seen, elapsed = 0, 0, 0.0
    history: list[dict] = []
    if state is not None:
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        rng.set_state(state["rng"].cpu())
        if critic is not None:
            critic.load_state_dict(state["critic"])
            critic_optimiser.load_state_dict(state["critic_optimiser"])
        step, images_seen, elapsed = state["step"], state["images_seen"], state["elapsed"]
        history = list(state.get("history", []))

    data = torch.from_numpy(np.array(images.transpose(0, 3, 1, 2), copy=True)).to(dev)
    targets = torch.from_numpy(labels.astype(np.int64)).to(dev)
    cuda = dev.type == "cuda"
    autocast = (
        torch.autocast(device_type="cuda", dtype=torch.bfloat16) if cuda else torch.autocast("cpu", enabled=False)
    )

    def checkpoint_state() -> dict:
        return {
            "model": model.state_dict(),
            "optimiser": optimiser.state_dict(),
            "rng": rng.get_state(),
            "critic": critic.state_dict() if critic is not None else {},
            "critic_optimiser": critic_optimiser.state_dict() if critic is not None else {},
            "step": step,
            "images_seen": images_seen,
            "elapsed": elapsed,
            "config": asdict(config),
            "history": history,
        }

    def out_of_budget() -> bool:
        return (max_steps is not None and step >= max_steps) or (max_seconds is not None and elapsed >= max_seconds)

    def fraction_done() -> float:
        parts = [step / max_steps if max_steps else 0.0, elapsed / max_seconds if max_seconds else 0.0]
        return min(1.0, max(parts))

    started = time.monotonic() - elapsed
    last_progress = last_checkpoint = last_measure = time.monotonic()
    figures: dict = {}
    stopped = "budget"
    loss = reconstruction_term = kl = critic_loss = fooled = torch.zeros(())
    hinge = LOSSES["hinge"]
    model.train()
    while not out_of_budget():
        if abort_fn is not None and abort_fn():
            stopped = "aborted"
            break
        index = torch.randint(0, data.shape[0], (config.batch_size,), device=dev, generator=rng)
        real = (data[index].float() / 127.5 - 1.0).contiguous(memory_format=torch.channels_last)
        y = targets[index]
        with autocast:
            reconstruction, mean, log_variance = model(real, y, generator=rng)
        loss, reconstruction_term, kl = vae_loss(
            reconstruction,
            real,
            mean.float(),
            log_variance.float(),
            beta=config.beta,
            decoder_variance=config.decoder_variance,
        )
        if critic is not None and step >= config.adversarial_from:
            with autocast:
                critic_loss = hinge.d_real(critic(real, y).float()) + hinge.d_fake(
                    critic(reconstruction.detach(), y).float()
                )
            critic_optimiser.zero_grad(set_to_none=True)
            critic_loss.backward()
            critic_optimiser.step()
            with autocast:
                fooled = hinge.g(critic(reconstruction, y).float())
            last_layer = model.decoder.main[-2].weight
            loss = loss + config.adversarial_weight * _balance(reconstruction_term, fooled, last_layer) * fooled
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        step += 1
        images_seen += config.batch_size
        elapsed = time.monotonic() - started

        now = time.monotonic()
        if measure_fn is not None and now - last_measure >= measure_every_seconds and not out_of_budget():
            figures = measure_fn(_previewed(model, images, labels))
            last_measure = time.monotonic()
            started += last_measure - now  # measuring is not training: the budget does not pay for it
        if progress_fn is not None and (now - last_progress >= progress_every_seconds or out_of_budget() or figures):
            last_progress = now
            point = {
                "step": step,
                "images_seen": images_seen,
                "elapsed": round(elapsed, 2),
                "fraction": round(fraction_done(), 4),
                "loss": round(loss.item(), 4),
                "reconstruction": round(reconstruction_term.item(), 4),
                "kl": round(kl.item(), 4),
                **(
                    {"critic": round(critic_loss.item(), 4), "fooled": round(fooled.item(), 4)}
                    if critic is not None
                    else {}
                ),
                "images_per_second": round(images_seen / elapsed, 1) if elapsed else 0.0,
                **figures,
            }
            figures = {}
            history.append(point)
            progress_fn(point)
        if checkpoint_path is not None and now - last_checkpoint >= checkpoint_every_seconds:
            save_checkpoint(checkpoint_path, checkpoint_state())
            last_checkpoint = now

    if checkpoint_path is not None:
        save_checkpoint(checkpoint_path, checkpoint_state())
    return VAETrainResult(_final(model), config, step, images_seen, elapsed, stopped, history)


def _balance(reconstruction_term: torch.Tensor, fooled: torch.Tensor, last_layer: torch.Tensor) -> torch.Tensor:
    """How much the adversarial term weighs so that its gradient at the decoder's last layer is as large as the
    reconstruction's: one weight for any resolution, channel count or decoder variance."""
    reconstruction = torch.autograd.grad(reconstruction_term, last_layer, retain_graph=True)[0].norm()
    adversarial = torch.autograd.grad(fooled, last_layer, retain_graph=True)[0].norm()
    return (reconstruction / (adversarial + 1e-4)).clamp(0.0, 1e4).detach()


def _previewed(model: VAE, images: np.ndarray, labels: np.ndarray) -> PriorDecoder:
    """What the live page samples: the model as it is now through a prior fitted to a fixed sample of the photos.
    From N(0, I) the sharp decoder's samples fall in the holes between its latents (FD 470 against 19)."""
    pick = np.random.default_rng(0).permutation(len(images))[:PREVIEW_PRIOR_PHOTOS]
    return prior_fit(_final(model), images[pick], labels[pick]).sampler().eval()


def _final(model: VAE) -> VAE:
    """A copy to sample from, in eval mode; the one being trained is left untouched."""
    return copy.deepcopy(model).eval()
