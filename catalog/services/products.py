"""Writes to products: their images (and what follows their arrival), draft products made in review."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from catalog.imaging import CheckedImage, ImageRejected, check_catalog_image, store_image_file
from catalog.models import Category, Product, ProductImage
from catalog.services.product_copy import product_copy_apply
from catalog.services.revision import catalog_revised
from catalog.signals import product_images_added
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


def product_images_arrived(images: list[ProductImage]) -> None:
    """Once the rows are committed: large photos get a thumbnail from a worker (small ones are their own), and
    whoever listens hears of the new images (the recommender computes their features). Robust: a broker that
    is down then is logged, never undoes the commit; the sweeps send them later."""
    ids = [image.pk for image in images if needs_thumbnail(image)]
    if ids:
        transaction.on_commit(lambda: [product_image_thumbnail_task.delay(image_id) for image_id in ids], robust=True)
    added = [image.pk for image in images]
    if added:
        transaction.on_commit(lambda: product_images_added.send(sender=ProductImage, image_ids=added), robust=True)


def product_draft_create(*, category: Category, title: str) -> Product:
    """A new draft product, made by a reviewer who attaches an approved generated image to it."""
    title = title.strip()
    if not title:
        raise StudioError(gettext("Give the new product a title."))
    if len(title) > Product._meta.get_field("title").max_length:
        raise StudioError(gettext("That title is too long."))
    return Product.objects.create(
        sku=f"DRAFT-{uuid.uuid4().hex[:10].upper()}", title=title, category=category, status=Product.Status.DRAFT
    )


# Product fields the API may set directly; title and description go through the copy history instead.
PLAIN_FIELDS = ("sku", "category", "attributes", "status", "split")
# ... and those that change what the catalog's readers serve (a copy change changes none of it).
SERVED_FIELDS = {"category", "attributes", "status"}
# The product's copy fields, as the kind and language of copy written there: changes to them are revisions.
COPY_FIELDS = {
    "title": ("title", "en"),
    "description": ("description", "en"),
    "title_zh": ("title", "zh"),
    "description_zh": ("description", "zh"),
}


@transaction.atomic
def product_create(*, sku: str, title: str, category: Category, **fields) -> Product:
    if Product.objects.filter(sku=sku).exists():
        raise StudioError(gettext("SKU %(sku)s already exists in the catalog.") % {"sku": sku})
    product = Product.objects.create(sku=sku, title=title, category=category, **fields)
    catalog_revised()
    return product


@transaction.atomic
def product_update(*, product: Product, user=None, **changes) -> Product:
    """Plain fields are set; a new title or description is a copy revision, so it can be reverted."""
    if "sku" in changes and Product.objects.filter(sku=changes["sku"]).exclude(pk=product.pk).exists():
        raise StudioError(gettext("SKU %(sku)s already exists in the catalog.") % {"sku": changes["sku"]})
    plain = {field: value for field, value in changes.items() if field in PLAIN_FIELDS}
    if plain:
        for field, value in plain.items():
            setattr(product, field, value)
        product.save(update_fields=[*plain, "updated_at"])
        if SERVED_FIELDS & set(plain):
            catalog_revised()
    for field, (kind, language) in COPY_FIELDS.items():
        if field in changes and changes[field] != getattr(product, field):
            product_copy_apply(product=product, kind=kind, text=changes[field], user=user, language=language)
    product.refresh_from_db()
    return product


def upload_read(upload) -> bytes:
    """An uploaded image's bytes, reading no more than one byte past the limit (which the check refuses)."""
    return upload.read(settings.CATALOG_MAX_IMAGE_BYTES + 1)


def product_image_add(*, product: Product, data: bytes) -> ProductImage:
    """An uploaded photo, through the same checks as the import's images; it joins the end of the gallery."""
    try:
        image = check_catalog_image(data)
    except ImageRejected as exc:
        raise StudioError(gettext("The file %(problem)s.") % {"problem": exc}) from None
    with transaction.atomic():
        store_image_file(image)
        photo = product_image_build(product=product, image=image, position=product.images.count())
        photo.save()
        product_images_arrived([photo])
    return photo
