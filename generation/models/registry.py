from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Category
from generation.models.base import AppendOnlyModel


class FeatureExtractor(models.Model):
    """The metrics classifier of one set of categories at one image shape, trained once and then frozen:
    figures measured with the same extractor (and the same held-out photos) can be compared, others cannot."""

    key = models.CharField(max_length=64, unique=True)  # names the category set and the image shape
    category_names = models.JSONField(default=list)
    resolution = models.PositiveSmallIntegerField()  # height in pixels
    image_width = models.PositiveSmallIntegerField()
    channels = models.PositiveSmallIntegerField()
    weights = models.FileField(upload_to="extractors/")
    trained_on = models.CharField(max_length=64)  # the training set's dataset key
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"extractor #{self.pk} ({', '.join(self.category_names)}, {self.image_width}x{self.resolution}px)"


class Family(models.TextChoices):
    """What a model makes: images (generation/gan/), copy (generation/copy/), recommendations
    (generation/recommender/) or the assistant's understanding of questions (generation/assistant/intent_model.py)."""

    IMAGE = "image", _("image")
    COPY = "copy", _("copy")
    RECS = "recs", _("recommendations")
    INTENT = "intent", _("understanding")


class Engine(models.TextChoices):
    """Which engine an image model is (the other families have one each): sampling, measuring and training
    dispatch on it. A name keeps to one engine, as to one family."""

    GAN = "gan", "GAN"
    VAE = "vae", "VAE"


class GenerativeModel(models.Model):
    """One trained version of a named generator; at most one version per name is active."""

    class State(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    family = models.CharField(max_length=8, choices=Family.choices, default=Family.IMAGE)
    engine = models.CharField(max_length=8, choices=Engine.choices, default=Engine.GAN)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CANDIDATE)
    categories = models.ManyToManyField(Category, related_name="generative_models")
    # Category names in label order: label i of the network is category_names[i].
    category_names = models.JSONField(default=list)
    resolution = models.PositiveSmallIntegerField(default=0)  # images only: their height in pixels
    image_width = models.PositiveSmallIntegerField(default=0)
    channels = models.PositiveSmallIntegerField(default=0)
    config = models.JSONField(default=dict, blank=True)
    # The final figures, with "reference": which extractor and held-out set measured them.
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


class ModelAuditEvent(AppendOnlyModel):
    """Who changed a version's state, when, and from what."""

    class Kind(models.TextChoices):
        PROMOTED = "promoted", _("Promoted")
        # by the nightly retraining, when its metrics beat the active version's
        AUTO_PROMOTED = "auto_promoted", _("Promoted by the schedule")
        RETIRED = "retired", _("Retired")

    model = models.ForeignKey(GenerativeModel, on_delete=models.PROTECT, related_name="audit_events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_state = models.CharField(max_length=16, choices=GenerativeModel.State.choices)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.model} {self.kind} by {self.acting_user or 'the schedule'}"


class PhotoCheck(models.Model):
    """A check of the catalog's photos under a VAE version (generation/vae/photo_check.py), run by a worker: the
    most unusual photos first, each with the reason a merchandiser acts on."""

    model = models.ForeignKey(GenerativeModel, on_delete=models.CASCADE, related_name="photo_checks")
    rows = models.JSONField(default=list, blank=True)  # [{"sku", "category", "score", "reason"}], most unusual first
    photos = models.PositiveIntegerField(default=0)  # how many were checked
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]


def photo_check_reason(row: dict) -> str:
    """Why a photo is listed, in the language in use: the worker stores it in English for the command's lines,
    the page says it again in the reader's language from the row's `why` (rows stored before it keep theirs)."""
    why, category = row.get("why"), row["category"]
    if why == "looks_like":
        other = row["like"]
        if other[:1].lower() in "aeiou":
            return gettext("looks like an %(category)s") % {"category": other}
        return gettext("looks like a %(category)s") % {"category": other}
    if why == "unlike":
        return gettext("unlike every %(category)s") % {"category": category}
    if why == "typical":
        return gettext("like the other %(category)s photos") % {"category": category}
    return row["reason"]
