from django.urls import path

from generation import copy_views, review_views, views

app_name = "generation"
urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
]
urlpatterns += [
    path("models/", views.model_registry, name="model_registry"),
    path("models/<int:model_id>/state/", views.model_state, name="model_state"),
]
urlpatterns += [
    path("models/<int:model_id>/generate/", views.model_generate, name="model_generate"),
    path("sampling/<int:job_id>/", views.sampling_detail, name="sampling_detail"),
    path("products/<int:product_id>/variations/", views.product_variations, name="product_variations"),
    path("photos/check/", views.photos_to_check, name="photos_to_check"),
    path("sampling/<int:job_id>/state/", views.sampling_state, name="sampling_state"),
]
urlpatterns += [
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/items/", review_views.review_items, name="review_items"),
    path("review/items/<int:item_id>/approve/", review_views.item_approve, name="review_approve"),
    path("review/items/<int:item_id>/reject/", review_views.item_reject, name="review_reject"),
    path("review/items/<int:item_id>/undo/", review_views.item_undo, name="review_undo"),
    path("review/bulk/", review_views.review_bulk, name="review_bulk"),
    path("review/products/", review_views.product_matches, name="review_products"),
    path("review/keys/", review_views.keymap_save, name="review_keys"),
    path("jobs/<int:job_id>/preview/send/", review_views.training_preview_send, name="job_preview_send"),
]
urlpatterns += [
    path("copy/health/", copy_views.copy_health, name="copy_health"),
    path("copy/terms/", copy_views.glossary_term_add, name="glossary_term_add"),
    path("copy/new/", copy_views.copy_request, name="copy_request"),
    path("copy/jobs/<int:job_id>/", copy_views.copy_job_detail, name="copy_job_detail"),
    path("copy/jobs/<int:job_id>/state/", copy_views.copy_job_state, name="copy_job_state"),
]
