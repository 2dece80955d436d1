from django.urls import path

from generation import views

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
    path("sampling/<int:job_id>/state/", views.sampling_state, name="sampling_state"),
]
