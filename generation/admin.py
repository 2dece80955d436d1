from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from generation.models import (
    CatalogExport,
    CategoryPairing,
    Conversation,
    CopyField,
    CopyPhrase,
    CopyStyle,
    CopyTerm,
    FeatureExtractor,
    GeneratedItem,
    GenerativeModel,
    ModelAuditEvent,
    RecommendationRule,
    RecommendationRuleChange,
    RejectionReason,
    ReviewDecision,
    SamplingJob,
    SavedAnswer,
    StoreArticle,
    StorefrontKey,
    TrainingJob,
)
from generation.services import jobs
from generation.services.copy_grounding import copy_phrase_check
from generation.storefront import services as storefront_services
from retail_studio.errors import StudioError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows and measured references: shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GenerativeModel)
class GenerativeModelAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "state", "image_width", "resolution", "channels", "steps", "created_at")
    list_filter = ("state", "name")
    search_fields = ("name",)
    filter_horizontal = ("categories",)
    # Promote and retire on the registry page, where they are audited; weights and grids come from training.
    readonly_fields = ("state", "checkpoint", "sample_grid")

    def has_add_permission(self, request):
        return False  # a version is made by a training job, with its weights, metrics and audit


@admin.register(ModelAuditEvent)
class ModelAuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "model", "kind", "from_state", "acting_user")
    list_filter = ("kind",)
    list_select_related = ("model", "acting_user")


@admin.register(FeatureExtractor)
class FeatureExtractorAdmin(ReadOnlyAdmin):
    list_display = ("id", "category_names", "image_width", "resolution", "channels", "trained_on", "created_at")


class ReviewDecisionInline(admin.TabularInline):
    model = ReviewDecision
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at",
        "action",
        "state_before",
        "state_after",
        "reviewer",
        "reason",
        "note",
        "product",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GeneratedItem)
class GeneratedItemAdmin(admin.ModelAdmin):
    """Decisions are made in the review queue, where they are checked and audited; here they are shown."""

    list_display = (
        "id",
        "kind",
        "model",
        "category",
        "seed",
        "review_state",
        "possible_copy",
        "decided_by",
        "created_at",
    )
    list_filter = ("review_state", "kind", "possible_copy", "category", "model")
    search_fields = ("model__name",)
    raw_id_fields = ("model", "job", "training_job")
    list_select_related = ("model", "category", "decided_by")
    readonly_fields = ("review_state", "decided_by", "decided_at", "image")
    inlines = [ReviewDecisionInline]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "item", "action", "state_before", "state_after", "reviewer", "reason", "bulk")
    list_filter = ("action", "bulk", "reason")
    list_select_related = ("item__category", "item__model", "reviewer", "reason")


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    """The list reviewers pick from with 1-9 (the first nine active ones, by position)."""

    list_display = ("label", "position", "active")
    list_editable = ("position", "active")


class JobActions:
    """Retry and cancel, for every kind of job the admin lists."""

    actions = ["retry", "cancel"]

    @admin.action(description=gettext_lazy("Retry or resume the selected failed or cancelled jobs"))
    def retry(self, request, queryset):
        done = 0
        for job in queryset:
            try:
                jobs.job_retry(job=job)
                done += 1
            except StudioError as exc:
                self.message_user(request, f"#{job.pk}: {exc}", messages.WARNING)
        self.message_user(
            request, ngettext("%(done)s job queued again.", "%(done)s jobs queued again.", done) % {"done": done}
        )

    @admin.action(description=gettext_lazy("Cancel the selected queued or running jobs"))
    def cancel(self, request, queryset):
        for job in queryset:
            jobs.job_cancel(job=job)
        self.message_user(request, _("Cancel requested."))


@admin.register(SamplingJob)
class SamplingJobAdmin(JobActions, admin.ModelAdmin):
    list_display = ("id", "model", "per_category", "status", "progress", "attempts", "created_by", "created_at")
    list_filter = ("status",)
    readonly_fields = ("traceback", "heartbeat_at", "started_at", "finished_at", "enqueued_at")


@admin.register(CatalogExport)
class CatalogExportAdmin(JobActions, ReadOnlyAdmin):
    """Exports are asked for on the Publish page, the API or export_catalog; here they are watched, retried and
    cancelled."""

    list_display = (
        "id",
        "format",
        "status",
        "progress",
        "product_count",
        "selection_label",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "format")
    list_select_related = ("created_by",)


@admin.register(TrainingJob)
class TrainingJobAdmin(JobActions, admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "status",
        "progress",
        "step",
        "attempts",
        "worker",
        "started_by",
        "created_at",
        "live",
    )
    list_filter = ("status", "device", "name")
    search_fields = ("name", "error", "worker")
    readonly_fields = (
        "traceback",
        "heartbeat_at",
        "started_at",
        "finished_at",
        "enqueued_at",
        "result",
        "preview_grid",
    )
    filter_horizontal = ("categories",)

    @admin.display(description=gettext_lazy("Live page"))
    def live(self, job: TrainingJob) -> str:
        return format_html('<a href="{}">{}</a>', reverse("generation:job_detail", args=[job.pk]), _("watch"))


@admin.register(CopyTerm)
class CopyTermAdmin(admin.ModelAdmin):
    """Extends the grounding vocabularies: a colour, material, audience or category word, or a compound."""

    list_display = ("term", "field", "value", "updated_at")
    list_filter = ("field",)
    search_fields = ("term", "value")


@admin.register(CopyStyle)
class CopyStyleAdmin(admin.ModelAdmin):
    """Tone presets beside plain, premium and playful: a base style's phrases, its own phrases and rules."""

    list_display = ("name", "base", "exclamation", "max_sentence_length", "instructions")


@admin.register(CopyField)
class CopyFieldAdmin(admin.ModelAdmin):
    """Which of the catalog's fields copy says, in every style: never (price, by default), in long descriptions
    only (care, by default) or anywhere."""

    list_display = ("field", "said_in", "updated_at")
    list_editable = ("said_in",)
    list_filter = ("said_in",)
    search_fields = ("field",)


class CopyPhraseForm(forms.ModelForm):
    class Meta:
        model = CopyPhrase
        fields = "__all__"

    def clean(self):
        data = super().clean()
        try:
            copy_phrase_check(**{name: data.get(name, "") for name in ("language", "style", "part", "key", "text")})
        except StudioError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(CopyPhrase)
class CopyPhraseAdmin(admin.ModelAdmin):
    """Extends the phrase banks the built-in copywriter writes from."""

    form = CopyPhraseForm
    list_display = ("language", "style", "part", "key", "text", "updated_at")
    list_filter = ("language", "style", "part")
    search_fields = ("text", "key")


@admin.register(StoreArticle)
class StoreArticleAdmin(admin.ModelAdmin):
    """The store's articles; the dashboard (Inbox → Store articles) keeps their history, as this does."""

    list_display = ("slug", "title", "language", "published", "updated_at")
    list_filter = ("language", "published")
    search_fields = ("slug", "title", "body")

    def save_model(self, request, obj, form, change):
        storefront_services.article_save(
            article=StoreArticle.objects.get(pk=obj.pk) if change else None, slug=obj.slug, title=obj.title,
            body=obj.body, language=obj.language, published=obj.published, user=request.user,
        )  # fmt: skip


@admin.register(StorefrontKey)
class StorefrontKeyAdmin(admin.ModelAdmin):
    """Storefronts' keys: named, with the origins their publishable key answers and the answer mode; the secret key
    is for the shop's server only (it signs shopper tokens); revoked, never deleted."""

    list_display = ("name", "key", "mode", "threshold", "allowed_origins", "any_origin", "revoked_at", "created_at")
    readonly_fields = ("key", "secret_key", "demo", "revoked_at", "created_by")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            storefront_services.storefront_key_revoke(key=key)
        self.message_user(request, _("Revoked: storefronts using these keys are refused from now on."))


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("id", "storefront", "language", "status", "taken_by", "updated_at")
    list_filter = ("status", "language")


@admin.register(SavedAnswer)
class SavedAnswerAdmin(admin.ModelAdmin):
    """Answers reviewers edited and approved: given again to the same question; delete one to stop that."""

    list_display = ("question_key", "language", "sku", "saved_by", "created_at")
    readonly_fields = ("question_key", "language", "sku", "citations", "saved_by")


@admin.register(CategoryPairing)
class CategoryPairingAdmin(admin.ModelAdmin):
    list_display = ("category", "goes_with", "weight")
    list_filter = ("category",)
    list_editable = ("weight",)
    list_select_related = ("category", "goes_with")


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(ReadOnlyAdmin):
    """Made and removed on the Recommendations page or through the API, where each change is audited."""

    list_display = ("__str__", "created_by", "created_at")
    list_select_related = ("product", "category", "created_by")


@admin.register(RecommendationRuleChange)
class RecommendationRuleChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "change", "rule", "acting_user")
    list_filter = ("change",)
    exclude = ("said",)  # the rule's words, shown said as `rule`

    @admin.display(description=gettext_lazy("rule"))
    def rule(self, change: RecommendationRuleChange) -> str:
        return change.described
