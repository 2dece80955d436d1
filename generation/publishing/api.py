"""Exports through the API: ask for one (POST /api/v1/exports/), follow it, and fetch its files at signed links
that work without a login for a few minutes, so a shop's import script needs no studio credentials."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from generation.api_views import JobViewSet
from generation.models import CatalogExport, ExportFormat
from generation.publishing.selectors import MAX_SKUS
from generation.publishing.services import DOWNLOAD_SECONDS, catalog_export_create, export_file_token
from generation.serializers import JOB_FIELDS


class ExportInputSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    category = serializers.IntegerField(required=False, min_value=1, help_text="a category's id")
    query = serializers.CharField(required=False, max_length=100, help_text="words of the SKU or title")
    skus = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=MAX_SKUS)
    approved_since = serializers.DateField(required=False, help_text="copy or images approved on or after it")
    copy_job = serializers.IntegerField(required=False, min_value=1, help_text="its approved copy (a review batch)")
    sampling_job = serializers.IntegerField(required=False, min_value=1, help_text="its attached images")


class ExportFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["products", "chinese", "images"])
    bytes = serializers.IntegerField()
    rows = serializers.IntegerField(help_text="rows of a table; images in the zip")
    url = serializers.URLField(help_text=f"signed: works without a login for {DOWNLOAD_SECONDS // 60} minutes")


class ExportSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = CatalogExport
        fields = [
            *JOB_FIELDS,
            "format",
            "selection",
            "selection_label",
            "product_count",
            "files",
            "problems",
            "problems_total",
            "copy_versions",
            "created_by",
        ]
        read_only_fields = fields

    @extend_schema_field(ExportFileSerializer(many=True))
    def get_files(self, export: CatalogExport) -> list[dict]:
        request = self.context["request"]
        return ExportFileSerializer(
            [
                entry
                | {
                    "url": request.build_absolute_uri(
                        reverse("publishing:export_signed_download", args=[export_file_token(export, entry["name"])])
                    )
                }
                for entry in export.files
            ],
            many=True,
        ).data


class CatalogExportViewSet(JobViewSet):
    """Exports of the catalog to a shop platform's files: Shopify (current or legacy columns), WooCommerce, Google
    Merchant Center. A selection narrows by every part given."""

    queryset = CatalogExport.objects.select_related("created_by")
    serializer_class = ExportSerializer
    filterset_fields = ["status", "format"]

    @extend_schema(request=ExportInputSerializer, responses={201: ExportSerializer})
    def create(self, request, *args, **kwargs):
        data = ExportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        selection = {name: value for name, value in data.validated_data.items() if name != "format"}
        if "approved_since" in selection:
            selection["approved_since"] = selection["approved_since"].isoformat()
        export = catalog_export_create(format=data.validated_data["format"], selection=selection, user=request.user)
        return Response(self.get_serializer(export).data, status=status.HTTP_201_CREATED)
