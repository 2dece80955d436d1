"""The catalog's products as export records for one platform and language: the copy the channel maps to each
field (and whether it is generated), the product's images under the names the files refer to them by, and which
revision of each text went out."""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from catalog.models import Product, ProductCopyRevision, ProductImage
from generation.copy.planning import Fact
from generation.copy.realisation import PhraseBank
from generation.exports.records import ExportImage, ExportProduct, handle_of
from generation.publishing.mapping import APPROVED_KIND, FALLBACK, REQUIRED, mapping_complete

TEXT_FIELDS = {("title", "en"): "title", ("description", "en"): "description"}
TEXT_FIELDS |= {("title", "zh"): "title_zh", ("description", "zh"): "description_zh"}
TAG_ATTRIBUTES = ("season", "usage", "pattern")


@dataclass
class Built:
    """What one language's records carry besides themselves."""

    records: list[ExportProduct] = field(default_factory=list)
    copy_versions: dict[str, dict[str, int]] = field(default_factory=dict)  # {sku: {source: revision id}}
    images: dict[str, ProductImage] = field(default_factory=dict)  # {file name: image}


def _latest_revisions(product_ids: list[int]) -> dict[tuple[int, str], ProductCopyRevision]:
    """Each product's newest revision of each copy field."""
    latest: dict[tuple[int, str], ProductCopyRevision] = {}
    revisions = ProductCopyRevision.objects.filter(product_id__in=product_ids).only(
        "id", "product_id", "field", "new", "generated_item_id"
    )
    for revision in revisions.order_by("-id").iterator(chunk_size=2000):
        latest.setdefault((revision.product_id, revision.field), revision)
    return latest


def _approved_texts(product_ids: list[int], sources: set[str]) -> dict[tuple[int, str, str], tuple[str, int]]:
    """(product, source, language) -> (text, revision) of the newest approved copy of each kind the sources read,
    as approved (a reviewer's edit included) and not reverted since."""
    kinds = {APPROVED_KIND[source]: source for source in sources if source in APPROVED_KIND}
    if not kinds:
        return {}
    rows = (
        ProductCopyRevision.objects.filter(
            product_id__in=product_ids, generated_item__copy_kind__in=kinds, reverted_by__isnull=True
        )
        .order_by("-id")
        .values_list("product_id", "generated_item__copy_kind", "generated_item__language", "new", "id")
    )
    texts: dict[tuple[int, str, str], tuple[str, int]] = {}
    for product_id, kind, language, text, revision_id in rows.iterator(chunk_size=2000):
        texts.setdefault((product_id, kinds[kind], language), (text, revision_id))
    return texts


class _ProductCopy:
    """One product's texts in one language, by source, and the revision each came from."""

    def __init__(
        self, product: Product, language: str, revisions: dict, approved: dict, mapping: dict, required: tuple
    ):
        self.product, self.language, self.revisions, self.approved = product, language, revisions, approved
        self.mapping, self.required = mapping, required
        self.used: dict[str, int] = {}

    def text(self, source: str) -> tuple[str, bool]:
        """(text, generated) of a source; ("", False) for nothing."""
        if not source:
            return "", False
        if source in APPROVED_KIND:
            text, revision_id = self.approved.get((self.product.pk, source, self.language), ("", 0))
            if text:
                self.used[source] = revision_id
            return text, bool(text)
        if source.startswith("ad_"):
            ads = [ad for ad in self.product.ad_texts if ad["kind"] == source and ad["language"] == self.language]
            revision = self.revisions.get((self.product.pk, ProductCopyRevision.Field.AD_TEXTS))
            if ads and revision is not None:
                self.used[source] = revision.pk
            return (ads[-1]["text"], True) if ads else ("", False)
        field_name = TEXT_FIELDS[(source, self.language)]
        value = getattr(self.product, field_name)
        revision = self.revisions.get((self.product.pk, field_name))
        if revision is not None and value:
            self.used[source] = revision.pk
        # Generated when the text is still the approved copy the newest revision wrote.
        return value, bool(revision and revision.generated_item_id and revision.new == value)

    def field_text(self, target: str) -> tuple[str, bool]:
        """The text the channel maps to a platform's field; a required one falls back to the product's own."""
        text, generated = self.text(self.mapping.get(target, ""))
        if not text and target in self.required:
            text, generated = self.text(FALLBACK[target])
        return text, generated


class _Words:
    """The catalog's own words (a category, a season, a colour) as the file's language says them, from the copy's
    glossary (the studio's and the admins'): a word the glossary lacks is left out of a Chinese file rather than
    written in English, except a category, which stays the shop's name for it."""

    def __init__(self, language: str, bank: PhraseBank | None):
        self.language, self.bank = language, bank

    def category(self, name: str) -> str:
        if self.language == "en":
            return name
        noun = self.bank.nouns(name)[0]
        return name if noun == self.bank.data.get("fallback_noun") else noun

    def value(self, field: str, value: str) -> str:
        if self.language == "en" or not value:
            return value
        return self.bank.word(Fact(field, value.lower())) or ""


def _tree(product: Product, language: str) -> tuple[str, ...]:
    """The shop's own tree above the category (the fashion shop's master and sub category), in English only:
    the glossary names categories, not the tree's branches."""
    branches = [str(product.attributes.get(name) or "") for name in ("master_category", "sub_category")]
    parts = [part for part in (*branches, product.category.name) if part]
    parts = [part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1]]
    return tuple(parts) if language == "en" and len(parts) > 1 else ()


def _handles(products: list[Product]) -> dict[int, str]:
    """A stable handle per product from its SKU (the title may change; the handle must not), made unique."""
    handles: dict[int, str] = {}
    taken: set[str] = set()
    for product in sorted(products, key=lambda p: p.pk):
        handle = handle_of(product.sku) or f"product-{product.pk}"
        if handle in taken:
            handle = f"{handle}-{product.pk}"
        taken.add(handle)
        handles[product.pk] = handle
    return handles


@dataclass
class ExportSource:
    """What each language's records are built from, read once: the products (with `all_images` prefetched,
    photos first), their newest copy revisions and approved copy, their handles and the channel's mapping."""

    products: list[Product]
    platform: str
    channel: dict
    mapping: dict[str, str]
    revisions: dict[tuple[int, str], ProductCopyRevision]
    approved: dict[tuple[int, str, str], tuple[str, int]]
    handles: dict[int, str]


def export_source_read(products: list[Product], *, platform: str, channel: dict) -> ExportSource:
    mapping = mapping_complete(platform, channel.get("mapping", {}))
    ids = [p.pk for p in products]
    return ExportSource(
        products,
        platform,
        channel,
        mapping,
        _latest_revisions(ids),
        _approved_texts(ids, set(mapping.values())),
        _handles(products),
    )


def export_records_build(source: ExportSource, *, language: str, bank: PhraseBank | None = None) -> Built:
    """The products as records in `language` (another than English needs its phrase `bank`, for the catalog's
    words); in Chinese only products with a Chinese title."""
    words = _Words(language, bank)
    platform, channel, mapping, handles = source.platform, source.channel, source.mapping, source.handles
    base = channel.get("media_base_url", "").rstrip("/")
    built = Built()
    for product in source.products:
        if language == "zh" and not product.title_zh:
            continue
        copy = _ProductCopy(product, language, source.revisions, source.approved, mapping, REQUIRED[platform])
        title, title_generated = copy.field_text("title")
        description, description_generated = copy.field_text("description")
        alt = copy.field_text("image_alt")[0] or title
        handle = handles[product.pk]
        images = []
        for position, image in enumerate(product.all_images, 1):
            name = f"{handle}-{position}{PurePosixPath(image.file.name).suffix.lower()}"
            built.images[name] = image
            generated = image.source == ProductImage.Source.GENERATED
            images.append(ExportImage(name=name, url=f"{base}/{name}" if base else name, alt=alt, generated=generated))
        attributes = product.attributes
        link = channel.get("product_url", "").replace("{handle}", handle).replace("{sku}", product.sku)
        built.records.append(
            ExportProduct(
                sku=product.sku,
                handle=handle,
                status=product.status,
                category=words.category(product.category.name),
                category_tree=_tree(product, language),
                title=title,
                description=description,
                title_generated=title_generated,
                description_generated=description_generated,
                seo_title=copy.field_text("seo_title")[0],
                seo_description=copy.field_text("seo_description")[0],
                short_description=copy.field_text("short_description")[0],
                price=str(attributes.get("price", "")).strip(),
                currency=channel.get("currency", ""),
                vendor=channel.get("vendor") or attributes.get("brand", ""),
                link=link,
                colour=words.value("colour", attributes.get("colour", "")),
                gender=attributes.get("gender", ""),
                audience=words.value("audience", attributes.get("gender", "")),
                language=language,
                tags=tuple(filter(None, (words.value(name, str(attributes.get(name, ""))) for name in TAG_ATTRIBUTES))),
                images=tuple(images),
            )
        )
        built.copy_versions[product.sku] = copy.used
    return built
