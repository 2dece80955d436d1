from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("products/<int:product_id>/", views.product_detail, name="product_detail"),
    path("import/", views.catalog_import, name="import"),
    path("import/preview/", views.catalog_import_preview, name="import_preview"),
    path(
        "products/<int:product_id>/copy/<int:revision_id>/revert/",
        views.product_copy_revert,
        name="product_copy_revert",
    ),
]
