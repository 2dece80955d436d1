from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    class Split(models.TextChoices):
        # Generators train on TRAIN photos; TEST photos are held out to measure them.
        TRAIN = "train", _("Train")
        TEST = "test", _("Test")

    sku = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    # The product's Chinese: the catalog's own translation (an import's title_zh, description_zh) or approved copy.
    title_zh = models.CharField(max_length=255, blank=True)
    description_zh = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    attributes = models.JSONField(default=dict, blank=True)
    ad_texts = models.JSONField(default=list, blank=True)  # [{"kind", "text", "language"}]: approved ad texts
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    split = models.CharField(max_length=8, choices=Split.choices, default=Split.TRAIN)
    # Lower-cased SKU and title in one indexed column: search scans this narrow index, not the table.
    search_text = models.CharField(max_length=330, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["search_text"], name="product_search_text"),
            models.Index(fields=["category", "-id"], name="product_category_recent"),
            models.Index(fields=["status", "-id"], name="product_status_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """Also called before bulk_create, which skips save()."""
        return f"{self.sku} {self.title}".lower()


class ProductImage(models.Model):
    class Source(models.TextChoices):
        PHOTO = "photo", _("Photo")
        GENERATED = "generated", _("Generated")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to="products/")
    thumbnail = models.ImageField(upload_to="thumbnails/", blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    mode = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PHOTO)
    generated_item = models.OneToOneField(
        "generation.GeneratedItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_image",
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "source", "position"], name="image_product_source")]

    def __str__(self) -> str:
        return f"{self.product.sku} image {self.pk} ({self.source})"

    @property
    def display_url(self) -> str:
        """The thumbnail when one was made; small images are their own thumbnail."""
        return (self.thumbnail or self.file).url


class ProductCopyRevision(models.Model):
    """One change to a product's copy (title, description or its ad texts), keeping what was there before, so
    it can be reverted. Written with the change, never edited."""

    class Field(models.TextChoices):
        TITLE = "title", _("Title")
        DESCRIPTION = "description", _("Description")
        TITLE_ZH = "title_zh", _("Chinese title")
        DESCRIPTION_ZH = "description_zh", _("Chinese description")
        AD_TEXTS = "ad_texts", _("Ad texts")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="copy_revisions")
    field = models.CharField(max_length=16, choices=Field.choices)
    previous = models.JSONField()
    new = models.JSONField()
    generated_item = models.ForeignKey(
        "generation.GeneratedItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="copy_revisions"
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reverts = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.product.sku} {self.field} #{self.pk}"


class CatalogImport(models.Model):
    """A catalog import sent through the API: its files wait in storage until a worker imports them, all or
    nothing, and writes the report here."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # the report lists the problems; nothing was written

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    csv_file = models.FileField(upload_to="imports/")
    images_file = models.FileField(upload_to="imports/", blank=True)
    csv_name = models.CharField(max_length=255)
    images_name = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # {CSV column: our column or attribute}, as sent
    problems = models.JSONField(default=list, blank=True)  # [{"message", "row", "file"}]
    products_created = models.PositiveIntegerField(default=0)
    images_created = models.PositiveIntegerField(default=0)
    categories_created = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.csv_name} ({self.status})"


class ImportColumnMapping(models.Model):
    """The columns of the shop's last successful import and what each was read as (one row): the next import
    reads the same columns the same way unless the merchandiser maps them otherwise."""

    mapping = models.JSONField(default=dict, blank=True)  # {column, lower-cased: target}
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)


class GlossaryTerm(models.Model):
    """How a language says one of the shop's words: a category's name (field "category") or an attribute's value
    (field "colour", value "navy blue"). Added by admins or brought by an import's `category_zh` and
    `<attribute>_zh` columns; copy and the assistant add these to the glossary the studio ships."""

    class Source(models.TextChoices):
        ADMIN = "admin"
        IMPORT = "import"  # an admin's term is never replaced by a later import's

    language = models.CharField(max_length=8, default="zh")
    field = models.CharField(max_length=40, help_text=_('"category", or an attribute such as colour or season'))
    value = models.CharField(
        max_length=100, help_text=_("as the catalog writes it: a category name, an attribute value")
    )
    text = models.CharField(max_length=100, help_text=_("how the language says it"))
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ADMIN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "field", "value"]
        constraints = [
            models.UniqueConstraint(fields=["language", "field", "value"], name="one_glossary_term_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.field} {self.value} → {self.text} ({self.language})"


class CatalogRevision(models.Model):
    """One row whose token is made anew whenever the active products change as a reader of the catalog sees
    them (a product added, archived or activated, its category or attributes; never its copy), in the same
    transaction as the change: what a process built from the products (recommendations' rows) is rebuilt when
    the token it was built under is no longer the one stored."""

    token = models.PositiveBigIntegerField(default=0)


class AccountSettings(models.Model):
    """A staff member's own settings, kept on the server so they follow the person from browser to browser."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings")
    # The language the dashboard speaks to this person (settings.LANGUAGES: en, zh-hans), "" for the browser's.
    # Not the language of content: copy and answers are written in `en` or `zh`, whatever the dashboard speaks.
    dashboard_language = models.CharField(max_length=8, blank=True)
