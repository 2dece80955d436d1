"""What `manage.py train_gan` and `manage.py train_vae` share: one command for either image engine."""

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Category
from generation.models import Engine
from generation.services.models import image_train
from retail_studio.errors import StudioError
from retail_studio.progress import ProgressBar


class ImageTrainingCommand(BaseCommand):
    engine = Engine.GAN

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--categories", nargs="*", help="category names (default: all)")
        budget = parser.add_mutually_exclusive_group(required=True)
        budget.add_argument("--minutes", type=float)
        budget.add_argument("--steps", type=int)
        parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
        parser.add_argument("--resume", action="store_true", help="continue the last unfinished run of this name")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, name, categories, minutes, steps, device, resume, seed, **options):
        chosen = list(Category.objects.filter(name__in=categories)) if categories else list(Category.objects.all())
        if categories and len(chosen) != len(set(categories)):
            missing = sorted(set(categories) - {c.name for c in chosen})
            raise CommandError(f"Unknown categories: {', '.join(missing)}")
        bar = ProgressBar("train", self.stdout)

        def progress(point: dict) -> None:
            if "kl" in point:
                losses = f"reconstruction {point['reconstruction']:.1f} KL {point['kl']:.1f}"
            else:
                losses = f"D {point['d_loss']:.3f} G {point['g_loss']:.3f}"
            bar(
                int(point["fraction"] * 1000),
                1000,
                f"step {point['step']} {losses} {point['images_per_second']:.0f} img/s",
            )

        bars: dict[str, ProgressBar] = {}

        def phase(what: str, done: int, total: int) -> None:
            """Every step after the budget (the metrics classifier, the measuring) gets a bar of its own."""
            if what not in bars:
                bars[what] = ProgressBar(what, self.stdout)
            bars[what](done, max(total, 1))

        try:
            model = image_train(
                name=name,
                categories=chosen,
                engine=self.engine,
                minutes=minutes,
                steps=steps,
                device=device,
                resume=resume,
                seed=seed,
                progress_fn=progress,
                phase_fn=phase,
            )
        except StudioError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Registered {model} ({model.state}) after {model.steps} steps"))
        for key, value in model.metrics.items():
            if not isinstance(value, dict):
                self.stdout.write(f"  {key}: {value}")
