from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Product
from generation.selectors import generative_model_named
from generation.services.jobs import variations_job_check
from generation.services.sampling import images_from_photos
from retail_studio.errors import StudioError


class Command(BaseCommand):
    help = (
        "Makes N variations of each product's photo with a VAE version (its active one, else its newest) into an "
        ".npz file: `images` (N, H, W, C) uint8 and `skus`, the source SKU of each image."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--sku", nargs="+", required=True)
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--diversity", type=float, default=0.5)

    def handle(self, *args, name, sku, count, out, seed, diversity, **options):
        model = generative_model_named(name)
        if model is None:
            raise CommandError(f"No model named {name!r}")
        found = {p.sku: p for p in Product.objects.filter(sku__in=sku).select_related("category")}
        if missing := [s for s in sku if s not in found]:
            raise CommandError(f"Unknown SKU(s): {', '.join(missing)}")
        images, sources = [], []
        try:
            for code in sku:
                variations_job_check(model=model, products=[found[code]], count=count, diversity=diversity, seed=seed)
                images.append(images_from_photos(model, [found[code]], count=count, diversity=diversity, seed=seed))
                sources += [code] * count
        except StudioError as exc:
            raise CommandError(str(exc)) from exc
        np.savez(out, images=np.concatenate(images), skus=np.array(sources))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(sources)} variations from {model} to {out}"))
