from celery import shared_task

from catalog.models import ProductImage
from catalog.thumbnails import product_image_make_thumbnail


@shared_task(acks_late=True)
def product_image_thumbnail_task(image_id: int) -> bool:
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:  # deleted since it was queued: nothing to do
        return False
    return product_image_make_thumbnail(image=image)
