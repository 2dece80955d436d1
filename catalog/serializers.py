"""The catalog as the API shows it. Generated images and texts carry `ai_generated` and their provenance."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.column_mapping import mapping_parse
from catalog.models import CatalogImport, Category, Product, ProductCopyRevision, ProductImage
from catalog.services.import_rows import FORMULA_CELL, SKU_PATTERN


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "created_at"]
        read_only_fields = ["created_at"]


class ProvenanceSerializer(serializers.Serializer):
    """What made a generated image or text, and who approved it."""

    generated_item = serializers.IntegerField()
    summary = serializers.CharField()
    model = serializers.CharField(allow_null=True)
    seed = serializers.IntegerField()
    approved_by = serializers.CharField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


def provenance_of(item) -> dict | None:
    if item is None:
        return None
    return {
        "generated_item": item.pk,
        "summary": item.provenance,
        "model": str(item.model) if item.model_id else None,
        "seed": item.seed,
        "approved_by": item.decided_by.get_username() if item.decided_by_id else None,
        "approved_at": item.decided_at,
    }


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="file", read_only=True, use_url=True)
    thumbnail_url = serializers.SerializerMethodField()
    ai_generated = serializers.SerializerMethodField()
    provenance = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "thumbnail_url", "width", "height", "mode", "sha256", "source", "position",
                  "ai_generated", "provenance", "created_at"]  # fmt: skip

    def get_thumbnail_url(self, image: ProductImage) -> str:
        return self.context["request"].build_absolute_uri(image.display_url)

    def get_ai_generated(self, image: ProductImage) -> bool:
        return image.source == ProductImage.Source.GENERATED

    @extend_schema_field(ProvenanceSerializer(allow_null=True))
    def get_provenance(self, image: ProductImage) -> dict | None:
        return provenance_of(image.generated_item if image.generated_item_id else None)


class CopyRevisionSerializer(serializers.ModelSerializer):
    made_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    ai_generated = serializers.SerializerMethodField()
    provenance = serializers.SerializerMethodField()

    class Meta:
        model = ProductCopyRevision
        fields = ["id", "field", "previous", "new", "made_by", "reverts", "ai_generated", "provenance", "created_at"]

    def get_ai_generated(self, revision: ProductCopyRevision) -> bool:
        return revision.generated_item_id is not None

    @extend_schema_field(ProvenanceSerializer(allow_null=True))
    def get_provenance(self, revision: ProductCopyRevision) -> dict | None:
        return provenance_of(revision.generated_item if revision.generated_item_id else None)


class ProductSerializer(serializers.ModelSerializer):
    """A product as listed, and as created or changed (SKU rules as in the import)."""

    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "title",
            "description",
            "title_zh",
            "description_zh",
            "category",
            "category_name",
            "attributes",
            "status",
            "split",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_sku(self, value: str) -> str:
        if not SKU_PATTERN.match(value):
            raise serializers.ValidationError(
                gettext("Letters, digits, . _ / - only, starting with a letter or digit; 64 at most.")
            )
        return value

    def validate(self, data: dict) -> dict:
        for field in ("title", "description", "title_zh", "description_zh"):
            if FORMULA_CELL.match(data.get(field) or ""):
                raise serializers.ValidationError({field: gettext("A spreadsheet would run this as a formula.")})
        attributes = data.get("attributes")
        if attributes is not None and (
            not isinstance(attributes, dict)
            or not all(isinstance(v, str | int | float | bool) for v in attributes.values())
        ):
            raise serializers.ValidationError({"attributes": gettext("An object of names to plain values.")})
        return data


class ProductDetailSerializer(ProductSerializer):
    images = ProductImageSerializer(source="all_images", many=True, read_only=True)
    ad_texts = serializers.JSONField(read_only=True)
    copy_history = serializers.SerializerMethodField()

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "ad_texts", "images", "copy_history"]

    @extend_schema_field(CopyRevisionSerializer(many=True))
    def get_copy_history(self, product: Product) -> list:
        return CopyRevisionSerializer(product.copy_revisions_recent, many=True, context=self.context).data


class ImageUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PNG, JPEG, WebP or GIF; checked as an import checks its images.")


class CatalogImportSerializer(serializers.ModelSerializer):
    csv_file = serializers.FileField(write_only=True, help_text="sku, title, category; optional description, "
                                     "status, split, image and attribute columns")  # fmt: skip
    images_file = serializers.FileField(write_only=True, required=False, help_text="a zip of the images")
    map = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, write_only=True, max_length=200,
        help_text="COLUMN=TARGET pairs, as import_catalog --map takes them: id=sku productDisplayName=title year=",
    )  # fmt: skip
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CatalogImport
        fields = ["id", "status", "csv_file", "images_file", "map", "mapping", "csv_name", "images_name", "problems",
                  "products_created", "images_created", "categories_created", "created_by", "created_at",
                  "started_at", "finished_at"]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("csv_file", "images_file", "map")]

    def validate_map(self, pairs: list[str]) -> dict[str, str]:
        try:
            return mapping_parse(pairs)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
