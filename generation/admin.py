from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from generation.models import GeneratedItem, GenerativeModel, ModelAuditEvent, TrainingJob
from generation.services import jobs


@admin.register(GenerativeModel)
class GenerativeModelAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "state", "resolution", "channels", "steps", "created_at")
    list_filter = ("state", "name")
    search_fields = ("name",)
    filter_horizontal = ("categories",)
    readonly_fields = ("state",)  # promote and retire on the registry page, where they are audited


@admin.register(ModelAuditEvent)
class ModelAuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "model", "kind", "from_state", "acting_user")
    list_filter = ("kind",)
    list_select_related = ("model", "acting_user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GeneratedItem)
class GeneratedItemAdmin(admin.ModelAdmin):
    list_display = ("id", "model", "category", "seed", "truncation", "review_state", "created_at")
    list_filter = ("review_state", "category", "model")
    search_fields = ("model__name",)
    raw_id_fields = ("model",)
    list_select_related = ("model", "category")


@admin.register(TrainingJob)
class TrainingJobAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "status", "progress", "step", "attempts", "worker", "started_by", "created_at", "live")
    list_filter = ("status", "device", "name")
    search_fields = ("name", "error", "worker")
    readonly_fields = ("history", "traceback", "heartbeat_at", "started_at", "finished_at", "result")
    filter_horizontal = ("categories",)
    actions = ["retry", "cancel"]

    @admin.display(description="Live page")
    def live(self, job: TrainingJob) -> str:
        return format_html('<a href="{}">watch</a>', reverse("generation:job_detail", args=[job.pk]))

    @admin.action(description="Retry or resume the selected failed or cancelled jobs")
    def retry(self, request, queryset):
        done = 0
        for job in queryset:
            try:
                jobs.training_job_retry(job=job)
                done += 1
            except ValueError as exc:
                self.message_user(request, f"#{job.pk}: {exc}", messages.WARNING)
        self.message_user(request, f"{done} job(s) queued again.")

    @admin.action(description="Cancel the selected queued or running jobs")
    def cancel(self, request, queryset):
        for job in queryset:
            jobs.training_job_cancel(job=job)
        self.message_user(request, "Cancel requested.")
