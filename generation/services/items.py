"""Generated items: stored as they are made; a training preview's tile sent to review. A worker judges them
(judging.py)."""

import io

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext
from PIL import Image

from catalog.imaging import png_of_array
from generation.models import GeneratedItem, TrainingJob
from generation.provenance import provenance_stamp
from retail_studio.celery import app as celery_app
from retail_studio.errors import StudioError


def channels_last(array: np.ndarray) -> np.ndarray:
    """(H, W) grey or (H, W, C) pixels as (H, W, C), the engine's layout."""
    return array[:, :, None] if array.ndim == 2 else array


def generated_items_store(*, items: list[GeneratedItem], images: np.ndarray) -> list[GeneratedItem]:
    """Writes each image's file, labelled as generated, and all rows in one transaction: they reach the review
    queue together."""
    for item, image in zip(items, images, strict=True):
        origin = f"{item.model.name}-v{item.model.version}" if item.model else f"job-{item.training_job_id}"
        stamped = provenance_stamp(png_of_array(image), made_by=item.provenance)
        item.image.save(f"{origin}-{item.seed}.png", ContentFile(stamped), save=False)
    with transaction.atomic():
        return GeneratedItem.objects.bulk_create(items)


# A training preview grid has a row per category (in name order) and this many columns, seeds 0, 1, … row by row.
PREVIEW_COLUMNS = 8
JUDGE_TASK = "generation.tasks.generated_items_judge_task"


@transaction.atomic
def training_preview_send_to_review(*, job: TrainingJob, grid_name: str, row: int, column: int, user) -> GeneratedItem:
    """Puts one tile of a running job's latest sample grid into the review queue, as "job #N at step S". The
    grid the reviewer saw is named, so a newer one drawn meanwhile cannot swap the image."""
    job = TrainingJob.objects.select_for_update().get(pk=job.pk)
    if not job.preview_grid or job.preview_grid.name != grid_name:
        raise StudioError(gettext("Newer samples have arrived since the page showed these; pick one of the new ones."))
    categories = sorted(job.categories.all(), key=lambda c: c.name)
    with job.preview_grid.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as grid:
        grid.load()
    width, height = grid.width // PREVIEW_COLUMNS, grid.height // max(1, len(categories))
    if not (0 <= row < len(categories) and 0 <= column < PREVIEW_COLUMNS):
        raise StudioError(gettext("There is no such sample in the grid."))
    tile = (column * width, row * height, (column + 1) * width, (row + 1) * height)
    image = channels_last(np.asarray(grid.crop(tile)))
    item = GeneratedItem(
        training_job=job, training_step=job.preview_step or job.step, category=categories[row],
        seed=row * PREVIEW_COLUMNS + column, generated_by=user,
    )  # fmt: skip
    (item,) = generated_items_store(items=[item], images=image[None])
    # Judged by a worker, which keeps the catalog reference; the item waits in the queue meanwhile.
    transaction.on_commit(lambda: celery_app.signature(JUDGE_TASK, args=[[item.pk]]).apply_async(), robust=True)
    return item
