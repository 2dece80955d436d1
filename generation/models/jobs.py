from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product
from generation.models.registry import Engine, Family, GenerativeModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


def language_in_use() -> str:
    """The dashboard language of whoever is asking (the request's), or "" where nobody is (a schedule)."""
    return translation.get_language() or ""


class Job(models.Model):
    """What training and sampling jobs share: one status enum and one claim / heartbeat / attempts mechanism,
    so one reaper finds both when their worker dies (generation/services/job_lifecycle.py)."""

    Status = JobStatus
    ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    phase = models.CharField(max_length=128, blank=True)
    progress = models.FloatField(default=0.0)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    worker = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the broker took the task: a queued job without it is sent again by the sweep.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The dashboard language of the person who asked: what the job says of itself (phase, log, error) is in it.
    dashboard_language = models.CharField(max_length=8, blank=True, default=language_in_use)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class TrainingJob(Job):
    """One request to train a version of a named model, run by a Celery worker and watched in the browser."""

    name = models.CharField(max_length=100)
    family = models.CharField(max_length=8, choices=Family.choices, default=Family.IMAGE)
    engine = models.CharField(max_length=8, choices=Engine.choices, default=Engine.GAN)  # an image job's
    categories = models.ManyToManyField(Category, related_name="training_jobs")
    budget_minutes = models.FloatField(null=True, blank=True)
    budget_steps = models.PositiveIntegerField(null=True, blank=True)
    device = models.CharField(max_length=8, default="auto")
    seed = models.IntegerField(default=0)
    eta_seconds = models.FloatField(null=True, blank=True)
    step = models.PositiveIntegerField(default=0)
    preview_grid = models.ImageField(upload_to="job-previews/", blank=True)  # the latest samples, a row per category
    preview_step = models.PositiveIntegerField(null=True, blank=True)  # the step the grid was drawn at
    preview_texts = models.JSONField(default=list, blank=True)  # a copy model's latest samples
    log = models.TextField(blank=True)  # the newest lines only: what the job page shows as its tail
    result = models.ForeignKey(GenerativeModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "-id"], name="training_job_status")]

    def __str__(self) -> str:
        return f"Training {self.name} #{self.pk} ({self.status})"


# Quick metrics during training sample this many images per category: enough for a trend, and cheap. Their
# names say so (`fd_quick_200`), apart from the final figures measured on the whole held-out set.
QUICK_METRICS_PER_CATEGORY = 200
QUICK_SUFFIX = f"_quick_{QUICK_METRICS_PER_CATEGORY}"


class TrainingJobPoint(models.Model):
    """One loss and throughput point of a training job, appended every few seconds; every GAN_PREVIEW_SECONDS
    a point also carries the quick metrics (`fd_quick_200`, `category_accuracy_quick_200`). Rows, not one
    growing JSON column, so a poll reads only the points after the last one it has."""

    job = models.ForeignKey(TrainingJob, on_delete=models.CASCADE, related_name="points")
    seq = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ["job", "seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="training_job_point_seq")]


class SamplingJob(Job):
    """Generate N images per category from one model version; each image becomes a GeneratedItem to review."""

    model = models.ForeignKey(GenerativeModel, on_delete=models.PROTECT, related_name="sampling_jobs")
    category_names = models.JSONField(default=list)
    per_category = models.PositiveIntegerField()
    seed = models.BigIntegerField(default=0)
    truncation = models.FloatField(default=1.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # A VAE's variations of a product's photo (`sources`: one product) or blends between two products' photos
    # (two); none: samples of the categories.
    sources = models.ManyToManyField(Product, blank=True, related_name="variation_jobs")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Sampling {self.model} #{self.pk} ({self.status})"

    @property
    def total(self) -> int:
        return self.per_category * len(self.category_names)


# How the dashboard names each kind of copy and the built-in styles; a style an admin saved is named as they named it.
COPY_KIND_LABELS = {
    "title": _("title"),
    "description": _("description"),
    "description_long": _("long description"),
    "ad_headline": _("ad headline"),
    "ad_description": _("ad description"),
}
STYLE_LABELS = {"plain": _("plain"), "premium": _("premium"), "playful": _("playful")}


class CopyJob(Job):
    """Write N variants of one kind of copy for each of some products; each variant is checked and becomes a
    GeneratedItem to review. `model` is the built-in copywriter's version; none means the configured endpoint."""

    model = models.ForeignKey(
        GenerativeModel, null=True, blank=True, on_delete=models.PROTECT, related_name="copy_jobs"
    )
    products = models.ManyToManyField(Product, related_name="copy_jobs")
    kind = models.CharField(max_length=24)
    style = models.CharField(max_length=40, default="plain")
    language = models.CharField(max_length=8, default="en")
    keywords = models.JSONField(default=list, blank=True)
    banned = models.JSONField(default=list, blank=True)
    variants = models.PositiveSmallIntegerField(default=3)
    seed = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # The facts its language has no word for, left out of its texts: [{"field", "value", "products"}], most first.
    missing_terms = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return gettext("Copy %(kind)s #%(id)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "id": self.pk,
            "status": self.get_status_display(),
        }

    def get_kind_display(self) -> str:
        return COPY_KIND_LABELS.get(self.kind, self.kind)

    def get_style_display(self) -> str:
        return STYLE_LABELS.get(self.style, self.style)


class WorkerPresence(models.Model):
    """A Celery worker's proof of life, written by the worker itself every few seconds (generation/presence.py):
    pages learn whether a worker is connected from this table, never by pinging the broker in a request."""

    hostname = models.CharField(max_length=255, unique=True)
    queues = models.CharField(max_length=255, blank=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname} ({self.queues})"
