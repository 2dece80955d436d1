from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from generation.models.jobs import Job


class Platform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    MERCHANT = "merchant", "Google Merchant Center"


class ExportFormat(models.TextChoices):
    SHOPIFY = "shopify", _("Shopify product CSV")
    SHOPIFY_LEGACY = "shopify_legacy", _("Shopify product CSV, legacy columns")
    WOOCOMMERCE = "woocommerce", _("WooCommerce product CSV")
    MERCHANT = "merchant", _("Google Merchant Center feed")


class PublishChannel(models.Model):
    """How one platform gets the shop's content, as the merchandiser saved it: which copy goes to which of its
    fields (the same mapping for every language), and where the shop's images and product pages live."""

    platform = models.CharField(max_length=16, choices=Platform.choices, unique=True)
    mapping = models.JSONField(default=dict, blank=True)  # {platform field: copy source}; missing: the default
    chinese = models.BooleanField(default=True, help_text=_("write the Chinese copy as a second file"))
    media_base_url = models.URLField(
        blank=True, help_text=_("where the shop serves the images zip's files (https://cdn.example.com/products/)")
    )
    product_url = models.CharField(
        max_length=300, blank=True, help_text=_("a product's page on the shop, with {handle} or {sku}")
    )
    vendor = models.CharField(max_length=100, blank=True, help_text=_("the brand the shop sells under"))
    currency = models.CharField(max_length=3, default="USD", help_text=_("of the catalog's prices (ISO 4217)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.get_platform_display()


class CatalogExport(Job):
    """One export of a selection of products to a platform's files, run by a worker: who asked, what, the copy
    it carried (each product's revision of each field) and the files it wrote, or the problems that stopped it."""

    format = models.CharField(max_length=16, choices=ExportFormat.choices)
    selection = models.JSONField(default=dict)  # as asked: category, query, skus, approved_since, copy/sampling job
    selection_label = models.CharField(max_length=300, blank=True)
    channel = models.JSONField(default=dict)  # the channel's mapping and addresses when it ran
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    product_count = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=list, blank=True)  # [{"name", "path", "kind", "bytes", "rows"}]
    problems = models.JSONField(default=list, blank=True)  # [{"file", "row", "column", "message"}]
    problems_total = models.PositiveIntegerField(default=0)
    copy_versions = models.JSONField(default=dict, blank=True)  # {sku: {copy source: revision id}}

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Export #{self.pk} {self.get_format_display()} ({self.status})"
