"""Writes to a product's copy: each change keeps what was there before, so it can be reverted."""

from django.db import transaction
from django.utils.translation import gettext

from catalog.models import Product, ProductCopyRevision
from retail_studio.errors import StudioError

# Where each kind of copy lives on a product, per language: Chinese copy is the product's Chinese, never its
# English title or description.
FIELD_OF_KIND = {
    "title": ProductCopyRevision.Field.TITLE,
    "description": ProductCopyRevision.Field.DESCRIPTION,
    "description_long": ProductCopyRevision.Field.DESCRIPTION,
    "ad_headline": ProductCopyRevision.Field.AD_TEXTS,
    "ad_description": ProductCopyRevision.Field.AD_TEXTS,
}
FIELD_OF_KIND_ZH = {
    "title": ProductCopyRevision.Field.TITLE_ZH,
    "description": ProductCopyRevision.Field.DESCRIPTION_ZH,
    "description_long": ProductCopyRevision.Field.DESCRIPTION_ZH,
}


def copy_field_of(kind: str, language: str = "en") -> str:
    """The product's field a kind of copy in `language` is written to."""
    return (FIELD_OF_KIND_ZH if language == "zh" else {}).get(kind) or FIELD_OF_KIND[kind]


def _set(product: Product, field: str, value) -> None:
    setattr(product, field, value)
    product.save(update_fields=[field, "updated_at"])


@transaction.atomic
def product_copy_apply(
    *, product: Product, kind: str, text: str, user=None, generated_item=None, language: str = "en"
) -> ProductCopyRevision:
    """A title or description replaces the current one in its language; an ad text joins the product's list of
    ad texts, with its language."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    field = copy_field_of(kind, language)
    previous = getattr(product, field)
    ad = {"kind": kind, "text": text, "language": language}
    new = [*previous, ad] if field == ProductCopyRevision.Field.AD_TEXTS else text
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
        raise StudioError(
            gettext("The %(field)s changed since; revert the newer change first.")
            % {"field": revision.get_field_display().lower()}
        )
    _set(product, revision.field, revision.previous)
    return ProductCopyRevision.objects.create(
        product=product, field=revision.field, previous=current, new=revision.previous, reverts=revision, made_by=user
    )
