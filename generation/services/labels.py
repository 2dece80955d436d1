"""Generated images stored before the studio labelled them, labelled in place: the review queue's files as they
are, a product's generated image as a new content-addressed file (its name is its hash)."""

from django.core.files.base import ContentFile

from catalog.imaging import check_catalog_image, store_image_file
from catalog.models import ProductImage
from generation.models import GeneratedItem, ReviewDecision
from generation.provenance import provenance_read, provenance_stamp
from generation.services.review import approval_label


def _unlabelled(file) -> bytes | None:
    with file.open("rb") as handle:
        data = handle.read()
    return None if provenance_read(data)["digital_source_type"] else data


def product_image_bytes(image: ProductImage) -> bytes:
    """A photo's file as it is; a generated image's labelled as generated: as stored since it was made, or
    labelled now when it was stored before the studio labelled images."""
    with image.file.open("rb") as handle:
        data = handle.read()
    item = image.generated_item
    if item is None or provenance_read(data)["digital_source_type"]:
        return data
    decision = item.decisions.filter(action=ReviewDecision.Action.APPROVED).order_by("-id").first()
    return provenance_stamp(data, made_by=item.provenance, decision=approval_label(decision) if decision else "")


def generated_images_label() -> int:
    """Labels every generated image whose file does not say it is generated; returns how many it labelled."""
    labelled = 0
    items = GeneratedItem.objects.filter(kind=GeneratedItem.Kind.IMAGE).exclude(image="").select_related("model")
    for item in items.iterator(chunk_size=500):
        data = _unlabelled(item.image)
        if data is not None:
            item.image.storage.delete(item.image.name)
            stamped = ContentFile(provenance_stamp(data, made_by=item.provenance))
            item.image.save(item.image.name.rsplit("/", 1)[-1], stamped, save=False)
            GeneratedItem.objects.filter(pk=item.pk).update(image=item.image.name)  # the file only, not the row
            labelled += 1
    images = ProductImage.objects.filter(source=ProductImage.Source.GENERATED).select_related("generated_item__model")
    for image in images.iterator(chunk_size=500):
        checked = check_catalog_image(product_image_bytes(image))
        if checked.sha256 != image.sha256:
            store_image_file(checked)
            ProductImage.objects.filter(pk=image.pk).update(file=checked.storage_name, sha256=checked.sha256)
            labelled += 1
    return labelled
