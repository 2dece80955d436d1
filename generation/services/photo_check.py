"""The photo check: every active product's photo in a VAE version's categories, scored under it
(generation/vae/photo_check.py), the most unusual first, each with a reason a merchandiser can act on: fix the
category ("looks like a Sandal") or look at the photo ("unlike every Coat")."""

from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from catalog.models import Category, Product, ProductImage
from generation.gan.data import dataset_key, load_cached_dataset
from generation.gan.metrics.classifier import classify
from generation.models import GenerativeModel, PhotoCheck
from generation.models.registry import photo_check_reason
from generation.services.models import load_vae
from generation.services.references import catalog_reference
from generation.vae.photo_check import photo_check

ROWS_KEPT = 500  # the page shows the most unusual; the command prints every photo
UNLIKE = 3.0  # a photo this many times as far from its category's as the typical one is unlike every one of them


def photo_check_run(*, check_id: int) -> PhotoCheck:
    """Runs a requested check and stores its most unusual photos (or why it failed): in a worker."""
    check = PhotoCheck.objects.select_related("model").get(pk=check_id)
    try:
        rows = photos_check(model=check.model)
    except Exception as exc:
        PhotoCheck.objects.filter(pk=check.pk).update(error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
        raise
    PhotoCheck.objects.filter(pk=check.pk).update(rows=rows[:ROWS_KEPT], photos=len(rows), finished_at=timezone.now())
    check.refresh_from_db()
    return check


def photos_check(*, model: GenerativeModel, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """[{"sku", "category", "score", "reason"}] for each active product's first photo, most unusual first."""
    vae = load_vae(model)
    label_of = {name: i for i, name in enumerate(model.category_names)}
    photos = (
        ProductImage.objects.filter(
            source=ProductImage.Source.PHOTO,
            product__status=Product.Status.ACTIVE,
            product__category__name__in=model.category_names,
        )
        .order_by("product_id", "position", "id")
        .values_list("file", "sha256", "product__category__name", "product__sku")
    )
    by_product: dict[str, tuple] = {}
    for row in photos:  # each product's first photo, in product order
        by_product.setdefault(row[3], row)
    first = list(by_product.values())
    if not first:
        return []

    def read(i: int) -> tuple[bytes, int]:
        with default_storage.open(first[i][0], "rb") as handle:
            return handle.read(), label_of[first[i][2]]

    shape = {"resolution": model.resolution, "image_width": model.image_width, "channels": model.channels}
    images, labels = load_cached_dataset(
        cache_dir=settings.GAN_WORK_DIR / "datasets",
        key=dataset_key(
            [f"{p[1]}:{label_of[p[2]]}" for p in first], model.resolution, model.channels, model.image_width
        ),
        count=len(first),
        read=read,
        progress=progress,
        **shape,
    )
    # The catalog's frozen metrics classifier of these categories (label i is category i, as the model's).
    categories = sorted(Category.objects.filter(name__in=model.category_names), key=lambda c: c.name)
    classifier = catalog_reference(categories=categories, **shape).reference.classifier
    scores = photo_check(vae, images, labels, classify(classifier, images)[2])
    typical = sorted(s.distance for s in scores)[len(scores) // 2] or 1.0
    checked = []
    for score in scores:
        _, _, category, sku = first[score.index]
        row = {"sku": sku, "category": category, "score": score.score}
        if score.looks_like is not None:
            row |= {"why": "looks_like", "like": model.category_names[score.looks_like]}
        else:
            row["why"] = "unlike" if score.distance >= UNLIKE * typical else "typical"
        with translation.override("en"):
            checked.append(row | {"reason": photo_check_reason(row)})
    return checked
