from django.core.management.base import BaseCommand, CommandError

from generation.recommendations.features import image_features_compute
from generation.recommendations.models import ShopperEvent
from generation.recommendations.training import recommender_train
from retail_studio.errors import StudioError
from retail_studio.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Computes any image features still missing, then trains the recommender on the shoppers' events now "
        "stored, registers the version with its figures beside the baselines', and promotes it if it is better."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, seed, **options):
        bars: dict[str, ProgressBar] = {}

        def phase(what: str, done: int, total: int) -> None:
            if what not in bars:
                bars[what] = ProgressBar(what, self.stdout)
            bars[what](done, max(total, 1))

        train_bar = ProgressBar("train", self.stdout)

        def progress(point: dict) -> None:
            train_bar(int(point["fraction"] * 1000), 1000, f"iteration {point['step']} loss {point['loss']:.4f}")

        try:
            computed = image_features_compute(progress=phase)
            self.stdout.write(f"Image features computed for {computed:,} image(s)")
            if not ShopperEvent.objects.exists():
                self.stdout.write(
                    "No shoppers' events yet: similar items and complete-the-look are served; for-you needs events "
                    "(manage.py import_events FILE.csv)."
                )
                return
            model = recommender_train(seed=seed, progress_fn=progress, phase_fn=phase)
        except StudioError as exc:
            raise CommandError(str(exc)) from exc
        figures = model.metrics
        self.stdout.write(self.style.SUCCESS(f"Registered {model} ({model.state})"))
        self.stdout.write(
            f"  {figures['events']:,} events of {figures['shoppers']:,} shoppers; on the newest tenth "
            f"({figures['shoppers_measured']:,} shoppers measured):"
        )
        for label, row in [("model", figures), *figures["baselines"].items()]:
            self.stdout.write(
                f"  {label:<14} recall@10 {row['recall_at_10']:.4f}  NDCG@10 {row['ndcg_at_10']:.4f}  "
                f"coverage {row['coverage']:.2%}"
            )
