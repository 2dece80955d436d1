"""Generation as the API shows it: versions, jobs, generated items and review decisions. Every generated
image and text carries `ai_generated: true` and its provenance."""

from django.db.models import BigIntegerField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Category, Product
from catalog.serializers import ProvenanceSerializer, provenance_of
from generation.models import (
    CopyJob,
    GeneratedItem,
    GenerativeModel,
    RejectionReason,
    ReviewDecision,
    SamplingJob,
    TrainingJob,
)
from generation.services.jobs import (
    COPY_MAX_SEED,
    DIVERSITY_MAX,
    DIVERSITY_MIN,
    MAX_BUDGET_MINUTES,
    MAX_BUDGET_STEPS,
    MAX_PER_CATEGORY,
    MAX_SEED,
    MAX_VARIANTS,
    SAMPLING_MAX_SEED,
)

JOB_FIELDS = ["id", "status", "phase", "progress", "error", "cancel_requested", "attempts", "created_at",
              "started_at", "finished_at"]  # fmt: skip


class GenerativeModelSerializer(serializers.ModelSerializer):
    sample_grid = serializers.ImageField(read_only=True, use_url=True, allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = GenerativeModel
        fields = ["id", "name", "version", "family", "engine", "state", "category_names", "resolution", "image_width", "channels",
                  "metrics", "steps", "sample_grid", "trained_on_photos_until", "created_by", "created_at"]  # fmt: skip


class TrainingJobSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(slug_field="name", many=True, queryset=Category.objects.all())
    minutes = serializers.FloatField(
        source="budget_minutes", required=False, allow_null=True, min_value=0.01, max_value=MAX_BUDGET_MINUTES
    )
    steps = serializers.IntegerField(
        source="budget_steps", required=False, allow_null=True, min_value=1, max_value=MAX_BUDGET_STEPS
    )
    seed = serializers.IntegerField(required=False, min_value=0, max_value=MAX_SEED)
    device = serializers.ChoiceField(choices=["auto", "cpu", "cuda"], required=False)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = TrainingJob
        fields = [*JOB_FIELDS, "name", "family", "engine", "categories", "minutes", "steps", "device", "seed", "step",
                  "eta_seconds", "result", "started_by"]  # fmt: skip
        read_only_fields = [*JOB_FIELDS, "step", "eta_seconds", "result"]


class SamplingJobSerializer(serializers.ModelSerializer):
    per_category = serializers.IntegerField(min_value=1, max_value=MAX_PER_CATEGORY)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=SAMPLING_MAX_SEED)
    truncation = serializers.FloatField(
        required=False, min_value=DIVERSITY_MIN, max_value=DIVERSITY_MAX, help_text="diversity"
    )
    category_names = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SamplingJob
        fields = [*JOB_FIELDS, "model", "category_names", "per_category", "seed", "truncation", "created_by"]
        read_only_fields = JOB_FIELDS


class VariationJobSerializer(serializers.ModelSerializer):
    """A VAE version's variations of one product's photo, or a blend between two products' photos."""

    products = serializers.SlugRelatedField(
        slug_field="sku",
        many=True,
        queryset=Product.objects.all(),
        source="sources",
        help_text="one SKU (variations of its photo) or two of one category (a blend between their photos)",
    )
    count = serializers.IntegerField(source="per_category", min_value=1, max_value=MAX_PER_CATEGORY)
    diversity = serializers.FloatField(
        source="truncation",
        required=False,
        min_value=0.0,
        max_value=DIVERSITY_MAX,
        help_text="variations: 0 is the photo itself, 1 as varied as its category",
    )
    seed = serializers.IntegerField(required=False, min_value=0, max_value=SAMPLING_MAX_SEED)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SamplingJob
        fields = [*JOB_FIELDS, "model", "products", "count", "diversity", "seed", "created_by"]
        read_only_fields = JOB_FIELDS


class CopyJobSerializer(serializers.ModelSerializer):
    products = serializers.PrimaryKeyRelatedField(many=True, queryset=Product.objects.all())
    model = serializers.PrimaryKeyRelatedField(
        queryset=GenerativeModel.objects.all(), required=False, allow_null=True,
        help_text="a built-in copywriter's version; none: the configured endpoint writes",
    )  # fmt: skip
    keywords = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=20)
    banned = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=20)
    variants = serializers.IntegerField(required=False, min_value=1, max_value=MAX_VARIANTS)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=COPY_MAX_SEED)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CopyJob
        fields = [*JOB_FIELDS, "model", "products", "kind", "style", "language", "keywords", "banned", "variants",
                  "seed", "created_by"]  # fmt: skip
        read_only_fields = JOB_FIELDS


class GeneratedItemSerializer(serializers.ModelSerializer):
    image = serializers.ImageField(read_only=True, use_url=True, allow_null=True)
    ai_generated = serializers.SerializerMethodField()
    provenance = serializers.SerializerMethodField()
    category_name = serializers.CharField(source="category.name", read_only=True)
    generated_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = GeneratedItem
        fields = ["id", "kind", "ai_generated", "provenance", "image", "text", "copy_kind", "language", "product",
                  "category", "category_name", "model", "job", "copy_job", "training_job", "training_step", "seed",
                  "truncation", "flags", "nearest_products", "nearest_pixel_distance", "possible_copy",
                  "copy_threshold", "predicted_category", "predicted_confidence", "review_state", "generated_by",
                  "decided_by", "decided_at", "created_at"]  # fmt: skip
        read_only_fields = fields

    def get_ai_generated(self, item: GeneratedItem) -> bool:
        return True

    @extend_schema_field(ProvenanceSerializer)
    def get_provenance(self, item: GeneratedItem) -> dict:
        return provenance_of(item)


class ReviewDecisionSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ReviewDecision
        fields = ["id", "item", "action", "state_before", "state_after", "reviewer", "reason", "note", "product",
                  "created_product", "edited_from", "bulk", "created_at"]  # fmt: skip
        read_only_fields = fields


class RejectionReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = RejectionReason
        fields = ["id", "label", "position", "active"]


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), required=False, allow_null=True, help_text="attach the image to it"
    )
    new_product_title = serializers.CharField(required=False, allow_blank=True, max_length=255,
                                              help_text="attach the image to a new draft product")  # fmt: skip
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                 help_text="copy: the text as the reviewer edited it")  # fmt: skip


class RejectSerializer(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(queryset=RejectionReason.objects.filter(active=True))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BulkDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "reject"])
    # Ids are 64-bit; a larger number is refused here, not sent to the database's `IN`.
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=BigIntegerField.MAX_BIGINT),
                                required=False, max_length=10_000,
                                help_text="the items; none: every item the list filters of the URL match")  # fmt: skip
    reason = serializers.PrimaryKeyRelatedField(queryset=RejectionReason.objects.filter(active=True), required=False,
                                                allow_null=True)  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    spot_check = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                       help_text="the token of a confirmed spot-check, for more than 50 approvals")  # fmt: skip


class BulkOutcomeSerializer(serializers.Serializer):
    decided = serializers.IntegerField()
    skipped_own = serializers.IntegerField()
    skipped_copy = serializers.IntegerField()


class SpotCheckSerializer(serializers.Serializer):
    detail = serializers.CharField()
    token = serializers.CharField()
    items = GeneratedItemSerializer(many=True)
