"""The catalog's REST API: categories, products with their images and copy history, and imports as jobs.
Each view parses and calls a service; the roles are the pages' roles (catalog.roles.HasRole)."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog import roles, selectors
from catalog.models import CatalogImport, Category, Product
from catalog.serializers import (
    CatalogImportSerializer,
    CategorySerializer,
    ImageUploadSerializer,
    ProductDetailSerializer,
    ProductImageSerializer,
    ProductSerializer,
)
from catalog.services import import_jobs, products

MERCHANDISING = (roles.MERCHANDISER,)


class CategoryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.order_by("name")
    serializer_class = CategorySerializer
    write_roles = MERCHANDISING
    filterset_fields = ["name"]
    ordering_fields = ["id", "name", "created_at"]


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text="words of the SKU or title")

    class Meta:
        model = Product
        fields = ["category", "status", "split", "sku"]

    def search(self, queryset, name, value):
        return selectors.products_matching(queryset, value)


class ProductViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    write_roles = MERCHANDISING
    filterset_class = ProductFilter
    ordering_fields = ["id", "sku", "title", "created_at", "updated_at"]
    ordering = ["-id"]

    def get_queryset(self):
        queryset = Product.objects.select_related("category")
        if self.action != "retrieve":
            return queryset
        return queryset.prefetch_related(
            Prefetch("images", queryset=selectors.product_images_ordered(), to_attr="all_images"),
            Prefetch("copy_revisions", queryset=selectors.copy_revisions_recent(), to_attr="copy_revisions_recent"),
        )

    def get_serializer_class(self):
        return ProductDetailSerializer if self.action == "retrieve" else ProductSerializer

    def perform_create(self, serializer):
        serializer.instance = products.product_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = products.product_update(
            product=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request={"multipart/form-data": ImageUploadSerializer}, responses={201: ProductImageSerializer})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def images(self, request, pk=None):
        """Adds a photo to the product: PNG, JPEG, WebP or GIF, checked as an import checks its images."""
        product = self.get_object()
        upload = ImageUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        photo = products.product_image_add(product=product, data=products.upload_read(upload.validated_data["file"]))
        return Response(
            ProductImageSerializer(photo, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class CatalogImportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A CSV (and a zip of images) imported by a worker, all or nothing; poll the job for its report."""

    queryset = CatalogImport.objects.select_related("created_by")
    serializer_class = CatalogImportSerializer
    write_roles = MERCHANDISING
    parser_classes = [parsers.MultiPartParser]
    filterset_fields = ["status"]
    ordering_fields = ["id", "created_at"]

    @extend_schema(responses={202: CatalogImportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = import_jobs.catalog_import_job_create(
            csv_upload=serializer.validated_data["csv_file"],
            images_upload=serializer.validated_data.get("images_file"),
            mapping=serializer.validated_data.get("map", {}),
            user=request.user,
        )
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
