"""What a reviewer judges a generated image by: its nearest catalog photos, whether it may be a copy of one,
and the classifier's category. Needs the catalog reference (PyTorch), so it runs in a worker."""

import io

import numpy as np
from PIL import Image

from generation.gan.metrics.metric_main import judge_images
from generation.models import GeneratedItem
from generation.services.items import channels_last
from generation.services.references import CatalogReference, catalog_reference

NEAREST_SHOWN = 3
JUDGED_FIELDS = [
    "nearest_products", "nearest_pixel_distance", "nearest_feature_distance", "copy_threshold", "possible_copy",
    "predicted_category", "predicted_confidence",
]  # fmt: skip


def generated_items_judge(*, items: list[GeneratedItem], images: np.ndarray, ref: CatalogReference) -> None:
    """Fills each item's nearest catalog photos, possible-copy flag and the classifier's opinion (unsaved)."""
    judged = judge_images(ref.reference, images, k=NEAREST_SHOWN)
    product_of = ref.data.train_product_ids
    names = [c.name for c in ref.data.categories]
    threshold = ref.copy_threshold
    for i, item in enumerate(items):
        distances = judged["pixel_distance"][i]
        item.nearest_products = [
            {"product_id": product_of[int(index)], "distance": round(float(distance), 5)}
            for index, distance in zip(judged["pixel_index"][i], distances, strict=True)
        ]
        item.nearest_pixel_distance = float(distances[0])
        item.nearest_feature_distance = float(judged["feature_distance"][i])
        item.copy_threshold = threshold
        item.possible_copy = bool(distances[0] < threshold)
        item.predicted_category = names[int(judged["prediction"][i])]
        item.predicted_confidence = round(float(judged["confidence"][i]), 4)


def generated_items_judge_stored(*, item_ids: list[int]) -> int:
    """Judges stored items that were made without it (tiles sent from a training job)."""
    items = list(GeneratedItem.objects.filter(pk__in=item_ids, predicted_category="").select_related("category"))
    by_job: dict[int, list[GeneratedItem]] = {}
    for item in items:
        by_job.setdefault(item.training_job_id, []).append(item)
    for job_items in by_job.values():
        images = []
        for item in job_items:
            with item.image.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as stored:
                images.append(channels_last(np.asarray(stored)))
        stack = np.stack(images)
        job = job_items[0].training_job
        ref = catalog_reference(
            categories=sorted(job.categories.all(), key=lambda c: c.name),
            resolution=stack.shape[1],
            image_width=stack.shape[2],
            channels=stack.shape[3],
        )
        generated_items_judge(items=job_items, images=stack, ref=ref)
        GeneratedItem.objects.bulk_update(job_items, JUDGED_FIELDS)
    return len(items)
