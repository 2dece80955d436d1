"""Reads for publishing: which products a selection holds, and the exports made so far."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from django.db.models import BigIntegerField, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category, Product
from catalog.selectors import product_images_ordered, products_matching
from generation.models import CatalogExport, GeneratedItem, PublishChannel
from generation.publishing.mapping import TARGETS
from retail_studio.errors import StudioError

MAX_SKUS = 1000
# Merchant Center lists what is for sale; the shops' CSVs carry drafts too. Archived products stay home.
STATUSES = {"merchant": (Product.Status.ACTIVE,)}
DEFAULT_STATUSES = (Product.Status.ACTIVE, Product.Status.DRAFT)


@dataclass(frozen=True)
class ExportSelection:
    """Which products an export holds; every part given narrows it (none: the whole catalog)."""

    category: int | None = None
    query: str = ""
    skus: tuple[str, ...] = ()
    approved_since: str = ""  # an ISO date: products with content approved on or after it
    copy_job: int | None = None  # a review batch: products whose copy from this job was approved
    sampling_job: int | None = None  # … or whose images from this sampling job were attached

    @classmethod
    def parse(cls, data: dict) -> "ExportSelection":
        """From a form, the API or a command; StudioError naming the part that is wrong."""
        known = {"category", "query", "skus", "approved_since", "copy_job", "sampling_job"}
        if unknown := set(data) - known:
            raise StudioError(
                _("An export selects by %(known)s; not by %(unknown)s.")
                % {"known": ", ".join(sorted(known)), "unknown": ", ".join(sorted(unknown))}
            )
        numbers = {}
        for name in ("category", "copy_job", "sampling_job"):
            value = data.get(name)
            try:
                numbers[name] = int(value) if value not in (None, "") else None
                if numbers[name] is not None and not 1 <= numbers[name] <= BigIntegerField.MAX_BIGINT:
                    raise ValueError(value)  # no row has it; the database would refuse to even look
            except (TypeError, ValueError):
                raise StudioError(
                    _("%(name)s is the number of one, not “%(value)s”.") % {"name": name, "value": value}
                ) from None
        since = str(data.get("approved_since") or "")
        if since:
            try:
                date.fromisoformat(since)
            except ValueError:
                raise StudioError(
                    _("approved_since is a date such as 2026-12-01, not “%(since)s”.") % {"since": since}
                ) from None
        skus = data.get("skus") or ()
        skus = tuple(s.strip() for s in (skus.split(",") if isinstance(skus, str) else skus) if str(s).strip())
        if len(skus) > MAX_SKUS:
            raise StudioError(
                _("Select at most %(max_skus)s products by SKU; a category or a search takes more.")
                % {"max_skus": f"{MAX_SKUS:,}"}
            )
        if numbers["category"] is not None and not Category.objects.filter(pk=numbers["category"]).exists():
            raise StudioError(_("There is no category #%(category)s.") % {"category": numbers["category"]})
        return cls(query=str(data.get("query") or "").strip(), skus=skus, approved_since=since, **numbers)

    def as_dict(self) -> dict:
        return {name: list(value) if name == "skus" else value for name, value in asdict(self).items() if value}

    def label(self) -> str:
        parts = []
        if self.category is not None:
            parts.append(Category.objects.filter(pk=self.category).values_list("name", flat=True).first() or "?")
        if self.query:
            parts.append(f"“{self.query}”")
        if self.skus:
            more = len(self.skus) - 3
            named = ", ".join(self.skus[:3])
            parts.append(_("%(named)s and %(more)s more") % {"named": named, "more": more} if more > 0 else named)
        if self.approved_since:
            parts.append(_("approved since %(date)s") % {"date": self.approved_since})
        if self.copy_job is not None:
            parts.append(_("copy job #%(id)s") % {"id": self.copy_job})
        if self.sampling_job is not None:
            parts.append(_("sampling job #%(id)s") % {"id": self.sampling_job})
        return " · ".join(parts) or _("the whole catalog")


def products_for_export(selection: ExportSelection, *, platform: str) -> QuerySet[Product]:
    products = Product.objects.filter(status__in=STATUSES.get(platform, DEFAULT_STATUSES))
    if selection.category is not None:
        products = products.filter(category_id=selection.category)
    products = products_matching(products, selection.query)
    if selection.skus:
        products = products.filter(sku__in=selection.skus)
    approved = GeneratedItem.ReviewState.APPROVED
    if selection.approved_since:
        since = timezone.make_aware(datetime.combine(date.fromisoformat(selection.approved_since), time.min))
        copy = Q(copy_items__review_state=approved, copy_items__decided_at__gte=since)
        images = Q(images__generated_item__review_state=approved, images__generated_item__decided_at__gte=since)
        products = products.filter(pk__in=Product.objects.filter(copy | images).values("pk"))
    if selection.copy_job is not None:
        batch = Product.objects.filter(copy_items__copy_job_id=selection.copy_job, copy_items__review_state=approved)
        products = products.filter(pk__in=batch.values("pk"))
    if selection.sampling_job is not None:
        products = products.filter(
            pk__in=Product.objects.filter(images__generated_item__job_id=selection.sampling_job).values("pk")
        )
    return products.order_by("id")


def products_for_export_loaded(products: QuerySet[Product]) -> QuerySet[Product]:
    """With their category and their gallery (photos first, then approved generated images) as `all_images`."""
    return products.select_related("category").prefetch_related(
        Prefetch("images", queryset=product_images_ordered(), to_attr="all_images")
    )


def publish_channel(platform: str) -> PublishChannel:
    """The platform's saved channel, or an unsaved one with the defaults."""
    return PublishChannel.objects.filter(platform=platform).first() or PublishChannel(platform=platform)


def publish_channels() -> list[PublishChannel]:
    return [publish_channel(platform) for platform in TARGETS]


def exports_recent(limit: int = 30) -> QuerySet[CatalogExport]:
    return CatalogExport.objects.select_related("created_by").order_by("-id")[:limit]
