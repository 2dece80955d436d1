"""What the recommender hears of the catalog: new images get their features from a worker, and a product or
a pairing that changes makes every web process rebuild what it serves from."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Product, ProductImage
from catalog.signals import product_images_added
from generation.recommendations.models import CategoryPairing
from generation.recommendations.snapshot import serving_changed
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


@receiver([post_save, post_delete], sender=Product)
@receiver([post_save, post_delete], sender=CategoryPairing)
def catalog_changed(sender, **kwargs) -> None:
    serving_changed(catalog=True)
