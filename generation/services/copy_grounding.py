"""Grounding of copy against the catalog: the shipped vocabularies plus the admins' terms, and the checks of
the catalog's own titles and descriptions (the copy-health page, `manage.py copy_check`)."""

from dataclasses import dataclass

from django.db.models import Count, Max

from catalog.models import Product
from generation.copy.grounding import Vocabulary, check_copy
from generation.models import CopyTerm
from generation.services.process_cache import ProcessCache

# The copy-health page checks at most this many products per view (newest first); a category narrows it.
HEALTH_SCAN_LIMIT = 5000

_vocabulary: ProcessCache[Vocabulary] = ProcessCache(size=1)


def copy_vocabulary() -> Vocabulary:
    """Rebuilt only when the admins' terms change (one aggregate query says)."""
    state = tuple(CopyTerm.objects.aggregate(Count("id"), Max("updated_at")).values())
    return _vocabulary.get(state, lambda: Vocabulary.load(extra=CopyTerm.objects.values_list("term", "field", "value")))


def product_copy_flags(
    *, product: Product, kind: str, text: str, keywords=(), banned=(), vocabulary: Vocabulary | None = None
) -> list[dict]:
    """The grounding rules `text` breaks as `kind` copy of `product`."""
    return check_copy(
        text=text, kind=kind, category=product.category.name, attributes=product.attributes or {},
        keywords=keywords, banned=banned, vocabulary=vocabulary or copy_vocabulary(),
    )  # fmt: skip


def copy_check_one(*, entry: dict, vocabulary: Vocabulary) -> list[dict]:
    """Checks one {"kind", "category", "attributes", "text", "keywords"?, "banned"?} entry."""
    return check_copy(
        text=str(entry["text"]), kind=str(entry["kind"]), category=str(entry["category"]),
        attributes=dict(entry.get("attributes") or {}), keywords=list(entry.get("keywords") or []),
        banned=list(entry.get("banned") or []), vocabulary=vocabulary,
    )  # fmt: skip


@dataclass
class FlaggedProduct:
    product: Product
    title_flags: list[dict]
    description_flags: list[dict]


def products_with_flagged_copy(*, category_id: int | None = None) -> tuple[list[FlaggedProduct], int]:
    """The products whose current title or description breaks a grounding rule, and how many were checked."""
    vocabulary = copy_vocabulary()
    products = Product.objects.select_related("category").only(
        "id", "sku", "title", "description", "attributes", "category__name"
    )
    if category_id:
        products = products.filter(category_id=category_id)
    flagged, checked = [], 0
    for product in products.order_by("-id")[:HEALTH_SCAN_LIMIT]:
        checked += 1
        title = product_copy_flags(product=product, kind="title", text=product.title, vocabulary=vocabulary)
        description = product_copy_flags(
            product=product, kind="description_long", text=product.description, vocabulary=vocabulary
        )
        if title or description:
            flagged.append(FlaggedProduct(product, title, description))
    return flagged, checked
