from django.urls import path

from generation.publishing import views

app_name = "publishing"

urlpatterns = [
    path("publish/", views.publish_page, name="page"),
    path("publish/exports/", views.export_create, name="export_create"),
    path("publish/exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("publish/exports/<int:export_id>/progress/", views.export_progress, name="export_progress"),
    path("publish/exports/<int:export_id>/files/<str:name>", views.export_download, name="export_download"),
    path("publish/download/<str:token>/", views.export_signed_download, name="export_signed_download"),
    path("publish/channels/<str:platform>/", views.channel_save, name="channel_save"),
]
