"""Sampling jobs: a person asks for N images per category; a worker makes them and streams them into the
review queue in growing chunks, so the first ones are there within a second of a warm worker starting. A VAE's
job may instead start from photos: variations of one product's, or a blend between two products'."""

import functools

import numpy as np
from django.core.files.storage import default_storage
from django.utils.translation import gettext

from catalog.models import Category, Product, ProductImage
from generation.gan.data import prepare_image
from generation.gan.sampling import sample
from generation.models import GeneratedItem, GenerativeModel, JobStatus, SamplingJob
from generation.services.items import generated_items_store
from generation.services.job_lifecycle import (
    JobCancelled,
    job_claim,
    job_fail,
    job_finish,
    job_heartbeat,
    job_language,
    job_stop_if_cancelled,
    phase_said,
)
from generation.services.judging import generated_items_judge
from generation.services.models import load_generator, load_vae
from generation.services.references import catalog_reference
from generation.vae.sampling import blend, variations

# The first chunk is small so the first items reach the queue at once; later ones grow for throughput.
FIRST_CHUNK, LARGEST_CHUNK = 8, 256


@functools.lru_cache(maxsize=4)
def _generator(model_id: int):
    """A registered version never changes, so its network is loaded once per worker process."""
    return load_generator(GenerativeModel.objects.get(pk=model_id))


@functools.lru_cache(maxsize=2)
def _vae(model_id: int):
    return load_vae(GenerativeModel.objects.get(pk=model_id))


def _photo(product: Product, model: GenerativeModel) -> np.ndarray:
    """The product's first photo, at the model's shape: (H, W, C) uint8."""
    photo = product.images.filter(source=ProductImage.Source.PHOTO).order_by("position", "id").first()
    with default_storage.open(photo.file.name, "rb") as handle:
        return prepare_image(handle.read(), model.resolution, model.channels, model.image_width)


def images_from_photos(
    model: GenerativeModel, products: list[Product], *, count: int, diversity: float = 0.5, seed: int = 0
) -> np.ndarray:
    """A VAE version's variations of one product's photo, or the blend between two products' photos (of one
    category): (count, H, W, C) uint8. Image i is made from seed + i alone (a blend's i-th step)."""
    vae = _vae(model.pk)
    label = model.category_names.index(products[0].category.name)
    photos = [_photo(product, model) for product in products]
    if len(photos) == 1:
        return variations(vae, photos[0], label, count=count, diversity=diversity, seed=seed)
    return blend(vae, photos[0], photos[1], label, steps=count)


def _from_photos(job: SamplingJob, sources: list[Product]) -> list[tuple[GeneratedItem, np.ndarray]]:
    """The job's images from its products' photos, with the SKUs they came from: a resumed job makes only the
    seeds that are missing."""
    model = job.model
    images = images_from_photos(model, sources, count=job.per_category, diversity=job.truncation, seed=job.seed)
    category = sources[0].category
    skus = [product.sku for product in sources]
    return [
        (
            GeneratedItem(
                model=model,
                job=job,
                category=category,
                seed=job.seed + i,
                truncation=job.truncation,
                source_skus=skus,
                generated_by=job.created_by,
            ),
            image,
        )
        for i, image in enumerate(images)
    ]


def sampling_job_run(*, job_id: int) -> SamplingJob | None:
    """Runs a queued job, or resumes a redelivered one: items already made are kept and not made again."""
    job = job_claim(SamplingJob, job_id)
    if job is None:
        return None
    with job_language(job):
        try:
            _make_items(job)
        except JobCancelled:
            job_finish(job, JobStatus.CANCELLED, phase=gettext("cancelled; the items made so far stay in review"))
        except Exception as exc:
            job_fail(job, exc)
            raise
        else:
            job_finish(job, JobStatus.SUCCEEDED, progress=1.0, phase="")
    job.refresh_from_db()
    return job


def _plan(job: SamplingJob) -> list[tuple[str, int]]:
    """(category, seed) of every item; seeds run on across categories, so each item has its own."""
    return [
        (name, job.seed + done * job.per_category + i)
        for done, name in enumerate(job.category_names)
        for i in range(job.per_category)
    ]


def _make_items(job: SamplingJob) -> None:
    model = job.model
    sources = sorted(job.sources.select_related("category"), key=lambda p: p.pk)
    if sources:
        made = set(GeneratedItem.objects.filter(job=job).values_list("seed", flat=True))
        todo = [(item, image) for item, image in _from_photos(job, sources) if item.seed not in made]
        if todo:
            ref = catalog_reference(
                categories=[sources[0].category],
                resolution=model.resolution,
                image_width=model.image_width,
                channels=model.channels,
            )
            items, images = [item for item, _ in todo], np.stack([image for _, image in todo])
            generated_items_judge(items=items, images=images, ref=ref)
            generated_items_store(items=items, images=images)
        job_heartbeat(job, progress=1.0, phase=gettext("made %(count)s") % {"count": f"{job.per_category:,}"})
        return
    categories = {c.name: c for c in Category.objects.filter(name__in=model.category_names)}

    def phase(what: str, done: int, total: int) -> None:
        job_heartbeat(job, phase=f"{phase_said(what)} {done:,}/{total:,}" if total > 1 else phase_said(what))

    ref = catalog_reference(
        categories=list(categories.values()),
        resolution=model.resolution,
        image_width=model.image_width,
        channels=model.channels,
        phase=phase,
    )
    generator = _generator(model.pk)
    plan = _plan(job)
    made = set(GeneratedItem.objects.filter(job=job).values_list("seed", flat=True))
    todo = [(name, seed) for name, seed in plan if seed not in made]
    done, chunk = len(plan) - len(todo), FIRST_CHUNK
    while todo:
        job_stop_if_cancelled(job)
        part, todo = todo[:chunk], todo[chunk:]
        images = sample(
            generator, [model.category_names.index(n) for n, _ in part], [s for _, s in part], job.truncation
        )
        items = [
            GeneratedItem(
                model=model,
                job=job,
                category=categories[name],
                seed=seed,
                truncation=job.truncation,
                generated_by=job.created_by,
            )
            for name, seed in part
        ]
        generated_items_judge(items=items, images=images, ref=ref)
        generated_items_store(items=items, images=images)
        done += len(part)
        job_heartbeat(
            job,
            progress=done / len(plan),
            phase=gettext("made %(done)s of %(total)s") % {"done": f"{done:,}", "total": f"{len(plan):,}"},
        )
        chunk = min(chunk * 2, LARGEST_CHUNK)
