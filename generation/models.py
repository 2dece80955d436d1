from django.conf import settings
from django.db import models
from django.db.models import Q

from catalog.models import Category


class GenerativeModel(models.Model):
    """One trained version of a named generator; at most one version per name is active."""

    class State(models.TextChoices):
        CANDIDATE = "candidate"
        ACTIVE = "active"
        RETIRED = "retired"

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.CANDIDATE)
    categories = models.ManyToManyField(Category, related_name="generative_models")
    # Category names in label order: label i of the network is category_names[i].
    category_names = models.JSONField(default=list)
    resolution = models.PositiveSmallIntegerField()
    channels = models.PositiveSmallIntegerField()
    config = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    checkpoint = models.FileField(upload_to="models/")
    sample_grid = models.ImageField(upload_to="grids/", blank=True)
    steps = models.PositiveIntegerField(default=0)
    # Newest photo the version saw: retraining is due when a category has a newer one.
    trained_on_photos_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="generative_model_name_version"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(state="active"), name="generative_model_one_active_per_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class GeneratedItem(models.Model):
    """One generated image awaiting review, with what is needed to make it again."""

    class ReviewState(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    model = models.ForeignKey(GenerativeModel, on_delete=models.PROTECT, related_name="items")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="generated_items")
    seed = models.BigIntegerField()
    truncation = models.FloatField(default=1.0)
    image = models.ImageField(upload_to="generated/")
    # Distances to the closest training photos, so reviewers can spot near-copies.
    nearest_pixel_distance = models.FloatField(null=True, blank=True)
    nearest_feature_distance = models.FloatField(null=True, blank=True)
    nearest_products = models.JSONField(default=list, blank=True)
    review_state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["review_state", "-id"], name="generated_item_review")]

    def __str__(self) -> str:
        return f"{self.model} {self.category} seed {self.seed}"
