"""Writes to products: their images, thumbnails after commit, draft products made in review."""

import uuid

from django.db import transaction

from catalog.imaging import (
    CheckedImage,
)
from catalog.models import Category, Product, ProductImage
from catalog.tasks import product_image_thumbnail_task
from catalog.thumbnails import needs_thumbnail
from retail_studio.errors import StudioError


def product_image_build(
    *, product: Product, image: CheckedImage, source: str = ProductImage.Source.PHOTO, position: int = 0, **extra
) -> ProductImage:
    """An unsaved ProductImage for a stored file; callers save it alone or in bulk."""
    return ProductImage(
        product=product,
        file=image.storage_name,
        width=image.width,
        height=image.height,
        mode=image.mode,
        sha256=image.sha256,
        source=source,
        position=position,
        **extra,
    )


def thumbnails_after_commit(images: list[ProductImage]) -> None:
    """Large photos get a thumbnail from a worker once the rows are committed; small ones are their own.
    Robust: a broker that is down then is logged, never undoes the commit; the sweep sends them later."""
    ids = [image.pk for image in images if needs_thumbnail(image)]
    if ids:
        transaction.on_commit(lambda: [product_image_thumbnail_task.delay(image_id) for image_id in ids], robust=True)


def product_draft_create(*, category: Category, title: str) -> Product:
    """A new draft product, made by a reviewer who attaches an approved generated image to it."""
    title = title.strip()
    if not title:
        raise StudioError("Give the new product a title.")
    if len(title) > Product._meta.get_field("title").max_length:
        raise StudioError("That title is too long.")
    return Product.objects.create(
        sku=f"DRAFT-{uuid.uuid4().hex[:10].upper()}", title=title, category=category, status=Product.Status.DRAFT
    )
