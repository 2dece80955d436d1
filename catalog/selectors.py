"""Catalog reads shared by pages, the API and the generation app."""

import hashlib
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, Max, Prefetch, QuerySet, When

from catalog.models import Category, Product, ProductCopyRevision, ProductImage


def categories_all() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def categories_largest(count: int) -> list[Category]:
    """The `count` categories with the most products, largest first."""
    return list(Category.objects.annotate(size=Count("products")).order_by("-size", "name")[:count])


def products_for_listing(*, category_id: int | None = None, query: str = "", status: str = "") -> QuerySet[Product]:
    products = Product.objects.select_related("category").only(
        "id", "sku", "title", "status", "category__name", "created_at"
    )
    if category_id:
        products = products.filter(category_id=category_id)
    if status:
        products = products.filter(status=status)
    products = products_matching(products, query)
    return products.order_by("-id").prefetch_related(photos_prefetch())


def photos_prefetch() -> Prefetch:
    """A product's photos as `photos`, for tiles that show the first: one extra query for a whole page."""
    photos = ProductImage.objects.filter(source=ProductImage.Source.PHOTO).only(
        "id", "product_id", "file", "thumbnail", "position"
    )
    return Prefetch("images", queryset=photos, to_attr="photos")


# How long a listing's count is reused: paging through one search counts its matches once, not per page.
LISTING_COUNT_SECONDS = 30


class ListingPaginator(Paginator):
    """Counts a listing (a full scan for a word search) once per LISTING_COUNT_SECONDS for the same filters;
    a new product (a higher newest id, an index lookup) counts afresh at once."""

    def __init__(self, object_list, per_page, *, filters: dict):
        super().__init__(object_list, per_page)
        newest = Product.objects.aggregate(newest=Max("id"))["newest"]
        described = repr(sorted(filters.items())).encode()
        self.count_key = f"catalog:listing_count:{newest}:{hashlib.sha256(described).hexdigest()[:32]}"

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(self.count_key, self.object_list.count, LISTING_COUNT_SECONDS)


def products_matching(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products whose SKU or title holds every word of the query (five at most), for the pages and the API."""
    for word in query.lower().split()[:5]:
        products = products.filter(search_text__contains=word)
    return products


def product_with_images(*, product_id: int) -> Product:
    """Photos first, then the approved generated images with what made them. Rejected items never have a
    product image (approval is the only way one is made), so they never show here."""
    return (
        Product.objects.select_related("category")
        .prefetch_related(Prefetch("images", queryset=product_images_ordered(), to_attr="all_images"))
        .get(pk=product_id)
    )


def product_images_ordered() -> QuerySet[ProductImage]:
    """A product's gallery: photos first, then approved generated images with what made them."""
    return ProductImage.objects.select_related("generated_item__model", "generated_item__decided_by").order_by(
        Case(When(source=ProductImage.Source.PHOTO, then=0), default=1), "position", "id"
    )


def product_copy_history(*, product_id: int, limit: int = 20) -> list[ProductCopyRevision]:
    """The newest changes to a product's copy, with who made them and which generated text they came from."""
    return list(copy_revisions_recent(product_id=product_id, limit=limit))


def copy_revisions_recent(*, product_id: int | None = None, limit: int = 20) -> QuerySet[ProductCopyRevision]:
    """The newest `limit` copy revisions (of each product, when prefetched), with who made them and from what."""
    revisions = ProductCopyRevision.objects.select_related(
        "made_by", "reverts", "generated_item__model", "generated_item__decided_by"
    )
    if product_id is not None:
        revisions = revisions.filter(product_id=product_id)
    return revisions.order_by("-id")[:limit]


def product_shop_descriptions(product: Product) -> dict[str, str]:
    """The product's descriptions as the shop wrote them, per language ("en", "zh"): a description that approved
    generated copy replaced is read as it was before, so copy never learns its facts from its own earlier texts."""
    own = {"en": product.description, "zh": product.description_zh}
    fields = {ProductCopyRevision.Field.DESCRIPTION: "en", ProductCopyRevision.Field.DESCRIPTION_ZH: "zh"}
    revisions = product.copy_revisions.filter(field__in=list(fields)).order_by("-id")
    settled = set()
    for revision in revisions.only("field", "previous", "generated_item_id"):
        language = fields[revision.field]
        if language in settled:
            continue
        if revision.generated_item_id is None:
            settled.add(language)  # a person wrote what follows
        else:
            own[language] = revision.previous if isinstance(revision.previous, str) else ""
    return own
