"""Thumbnails are made once per image, by a worker, and stored beside the original."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalog.imaging import make_thumbnail
from catalog.models import ProductImage


def needs_thumbnail(image: ProductImage) -> bool:
    return max(image.width, image.height) > settings.CATALOG_THUMBNAIL_SIZE


def product_image_make_thumbnail(*, image: ProductImage) -> bool:
    """Makes the thumbnail once; a second call (a redelivered task, say) does nothing."""
    if image.thumbnail or not needs_thumbnail(image):
        return False
    size = settings.CATALOG_THUMBNAIL_SIZE
    with image.file.open("rb") as handle:
        thumbnail = make_thumbnail(handle.read(), size=size)
    name = f"thumbnails/{image.sha256[:2]}/{image.sha256}-{size}.webp"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(thumbnail))
    image.thumbnail.name = name
    image.save(update_fields=["thumbnail"])
    return True
