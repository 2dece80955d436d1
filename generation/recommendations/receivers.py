"""What the recommender hears of the catalog: new images get their features from a worker. (What the rows are
served from is made stale explicitly by the services that change it: catalog.services.revision for the
products, serving_changed for rules, pairings and features.)"""

from django.dispatch import receiver

from catalog.models import ProductImage
from catalog.signals import product_images_added
from retail_studio.celery import app as celery_app

FEATURES_TASK = "generation.tasks.image_features_compute_task"
FEATURES_BATCH = 5000  # images per task: a demo catalog of 70,000 is 14 tasks, each stored as it is done


@receiver(product_images_added)
def image_features_enqueue(sender, image_ids: list[int], **kwargs) -> None:
    # Sent after the commit already; by name, so the web never imports the worker's PyTorch.
    for start in range(0, len(image_ids), FEATURES_BATCH):
        celery_app.signature(FEATURES_TASK, args=[image_ids[start : start + FEATURES_BATCH]]).apply_async()


def image_features_missing_enqueue() -> int:
    """Images without features (loaded while no worker listened, or whose task was lost) sent again."""
    missing = list(ProductImage.objects.filter(visual_feature__isnull=True).order_by("id").values_list("id", flat=True))
    image_features_enqueue(ProductImage, image_ids=missing)
    return len(missing)
