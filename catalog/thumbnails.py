"""Thumbnails are made once per image, by a worker, and stored beside the original."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from catalog.imaging import make_thumbnail
from catalog.models import ProductImage

# Photos still without a thumbnail this long after they were committed are sent to a worker again.
THUMBNAIL_GRACE_SECONDS = 120
THUMBNAIL_SWEEP_LIMIT = 1000


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


def thumbnails_missing_ids() -> list[int]:
    """Large photos whose thumbnail task was lost (the broker was down at the commit, say)."""
    size = settings.CATALOG_THUMBNAIL_SIZE
    missing = ProductImage.objects.filter(
        Q(width__gt=size) | Q(height__gt=size),
        thumbnail="",
        created_at__lt=timezone.now() - timedelta(seconds=THUMBNAIL_GRACE_SECONDS),
    )
    return list(missing.order_by("id").values_list("id", flat=True)[:THUMBNAIL_SWEEP_LIMIT])
