from django.contrib import admin

from catalog.models import CatalogImport, Category, GlossaryTerm, Product, ProductImage
from catalog.services.products import SERVED_FIELDS
from catalog.services.revision import catalog_revised

# Files come in through the import, the API and the jobs, each with its checks (type by content, size,
# pixels); the admin shows them and never takes a file of its own.
FILE_FIELDS = ("file", "thumbnail")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("file", "thumbnail", "width", "height", "mode", "source", "generated_item", "position")
    readonly_fields = (*FILE_FIELDS, "width", "height", "mode", "generated_item")
    raw_id_fields = ("generated_item",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "title", "category", "status", "split", "updated_at")
    list_filter = ("status", "split", "category")
    search_fields = ("sku", "title")
    list_select_related = ("category",)
    show_full_result_count = False  # a COUNT over 70,000 rows on every admin page is wasted work
    inlines = [ProductImageInline]

    # An admin's edit or deletion changes the products as the service's would.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or SERVED_FIELDS & set(form.changed_data):
            catalog_revised()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalog_revised()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalog_revised()


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    list_display = ("id", "product", "source", "width", "height", "mode", "created_at")
    list_filter = ("source", "mode")
    search_fields = ("product__sku", "sha256")
    raw_id_fields = ("product", "generated_item")
    readonly_fields = FILE_FIELDS
    list_select_related = ("product",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # photos arrive through the import or the API, where they are checked


@admin.register(CatalogImport)
class CatalogImportAdmin(admin.ModelAdmin):
    """Imports sent through the API, with their reports; read-only."""

    list_display = ("id", "csv_name", "status", "products_created", "created_by", "created_at")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """Extends the glossary shipped in generation/copy/vocab/<language>/glossary.json: a category's name or an
    attribute value in another language, as copy and the assistant write it."""

    list_display = ("field", "value", "text", "language", "source", "updated_at")
    list_filter = ("language", "source", "field")
    search_fields = ("value", "text")
