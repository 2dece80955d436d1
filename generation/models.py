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


class ModelAuditEvent(models.Model):
    """Who changed a version's state, when, and from what: written in the same transaction as the change,
    never updated or deleted (as Zulip's RealmAuditLog)."""

    class Kind(models.TextChoices):
        PROMOTED = "promoted"
        AUTO_PROMOTED = "auto_promoted"  # by the nightly retraining, when its metrics beat the active version's
        RETIRED = "retired"

    model = models.ForeignKey(GenerativeModel, on_delete=models.PROTECT, related_name="audit_events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_state = models.CharField(max_length=16, choices=GenerativeModel.State.choices)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.model} {self.kind} by {self.acting_user or 'the schedule'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are never deleted.")


class GeneratedItem(models.Model):
    """One generated image awaiting review, with what is needed to make it again."""

    class ReviewState(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    model = models.ForeignKey(GenerativeModel, on_delete=models.PROTECT, related_name="items")
    job = models.ForeignKey("SamplingJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
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


class TrainingJob(models.Model):
    """One request to train a version of a named model, run by a Celery worker and watched in the browser."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELLED = "cancelled"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    name = models.CharField(max_length=100)
    categories = models.ManyToManyField(Category, related_name="training_jobs")
    budget_minutes = models.FloatField(null=True, blank=True)
    budget_steps = models.PositiveIntegerField(null=True, blank=True)
    device = models.CharField(max_length=8, default="auto")
    seed = models.IntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=64, blank=True)
    progress = models.FloatField(default=0.0)
    eta_seconds = models.FloatField(null=True, blank=True)
    step = models.PositiveIntegerField(default=0)
    # Loss and throughput points, appended every few seconds: [{"step", "elapsed", "d_loss", "g_loss", ...}];
    # every GAN_PREVIEW_SECONDS a point also carries quick metrics ("fd", "category_accuracy").
    history = models.JSONField(default=list, blank=True)
    preview_grid = models.ImageField(upload_to="job-previews/", blank=True)  # the latest samples, a row per category
    log = models.TextField(blank=True)  # the newest lines only: what the job page shows as its tail
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    worker = models.CharField(max_length=255, blank=True)
    result = models.ForeignKey(GenerativeModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "-id"], name="training_job_status")]

    def __str__(self) -> str:
        return f"Training {self.name} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class SamplingJob(models.Model):
    """Generate N images per category from one model version; each image becomes a GeneratedItem to review."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    model = models.ForeignKey(GenerativeModel, on_delete=models.PROTECT, related_name="sampling_jobs")
    category_names = models.JSONField(default=list)
    per_category = models.PositiveIntegerField()
    seed = models.BigIntegerField(default=0)
    truncation = models.FloatField(default=1.0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Sampling {self.model} #{self.pk} ({self.status})"
