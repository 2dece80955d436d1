"""One training loop for ours and the baseline, on CPU or CUDA, with exact resume.

Like stylegan2-ada-pytorch's training_loop, it knows nothing of Django or Celery: the caller passes
`progress_fn` (called every few seconds with a dict of figures) and `abort_fn` (checked every step).
"""

import copy
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from generation.gan.augment import AdaptiveAugment
from generation.gan.checkpoint import resume_state, save_checkpoint
from generation.gan.loss import LOSSES
from generation.gan.networks import Discriminator, Generator


@dataclass
class TrainConfig:
    resolution: int  # the images' height in pixels
    channels: int
    num_classes: int
    image_width: int = 0  # pixels; 0 (and configs stored before it existed): as wide as tall
    batch_size: int = 64
    width: int = 32  # half of DCGAN's 64 feature maps: twice the images per second on a CPU
    z_dim: int = 100
    loss: str = "hinge"
    # Twice DCGAN's rate and no first-moment momentum (beta1 0, as BigGAN): measured faster to good samples
    # under a wall-clock budget than DCGAN's 2e-4 and 0.5, and than a slower G (TTUR).
    lr_g: float = 4e-4
    lr_d: float = 4e-4
    beta1: float = 0.0
    beta2: float = 0.99
    ema_half_life_images: float = 10_000.0  # 0 turns the EMA off
    ema_rampup: float = 0.05  # the half-life is at most this share of the images seen: no lag early on
    augment: bool = True
    augment_target: float = 0.6
    mismatch_weight: float = 0.5  # real photos shown with a wrong category count as fakes (Reed et al. 2016)
    class_planes: bool = False  # D's class input: see Discriminator
    seed: int = 0

    def __post_init__(self):
        self.image_width = self.image_width or self.resolution

    @classmethod
    def baseline(cls, **shape) -> "TrainConfig":
        """The plain conditional DCGAN of pytorch/examples: 64 feature maps, BCE, Adam(2e-4, betas 0.5/0.999),
        no EMA, no augmentation, the class as one-hot planes."""
        return cls(
            **shape, width=64, loss="bce", lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999, ema_half_life_images=0.0,
            augment=False, mismatch_weight=0.0, class_planes=True,
        )  # fmt: skip


@dataclass
class TrainResult:
    generator: nn.Module  # the EMA generator when there is one, in eval mode with calibrated batch norm
    config: TrainConfig
    step: int
    images_seen: int
    seconds: float
    stopped: str  # "budget" or "aborted"
    history: list[dict] = field(default_factory=list)

    @property
    def images_per_second(self) -> float:
        return self.images_seen / self.seconds if self.seconds else 0.0


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda was asked for, but no CUDA GPU is available here")
    return torch.device(device)


def _network_shape(config: TrainConfig) -> dict:
    return {
        "resolution": config.resolution,
        "image_width": config.image_width,
        "channels": config.channels,
        "num_classes": config.num_classes,
    }


def build_generator(config: TrainConfig) -> nn.Module:
    return Generator(**_network_shape(config), z_dim=config.z_dim, width=config.width)


def build_discriminator(config: TrainConfig) -> nn.Module:
    return Discriminator(**_network_shape(config), width=config.width, class_planes=config.class_planes)


def wrong_labels(labels: torch.Tensor, num_classes: int, generator: torch.Generator) -> torch.Tensor:
    """For each label, one of the other classes, uniformly."""
    shift = torch.randint(1, num_classes, labels.shape, device=labels.device, generator=generator)
    return (labels + shift) % num_classes


@torch.no_grad()
def calibrate_batch_norm(generator: nn.Module, *, batches: int = 16, batch_size: int = 256, seed: int = 0) -> None:
    """Sets the generator's batch-norm statistics to the average over many batches of its own activations
    (BigGAN's "standing statistics"): the EMA weights never produced the running statistics they inherit."""
    norms = [m for m in generator.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    device = next(generator.parameters()).device
    rng = torch.Generator(device=device).manual_seed(seed)
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative average
    generator.train()
    for _ in range(batches):
        z = torch.randn(batch_size, generator.z_dim, device=device, generator=rng)
        labels = torch.randint(0, generator.num_classes, (batch_size,), device=device, generator=rng)
        generator(z, labels)
    for norm in norms:
        norm.momentum = 0.1
    generator.eval()


def training_loop(
    *,
    images: np.ndarray,
    labels: np.ndarray,
    config: TrainConfig,
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
) -> TrainResult:
    """Trains until `max_steps` or `max_seconds` of training time (counted across resumes), or until
    `abort_fn()` is true; `images` is (N, H, W, C) uint8 and `labels` (N,) class indices.

    Every `measure_every_seconds`, `measure_fn` gets the generator as it would be returned now and gives
    back figures (metrics) that join the next progress point; its time is not taken from the budget."""
    if max_steps is None and max_seconds is None:
        raise ValueError("give a budget: max_steps or max_seconds")
    dev = resolve_device(device)
    cuda = dev.type == "cuda"
    state, config = resume_state(checkpoint_path, resume, config, dev)
    torch.manual_seed(config.seed)
    G, D = build_generator(config), build_discriminator(config)
    G, D = G.to(dev, memory_format=torch.channels_last), D.to(dev, memory_format=torch.channels_last)
    G_ema = copy.deepcopy(G).eval().requires_grad_(False) if config.ema_half_life_images > 0 else None
    opt_g = torch.optim.Adam(G.parameters(), lr=config.lr_g, betas=(config.beta1, config.beta2))
    opt_d = torch.optim.Adam(D.parameters(), lr=config.lr_d, betas=(config.beta1, config.beta2))
    loss = LOSSES[config.loss]
    ada = AdaptiveAugment(target=config.augment_target) if config.augment else None
    rng = torch.Generator(device=dev).manual_seed(config.seed)
    step, images_seen, elapsed = 0, 0, 0.0
    history: list[dict] = []

    if state is not None:
        G.load_state_dict(state["G"])
        D.load_state_dict(state["D"])
        if G_ema is not None:
            G_ema.load_state_dict(state["G_ema"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        if ada is not None:
            ada.load_state_dict(state["augment"])
        rng.set_state(state["rng"].cpu())
        step, images_seen, elapsed = state["step"], state["images_seen"], state["elapsed"]
        history = list(state.get("history", []))

    # The whole training set sits on the device as uint8: a batch is one index and one conversion.
    data = torch.from_numpy(np.array(images.transpose(0, 3, 1, 2), copy=True)).to(dev)
    targets = torch.from_numpy(labels.astype(np.int64)).to(dev)
    autocast = (
        torch.autocast(device_type="cuda", dtype=torch.bfloat16) if cuda else torch.autocast("cpu", enabled=False)
    )
    batch = config.batch_size

    def checkpoint_state() -> dict:
        return {
            "G": G.state_dict(), "D": D.state_dict(), "G_ema": G_ema.state_dict() if G_ema is not None else {},
            "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(),
            "augment": ada.state_dict() if ada is not None else {}, "rng": rng.get_state(),
            "step": step, "images_seen": images_seen, "elapsed": elapsed, "config": asdict(config),
            "history": history,
        }  # fmt: skip

    def out_of_budget() -> bool:
        return (max_steps is not None and step >= max_steps) or (max_seconds is not None and elapsed >= max_seconds)

    def fraction_done() -> float:
        parts = [step / max_steps if max_steps else 0.0, elapsed / max_seconds if max_seconds else 0.0]
        return min(1.0, max(parts))

    started = time.monotonic() - elapsed
    last_progress = last_checkpoint = last_measure = time.monotonic()
    figures: dict = {}
    stopped = "budget"
    d_loss = g_loss = torch.zeros(())
    while not out_of_budget():
        if abort_fn is not None and abort_fn():
            stopped = "aborted"
            break
        index = torch.randint(0, data.shape[0], (batch,), device=dev, generator=rng)
        real = (data[index].float() / 127.5 - 1.0).contiguous(memory_format=torch.channels_last)
        y = targets[index]
        z = torch.randn(batch, config.z_dim, device=dev, generator=rng)

        with autocast:
            fake = G(z, y)
            real_in = ada(real, rng) if ada else real
            fake_in = ada(fake.detach(), rng) if ada else fake.detach()
            real_logits = D(real_in, y)
            d_loss = loss.d_real(real_logits.float()) + loss.d_fake(D(fake_in, y).float())
            if config.mismatch_weight and config.num_classes > 1:  # one category has no wrong one
                wrong = wrong_labels(y, config.num_classes, rng)
                d_loss = d_loss + config.mismatch_weight * loss.d_fake(D(real_in, wrong).float())
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()

        with autocast:
            g_loss = loss.g(D(ada(fake, rng) if ada else fake, y).float())
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()

        step += 1
        images_seen += batch
        if ada is not None:
            ada.observe(real_logits, step, batch)
        if G_ema is not None:
            half_life = min(config.ema_half_life_images, images_seen * config.ema_rampup)
            beta = 0.5 ** (batch / max(half_life, 1e-8))
            with torch.no_grad():
                for p_ema, p in zip(G_ema.parameters(), G.parameters()):
                    p_ema.lerp_(p, 1.0 - beta)
                for b_ema, b in zip(G_ema.buffers(), G.buffers()):
                    b_ema.copy_(b)
        elapsed = time.monotonic() - started

        now = time.monotonic()
        if measure_fn is not None and now - last_measure >= measure_every_seconds and not out_of_budget():
            figures = measure_fn(_final_generator(G_ema if G_ema is not None else G, config.seed, batches=4))
            last_measure = time.monotonic()
            started += last_measure - now  # measuring is not training: the budget does not pay for it
        if progress_fn is not None and (now - last_progress >= progress_every_seconds or out_of_budget() or figures):
            last_progress = now
            point = {
                "step": step, "images_seen": images_seen, "elapsed": round(elapsed, 2),
                "fraction": round(fraction_done(), 4), "d_loss": round(d_loss.item(), 4),
                "g_loss": round(g_loss.item(), 4), "augment_p": round(ada.p, 4) if ada else 0.0,
                "images_per_second": round(images_seen / elapsed, 1) if elapsed else 0.0, **figures,
            }  # fmt: skip
            figures = {}
            history.append(point)
            progress_fn(point)
        if checkpoint_path is not None and now - last_checkpoint >= checkpoint_every_seconds:
            save_checkpoint(checkpoint_path, checkpoint_state())
            last_checkpoint = now

    if checkpoint_path is not None:
        save_checkpoint(checkpoint_path, checkpoint_state())
    final = _final_generator(G_ema if G_ema is not None else G, config.seed)
    return TrainResult(final, config, step, images_seen, elapsed, stopped, history)


def _final_generator(generator: nn.Module, seed: int, batches: int = 16) -> nn.Module:
    """A copy to sample from, with its own batch-norm statistics; the one being trained is left untouched."""
    final = copy.deepcopy(generator)
    calibrate_batch_norm(final, batches=batches, seed=seed)
    return final
