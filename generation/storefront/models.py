import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from generation.models.base import AppendOnlyModel
from generation.storefront.origins import origins_normalised
from retail_studio.errors import StudioError

LANGUAGES = [("en", "English"), ("zh", "中文")]


class StoreArticle(models.Model):
    """A page of the store's own (returns, shipping, sizes, care…), in Markdown; the assistant quotes published
    ones in their language."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    body = models.TextField(help_text=_("Markdown"))
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class StoreArticleRevision(AppendOnlyModel):
    """Each saved state of an article, who saved it and when: its history."""

    article = models.ForeignKey(StoreArticle, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=8, choices=LANGUAGES)
    body = models.TextField()
    published = models.BooleanField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


def _publishable_key() -> str:
    return "pk_" + secrets.token_urlsafe(24)


def _secret_key() -> str:
    return "sk_" + secrets.token_urlsafe(32)


class StorefrontKey(models.Model):
    """A storefront's two keys. The publishable key sits in the shop's pages: it opens the public reads and
    questions of /api/storefront/v1/, from its allowed origins, and nothing that names a person. The secret key
    stays on the shop's server: it signs shopper tokens and sends carts, purchases and erasures. Both end when
    the storefront is revoked."""

    class Mode(models.TextChoices):
        DRAFT = "draft", _("every answer is a draft a reviewer approves")
        AUTO = "auto", _("answers above the threshold are sent, the rest are drafts")

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=64, unique=True, default=_publishable_key, editable=False)
    secret_key = models.CharField(max_length=64, unique=True, default=_secret_key, editable=False)
    allowed_origins = models.JSONField(
        default=list, blank=True, help_text=_('a list of origins, e.g. ["https://shop.example.com"]')
    )
    any_origin = models.BooleanField(
        default=False, help_text=_("any web page may use the publishable key (allowed origins are then ignored)")
    )
    demo = models.BooleanField(default=False, editable=False, help_text=_("the studio's own demo storefront"))
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.DRAFT)
    threshold = models.FloatField(default=0.8, help_text=_("in auto mode, answers at least this confident are sent"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name}{' (revoked)' if self.revoked_at else ''}"

    def clean(self) -> None:
        try:
            self.allowed_origins = origins_normalised(self.allowed_origins, any_origin=self.any_origin)
        except StudioError as exc:
            raise ValidationError({"allowed_origins": str(exc)}) from None


def _conversation_token() -> str:
    return secrets.token_urlsafe(24)


class Conversation(models.Model):
    """A shopper's conversation with the assistant, read back by its token (the shopper holds no login)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")  # the assistant answers
        WAITING = "waiting", _("waiting")  # handed off, or a draft waits: a person must act
        TAKEN = "taken", _("taken over")  # a reviewer took it over and replies by hand

    token = models.CharField(max_length=64, unique=True, default=_conversation_token, editable=False)
    storefront = models.ForeignKey(StorefrontKey, on_delete=models.PROTECT, related_name="conversations")
    # The shopper the shop vouched for (a shopper token) when the conversation began: only their token reads it.
    shopper = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return gettext("Conversation #%(id)s") % {"id": self.pk}


class AssistantMessage(models.Model):
    """One message: the shopper's question, the assistant's answer (sent or a draft) or a staff reply."""

    class Role(models.TextChoices):
        SHOPPER = "shopper", _("shopper")
        ASSISTANT = "assistant", _("assistant")
        STAFF = "staff", _("staff")

    class State(models.TextChoices):
        SENT = "sent", _("sent")  # the shopper sees it
        DRAFT = "draft", _("draft")  # waits for a reviewer
        REJECTED = "rejected", _("rejected")  # a reviewer refused it; the shopper never saw it

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=12, choices=Role.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.SENT, db_index=True)
    text = models.TextField()
    sku = models.CharField(max_length=64, blank=True)  # the product the shopper had in view
    question = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    # The answerer's account of an answer: what it did, why, from what.
    action = models.CharField(max_length=12, blank=True)  # answer or handoff
    kind = models.CharField(max_length=16, blank=True)
    reason = models.CharField(max_length=16, blank=True)
    missing = models.CharField(max_length=200, blank=True, db_index=True)
    citations = models.JSONField(default=list, blank=True)
    products = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return gettext("Message #%(id)s of conversation #%(conversation)s") % {
            "id": self.pk,
            "conversation": self.conversation_id,
        }

    @property
    def action_label(self) -> str:
        return str(ANSWER_ACTIONS.get(self.action, self.action))

    @property
    def reason_label(self) -> str:
        return str(ANSWER_REASONS.get(self.reason, self.reason))


# How the inbox names what the answerer did (generation/assistant/answer.py) and why.
ANSWER_ACTIONS = {"answer": _("answered"), "handoff": _("handed off")}
ANSWER_REASONS = {
    "person": _("asked for a person"),
    "order": _("an order"),
    "payment": _("a payment"),
    "account": _("an account"),
    "complaint": _("a complaint"),
    "outside": _("not about the shop"),
    "unknown": _("not understood"),
    "missing": _("the catalog does not say"),
    "detail": _("a detail"),
    "small_talk": _("small talk"),
}


class SavedAnswer(models.Model):
    """A reviewer's edited answer, approved: the answerer gives it again to the same question."""

    question_key = models.CharField(max_length=300)
    language = models.CharField(max_length=8, choices=LANGUAGES)
    sku = models.CharField(max_length=64, blank=True)
    text = models.TextField()
    citations = models.JSONField(default=list)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question_key", "language", "sku"], name="one_saved_answer")]
