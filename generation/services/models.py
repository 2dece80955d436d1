"""Training, registering and sampling generative models."""

import contextlib
import functools
import io
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from catalog.imaging import png_of_array
from catalog.models import Category
from generation.gan.checkpoint import known_settings, load_checkpoint
from generation.gan.metrics.metric_main import evaluate
from generation.gan.sampling import image_grid, sample_per_category
from generation.gan.training_loop import TrainConfig, build_generator, training_loop
from generation.models import Engine, Family, GenerativeModel, ModelAuditEvent
from generation.models.jobs import QUICK_METRICS_PER_CATEGORY, QUICK_SUFFIX
from generation.services.datasets import newest_photo_time, training_data_load
from generation.services.references import CatalogReference, PhaseFn, catalog_reference, no_phase
from generation.services.registry import generative_model_promote
from generation.vae.networks import VAE
from generation.vae.sampling import prior_fit
from generation.vae.training_loop import VAETrainConfig, build_vae, vae_training_loop
from retail_studio.errors import StudioError


def training_checkpoint_path(name: str) -> Path:
    """Where an unfinished run of `name` keeps its state, so that --resume picks it up."""
    return settings.GAN_WORK_DIR / "runs" / f"{name}.pt"


# Each image engine's training: its config and its loop (the same contract: budget, progress, abort, measure,
# checkpoints), and the part of the result a version keeps.
IMAGE_ENGINES = {
    Engine.GAN: (TrainConfig, training_loop, lambda result: {"G": result.generator.state_dict()}),
    Engine.VAE: (VAETrainConfig, vae_training_loop, lambda result: {"VAE": result.model.state_dict()}),
}


def image_train(
    *, name: str, categories: list[Category], engine: str = Engine.GAN, minutes: float | None = None,
    steps: int | None = None, device: str = "auto", resume: bool = False, seed: int = 0, user=None,
    progress_fn: Callable[[dict], None] | None = None, abort_fn: Callable[[], bool] | None = None,
    phase_fn: PhaseFn = no_phase, checkpoint_path: Path | None = None,
    preview_fn: Callable[[bytes, int], None] | None = None,
) -> GenerativeModel | None:  # fmt: skip
    """Trains an image model of `engine` (a GAN or a VAE) on the categories' training photos, measures the result
    and registers it as a new version. Returns None when `abort_fn` stopped the run (its checkpoint stays, for a
    resume).

    Every GAN_PREVIEW_SECONDS, quick metrics join the progress points and `preview_fn` gets a sample grid (PNG)
    and the step it shows. `phase_fn(what, done, total)` tells what the long steps outside training are doing."""
    checkpoint_path = checkpoint_path or training_checkpoint_path(name)
    photos_until = newest_photo_time(categories)
    data = training_data_load(
        categories=categories, progress=lambda done, total: phase_fn("reading photos", done, total)
    )
    if engine not in IMAGE_ENGINES:
        raise StudioError(
            gettext("Unknown image engine “%(engine)s”: one of %(image_engines)s.")
            % {"engine": engine, "image_engines": ", ".join(IMAGE_ENGINES)}
        )
    config_class, loop, _ = IMAGE_ENGINES[engine]
    config = config_class(
        resolution=data.resolution,
        image_width=data.image_width,
        channels=data.channels,
        num_classes=len(data.categories),
        seed=seed,
    )
    # Built at the first preview, then kept for the final measurement.
    reference_get = functools.cache(
        lambda: catalog_reference(
            categories=data.categories, resolution=data.resolution, image_width=data.image_width,
            channels=data.channels,
            phase=lambda what, done, total: phase_fn(f"preparing quality measurement: {what}", done, total),
        )
    )  # fmt: skip
    step_seen = [0]

    def on_progress(point: dict) -> None:
        step_seen[0] = point["step"]
        if progress_fn:
            progress_fn(point)

    def preview(generator: torch.nn.Module) -> dict:
        quick = evaluate(
            generator, reference_get().reference, metrics=("frechet", "category_accuracy"),
            max_per_category=QUICK_METRICS_PER_CATEGORY,
        )  # fmt: skip
        preview_fn(sample_grid_png(generator, len(data.categories)), step_seen[0])
        return {f"fd{QUICK_SUFFIX}": quick["fd"], f"category_accuracy{QUICK_SUFFIX}": quick["category_accuracy"]}

    result = loop(
        images=data.train_images, labels=data.train_labels, config=config, device=device,
        max_steps=steps, max_seconds=minutes * 60 if minutes else None,
        checkpoint_path=checkpoint_path, checkpoint_every_seconds=settings.GAN_CHECKPOINT_SECONDS,
        resume=resume, progress_fn=on_progress, abort_fn=abort_fn,
        measure_fn=preview if preview_fn else None, measure_every_seconds=settings.GAN_PREVIEW_SECONDS,
    )  # fmt: skip
    if result.stopped == "aborted":
        return None
    if engine == Engine.VAE:  # the second stage, what the VAE samples from (README: FD 6.3; from N(0, I), noise)
        phase = functools.partial(phase_fn, "fitting the latent prior")
        prior_fit(result.model, data.train_images, data.train_labels, progress=phase)
    if preview_fn and result.history:
        # The job's page ends on the final generator: a last quality point and its samples at the last step.
        step_seen[0] = result.step
        on_progress({**result.history[-1], "step": result.step, "fraction": 1.0, **preview(result.generator)})
    metrics = measure(result.generator.cpu(), reference_get(), phase_fn)
    metrics["images_per_second"] = round(result.images_per_second, 1)
    model = generative_model_register(
        name=name,
        engine=engine,
        result=result,
        categories=data.categories,
        metrics=metrics,
        photos_until=photos_until,
        user=user,
    )
    checkpoint_path.unlink(missing_ok=True)
    return model


def version_store(model: GenerativeModel, checkpoint: bytes, suffix: str, categories: list[Category]) -> None:
    """Saves a version's row with its checkpoint file (removed again if the row fails) and its categories."""
    with files_removed_on_failure(model.checkpoint):
        model.checkpoint.save(f"{model.name}-v{model.version}.{suffix}", ContentFile(checkpoint), save=False)
        model.save()
        model.categories.set(categories)


@contextlib.contextmanager
def files_removed_on_failure(*fields):
    """A registration that fails after writing its files takes them away again: no orphan weights in media.
    (The transaction undoes the rows; this undoes the files.)"""
    try:
        yield
    except BaseException:
        for field in fields:
            if field.name:
                field.storage.delete(field.name)
        raise


def next_version(name: str, family: str) -> tuple[int, str]:
    """Inside the registering transaction: the next version of `name` (the lock keeps two registrations
    apart) and its state, active for the first version and a candidate after. A name belongs to one family."""
    versions = GenerativeModel.objects.select_for_update().filter(name=name)
    if versions.exclude(family=family).exists():
        raise StudioError(
            gettext("“%(name)s” names a model of another kind already; pick another name.") % {"name": name}
        )
    latest = versions.aggregate(Max("version"))["version__max"]
    has_active = versions.filter(state=GenerativeModel.State.ACTIVE).exists()
    return (latest or 0) + 1, GenerativeModel.State.CANDIDATE if has_active else GenerativeModel.State.ACTIVE


@transaction.atomic
def generative_model_register(
    *,
    name: str,
    result,
    categories: list[Category],
    metrics: dict,
    engine: str = Engine.GAN,
    photos_until=None,
    user=None,
) -> GenerativeModel:
    """Stores the weights (a GAN's generator, a VAE's encoder and decoder) and a grid, as the next version of
    `name`; the first version is active. `result`: the engine's training result."""
    generator = result.generator.cpu()
    version, state = next_version(name, Family.IMAGE)
    if GenerativeModel.objects.filter(name=name).exclude(engine=engine).exists():
        raise StudioError(
            gettext("“%(name)s” names a model of another engine already; pick another name.") % {"name": name}
        )
    buffer = io.BytesIO()
    torch.save({"config": asdict(result.config), **IMAGE_ENGINES[engine][2](result)}, buffer)
    model = GenerativeModel(
        name=name, version=version, engine=engine, category_names=[c.name for c in categories],
        resolution=result.config.resolution, image_width=result.config.image_width, channels=result.config.channels,
        config=asdict(result.config),
        metrics=metrics, steps=result.step, trained_on_photos_until=photos_until, created_by=user, state=state,
    )  # fmt: skip
    with files_removed_on_failure(model.checkpoint, model.sample_grid):
        model.checkpoint.save(f"{name}-v{version}.pt", ContentFile(buffer.getvalue()), save=False)
        model.sample_grid.save(
            f"{name}-v{version}.png", ContentFile(sample_grid_png(generator, len(categories))), save=False
        )
        model.save()
        model.categories.set(categories)
    return model


def measure(generator: torch.nn.Module, ref: CatalogReference, phase_fn: PhaseFn = no_phase) -> dict:
    """The final figures on the whole held-out set, named with the reference that measured them."""
    metrics = evaluate(
        generator, ref.reference,
        progress=lambda what, done, total: phase_fn(f"measuring the new version: {what}", done, total),
    )  # fmt: skip
    return metrics | {"reference": ref.id, "feature_extractor": ref.extractor.pk}


def generative_model_measure(*, model: GenerativeModel, ref: CatalogReference) -> GenerativeModel:
    """Measures a registered version again under `ref` (the catalog's reference changed since it was measured)."""
    metrics = measure(load_generator(model), ref)
    model.metrics = {**model.metrics, **metrics}
    model.save(update_fields=["metrics"])
    return model


HIGHER_IS_BETTER = {Family.COPY: "grounding_pass_rate", Family.INTENT: "held_out_intent_right"}


def candidate_promote_if_better(*, model: GenerativeModel) -> bool:
    """Automatic promotion, when the setting allows it: only a candidate with a lower Fréchet distance than
    the active version replaces it, both measured under the catalog's current reference (a figure measured
    with another feature extractor or another held-out set is measured again first, never compared)."""
    if not settings.GENERATION_AUTO_PROMOTE or model.state != GenerativeModel.State.CANDIDATE:
        return False
    active = GenerativeModel.objects.filter(name=model.name, state=GenerativeModel.State.ACTIVE).first()
    if active is not None and model.family in HIGHER_IS_BETTER:
        # The copywriter's share of titles that pass grounding; the understanding's of held-out questions read right.
        figure = HIGHER_IS_BETTER[model.family]
        if (model.metrics.get(figure) or 0) <= (active.metrics.get(figure) or 0):
            return False
    elif active is not None:
        ref = catalog_reference(
            categories=sorted(model.categories.all(), key=lambda c: c.name),
            resolution=model.resolution,
            image_width=model.image_width,
            channels=model.channels,
        )
        for version in (model, active):
            if version.metrics.get("reference") != ref.id:
                generative_model_measure(model=version, ref=ref)
        if model.metrics["fd"] >= active.metrics["fd"]:
            return False
    generative_model_promote(model=model, kind=ModelAuditEvent.Kind.AUTO_PROMOTED)
    return True


def sample_grid_png(generator: torch.nn.Module, num_categories: int, per_category: int = 8) -> bytes:
    """One row per category, the same seeds each time, so grids of one run can be compared by eye."""
    images, _, _ = sample_per_category(generator, list(range(num_categories)), per_category, seed=0)
    return png_of_array(image_grid(images, per_category))


def load_generator(model: GenerativeModel, device: str = "cpu") -> torch.nn.Module:
    """What samples of a version are made with, of either engine: a GAN's generator, a VAE's decoder."""
    if model.engine == Engine.VAE:
        return load_vae(model, device).sampler()
    with model.checkpoint.open("rb") as handle:
        state = load_checkpoint(io.BytesIO(handle.read()), device)
    generator = build_generator(TrainConfig(**known_settings(TrainConfig, state["config"])))
    generator.load_state_dict(state["G"])
    return generator.to(device).eval()


def load_vae(model: GenerativeModel, device: str = "cpu") -> VAE:
    """A VAE version whole: its encoder places photos in the latent space (variations, blends, photo checks)."""
    if model.engine != Engine.VAE:
        raise StudioError(
            gettext("%(model)s is a %(engine)s: only a VAE encodes photos.")
            % {"model": model, "engine": model.get_engine_display()}
        )
    with model.checkpoint.open("rb") as handle:
        state = load_checkpoint(io.BytesIO(handle.read()), device)
    # A version saved before the mixture prior has one Gaussian per category and no count of components.
    vae = build_vae(VAETrainConfig(**{"prior_components": 1, **known_settings(VAETrainConfig, state["config"])}))
    vae.load_state_dict(state["VAE"])
    return vae.to(device).eval()


def gan_sample(
    *,
    model: GenerativeModel,
    per_category: int,
    seed: int = 0,
    truncation: float = 1.0,
    categories: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """images (N, H, W, C) uint8, labels (index into the returned names) and the category names."""
    names = list(model.category_names)
    wanted = categories or names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise StudioError(
            gettext("%(model)s was not trained on %(unknown)s; it knows %(names)s")
            % {"model": model, "unknown": ", ".join(unknown), "names": ", ".join(names)}
        )
    images, labels, _ = sample_per_category(
        load_generator(model), [names.index(n) for n in wanted], per_category, seed, truncation
    )
    return images, labels, names
