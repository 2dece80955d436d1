from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product
from generation.models.base import AppendOnlyModel
from generation.models.jobs import CopyJob, SamplingJob, TrainingJob
from generation.models.registry import GenerativeModel


class GeneratedItem(models.Model):
    """One generated piece of content waiting for review, with what is needed to make it again and to judge it.
    Items are of a kind: images, copy, and the shopper assistant's drafted answers."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        COPY = "copy", _("copy")
        ANSWER = "answer", _("answer")

    class ReviewState(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.IMAGE)
    # A registered version made it, or a training job's preview at `training_step` (sent to review mid-run).
    model = models.ForeignKey(GenerativeModel, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    job = models.ForeignKey(SamplingJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    training_job = models.ForeignKey(
        TrainingJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_items"
    )
    training_step = models.PositiveIntegerField(null=True, blank=True)
    # Every image and copy has one; an answer has its product's, or none (a question about a policy).
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="generated_items"
    )
    seed = models.BigIntegerField()
    truncation = models.FloatField(default=1.0)
    # Provenance of a VAE's image made from photos: the SKUs of "variation of SKU", or of "between SKU and SKU".
    source_skus = models.JSONField(default=list, blank=True)
    image = models.ImageField(upload_to="generated/", blank=True)
    # Copy: the text, for which product, of which kind, and the grounding rules it broke when written.
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="copy_items")
    copy_job = models.ForeignKey(CopyJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    text = models.TextField(blank=True)
    # An answer: the assistant's draft message it stands for (sent when approved).
    answer_message = models.OneToOneField(
        "generation.AssistantMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="review_item"
    )
    copy_kind = models.CharField(max_length=24, blank=True)
    language = models.CharField(max_length=8, blank=True)
    flags = models.JSONField(default=list, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="generated_items"
    )
    # What a reviewer judges by, measured when the item is made (null until measured).
    nearest_pixel_distance = models.FloatField(null=True, blank=True)
    nearest_feature_distance = models.FloatField(null=True, blank=True)
    nearest_products = models.JSONField(default=list, blank=True)  # [{"product_id", "distance"}], nearest first
    possible_copy = models.BooleanField(default=False)
    copy_threshold = models.FloatField(null=True, blank=True)  # the distance below which it counts as a copy
    predicted_category = models.CharField(max_length=100, blank=True)
    predicted_confidence = models.FloatField(null=True, blank=True)
    review_state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="decided_items"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["review_state", "-id"], name="generated_item_review")]

    def __str__(self) -> str:
        return gettext("%(kind)s #%(id)s %(category)s seed %(seed)s") % {
            "kind": self.get_kind_display(),
            "id": self.pk,
            "category": self.category or "",
            "seed": self.seed,
        }

    @property
    def prediction_disagrees(self) -> bool:
        return bool(self.predicted_category) and self.predicted_category != self.category.name

    @property
    def provenance(self) -> str:
        """What made it, in a line, in English: the API's field and what a generated image's metadata says."""
        with translation.override("en"):
            return self.provenance_said

    @property
    def provenance_said(self) -> str:
        """What made it, in a line, in the reader's language: a version and its seed (and the photos it started
        from), or a training job at one step."""
        if self.kind == self.Kind.ANSWER:
            return gettext("the shopper assistant, conversation #%(id)s") % {"id": self.answer_message.conversation_id}
        job = {"job": self.job_id, "copy_job": self.copy_job_id, "seed": self.seed, "model": self.model}
        if self.kind == self.Kind.COPY:
            if self.model_id:
                return gettext("%(model)s, copy job #%(copy_job)s, variant seed %(seed)s") % job
            return gettext("the copy endpoint, copy job #%(copy_job)s, variant seed %(seed)s") % job
        if self.model_id is not None:
            skus = self.source_skus or [""]
            said = {**job, "sku": skus[0], "other": skus[-1]}
            if len(self.source_skus) == 1:
                text = gettext("variation of %(sku)s by %(model)s, seed %(seed)s") % said
            elif self.source_skus:
                text = gettext("between %(sku)s and %(other)s by %(model)s, step %(seed)s") % said
            else:
                text = gettext("%(model)s, seed %(seed)s") % said
            return text + (gettext(", sampling job #%(job)s") % said if self.job_id else "")
        if self.training_job_id is not None:
            return gettext("job #%(id)s at step %(step)s") % {
                "id": self.training_job_id,
                "step": f"{self.training_step:,}",
            }
        return gettext("seed %(seed)s") % job


# The reasons the studio ships (migration 0007 seeds them), for the catalogs: each is shown in the reader's
# language; a reason an admin wrote is shown as written.
SHIPPED_REASONS = (
    gettext_noop("Artefacts or distortions"),
    gettext_noop("Wrong category"),
    gettext_noop("Looks like a copy of a catalog photo"),
    gettext_noop("Not sellable: off-brand or odd"),
    gettext_noop("Blurry or low quality"),
)


class RejectionReason(models.Model):
    """The reasons a reviewer picks from with 1-9; admins edit the list."""

    label = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def shown(self) -> str:
        return gettext(self.label) if self.label in SHIPPED_REASONS else self.label


class ReviewDecision(AppendOnlyModel):
    """Every decision on a generated item: who, when, the state before and after, why."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        UNDONE = "undone", _("undone")

    item = models.ForeignKey(GeneratedItem, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(max_length=16, choices=Action.choices)
    state_before = models.CharField(max_length=16, choices=GeneratedItem.ReviewState.choices)
    state_after = models.CharField(max_length=16, choices=GeneratedItem.ReviewState.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions")
    reason = models.ForeignKey(RejectionReason, null=True, blank=True, on_delete=models.PROTECT)
    note = models.TextField(blank=True)
    # An approval may attach the image to a product (created as a draft by this decision when `created_product`).
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_product = models.BooleanField(default=False)
    edited_from = models.TextField(blank=True)  # copy: the generated text, when the reviewer edited it
    bulk = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["item", "-id"], name="review_decision_item")]

    def __str__(self) -> str:
        return gettext("%(item)s %(action)s by %(who)s") % {
            "item": self.item,
            "action": self.get_action_display(),
            "who": self.reviewer,
        }


class ReviewerSettings(models.Model):
    """A reviewer's own key mapping, stored on the server so it follows them from browser to browser."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_settings")
    keymap = models.JSONField(default=dict, blank=True)  # action -> key; missing actions keep the default
