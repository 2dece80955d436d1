from django.apps import AppConfig


class GenerationConfig(AppConfig):
    name = "generation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Services send tasks by name (the tasks import the services); registering the tasks here in every
        # process lets Celery find them by that name, eager mode included.
        from generation import presence, tasks  # noqa: F401  (presence: the workers' proof of life)
