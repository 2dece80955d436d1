from django.core.management.base import BaseCommand
from kombu.exceptions import OperationalError

from generation.recommendations.receivers import image_features_missing_enqueue
from generation.recommendations.rules import demo_pairings_ensure


class Command(BaseCommand):
    help = (
        "Sends a worker the images still without features (a catalog loaded before the worker ran) and, with "
        "--demo, makes the demo's pairings between categories (tops with bottoms, footwear and bags...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true")

    def handle(self, *args, demo, **options):
        if demo:
            self.stdout.write(f"Pairings between categories: {demo_pairings_ensure()} made")
        try:
            queued = image_features_missing_enqueue()
        except OperationalError as exc:
            self.stderr.write(f"The broker is not reachable ({exc}): `manage.py train_recommender` computes them.")
            return
        if queued:
            self.stdout.write(f"Image features for {queued:,} image(s) queued for the worker")
