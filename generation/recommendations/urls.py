from django.urls import path

from generation.recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.recommendations_page, name="page"),
    path("recommendations/rules/", views.rule_add, name="rule_add"),
    path("recommendations/rules/<int:rule_id>/remove/", views.rule_remove, name="rule_remove"),
    path("recommendations/train/", views.train_now, name="train"),
    path("recommendations/pairings/", views.pairing_set, name="pairing_set"),
    path(
        "recommendations/pairings/<int:pairing_id>/remove/",
        views.pairing_change,
        {"change": "remove"},
        name="pairing_remove",
    ),
    path(
        "recommendations/pairings/<int:pairing_id>/restore/",
        views.pairing_change,
        {"change": "restore"},
        name="pairing_restore",
    ),
]
