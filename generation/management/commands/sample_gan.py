from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from generation.selectors import generative_model_named
from generation.services.models import gan_sample
from retail_studio.errors import StudioError


class Command(BaseCommand):
    help = (
        "Samples N images per category from an image model of either engine (its active version, else its newest) "
        "into an .npz file."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--per-category", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--truncation", type=float, default=1.0)
        parser.add_argument("--model-version", type=int, help="a version number (default: the active one)")
        parser.add_argument("--categories", nargs="*")

    def handle(self, *args, name, per_category, out, seed, truncation, model_version, categories, **options):
        model = generative_model_named(name, model_version)
        if model is None:
            raise CommandError(f"No model named {name!r}")
        if per_category < 1:
            raise CommandError("--per-category must be at least 1")
        try:
            images, labels, names = gan_sample(
                model=model, per_category=per_category, seed=seed, truncation=truncation, categories=categories
            )
        except StudioError as exc:
            raise CommandError(str(exc)) from exc
        if images.shape[3] == 1:
            images = images[:, :, :, 0]
        np.savez(out, images=images, labels=labels, categories=np.array(names))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(images)} images from {model} to {out}"))
