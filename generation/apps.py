from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class GenerationConfig(AppConfig):
    name = "generation"
    verbose_name = _("Generation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from retail_studio.labels import translate_model_labels

        translate_model_labels(self)
        from generation import presence  # noqa: F401  (the workers' proof of life)
        from generation.recommendations import receivers  # noqa: F401  (new photos, changed products)

        # Services send tasks by name and workers find them by autodiscovery, so the web never imports the
        # tasks, nor PyTorch through them: its ~150,000 objects would make each full garbage collection of a
        # web process pause every request in it for ~100 ms. Tasks run in-process (eager) need them registered.
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from generation import tasks  # noqa: F401
