from django.contrib import admin

from generation.models import GeneratedItem, GenerativeModel


@admin.register(GenerativeModel)
class GenerativeModelAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "state", "resolution", "channels", "steps", "created_at")
    list_filter = ("state", "name")
    search_fields = ("name",)
    filter_horizontal = ("categories",)


@admin.register(GeneratedItem)
class GeneratedItemAdmin(admin.ModelAdmin):
    list_display = ("id", "model", "category", "seed", "truncation", "review_state", "created_at")
    list_filter = ("review_state", "category", "model")
    search_fields = ("model__name",)
    raw_id_fields = ("model",)
    list_select_related = ("model", "category")
