"""Writes to a product's copy: each change keeps what was there before, so it can be reverted."""

from django.db import transaction

from catalog.models import Product, ProductCopyRevision
from retail_studio.errors import StudioError

# Where each kind of copy lives on a product.
FIELD_OF_KIND = {
    "title": ProductCopyRevision.Field.TITLE,
    "description": ProductCopyRevision.Field.DESCRIPTION,
    "description_long": ProductCopyRevision.Field.DESCRIPTION,
    "ad_headline": ProductCopyRevision.Field.AD_TEXTS,
    "ad_description": ProductCopyRevision.Field.AD_TEXTS,
}


def _set(product: Product, field: str, value) -> None:
    setattr(product, field, value)
    product.save(update_fields=[field, "updated_at"])


@transaction.atomic
def product_copy_apply(
    *, product: Product, kind: str, text: str, user=None, generated_item=None
) -> ProductCopyRevision:
    """A title or description replaces the current one; an ad text joins the product's list of ad texts."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    field = FIELD_OF_KIND[kind]
    previous = getattr(product, field)
    new = [*previous, {"kind": kind, "text": text}] if field == ProductCopyRevision.Field.AD_TEXTS else text
    _set(product, field, new)
    return ProductCopyRevision.objects.create(
        product=product, field=field, previous=previous, new=new, generated_item=generated_item, made_by=user
    )


@transaction.atomic
def product_copy_revert(*, revision: ProductCopyRevision, user=None) -> ProductCopyRevision:
    """Puts back what `revision` replaced, as a revision of its own; refused when the field changed since."""
    product = Product.objects.select_for_update().get(pk=revision.product_id)
    current = getattr(product, revision.field)
    if current != revision.new:
        raise StudioError(f"The {revision.get_field_display().lower()} changed since; revert the newer change first.")
    _set(product, revision.field, revision.previous)
    return ProductCopyRevision.objects.create(
        product=product, field=revision.field, previous=current, new=revision.previous, reverts=revision, made_by=user
    )
