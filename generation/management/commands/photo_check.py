import json

from django.core.management.base import BaseCommand, CommandError

from generation.selectors import generative_model_named
from generation.services.photo_check import photos_check
from retail_studio.errors import StudioError


class Command(BaseCommand):
    help = (
        "Scores every active product's photo under a VAE version (its active one, else its newest) and prints one "
        "JSON line per photo, the most unusual first: sku, score, reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--top", type=int, help="only the N most unusual")

    def handle(self, *args, name, top, **options):
        model = generative_model_named(name)
        if model is None:
            raise CommandError(f"No model named {name!r}")
        try:
            checked = photos_check(model=model)
        except StudioError as exc:
            raise CommandError(str(exc)) from exc
        for row in checked[:top] if top else checked:
            self.stdout.write(json.dumps({"sku": row["sku"], "score": row["score"], "reason": row["reason"]}))
