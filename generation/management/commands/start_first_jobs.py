from django.core.management.base import BaseCommand

from generation.services.first_run import first_run_start


class Command(BaseCommand):
    help = "On the first run with the demo catalog, queues the first trainings (STUDIO_FIRST_JOBS=0: never)."

    def handle(self, *args, **options):
        run = first_run_start()
        if run is None:
            return
        minutes = run.estimated_seconds / 60
        categories = ", ".join(run.copy_training.categories.values_list("name", flat=True))
        self.stdout.write(self.style.SUCCESS(
            f"First run: training a copywriter and an image model ({categories}), then writing "
            f"titles and generating images from them. Copy and images reach the review queue in about "
            f"{minutes:.0f} minutes; the jobs page shows each step (STUDIO_FIRST_JOBS=0 turns this off)."
        ))  # fmt: skip
