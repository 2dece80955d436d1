"""`make bench-gan`: our GAN against a plain conditional DCGAN, on the full demo catalog, each trained for the
same wall-clock budget in the same run, then measured with the same metrics.

Usage: python bench/gan_bench.py [--minutes 10] [--device auto|cpu|cuda]
Runs in a throw-away data folder so the development database is left alone.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
ROWS = [
    ("images_per_second", "training images / s", "higher"),
    ("fd", "Fréchet distance (real vs real: fd_real)", "lower"),
    ("category_accuracy", "share in the category asked for", "higher"),
    ("precision", "precision", "higher"),
    ("recall", "recall", "higher"),
    ("near_copy_share", "near-copy share", "lower"),
    ("data_copying_ct", "data-copying C_T (about 0 is right)", ""),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="retail-bench-gan-")
    os.environ["RETAIL_STUDIO_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    # Decoded arrays and the metrics classifier are keyed by content: keep them between bench runs.
    os.environ.setdefault("GAN_WORK_DIR", str(PROJECT / "var" / "gan"))
    for command in (["migrate", "-v", "0"], ["load_demo_catalog"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=PROJECT, check=True, stdout=subprocess.DEVNULL)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retail_studio.settings")
    import django

    django.setup()
    from catalog.models import Category
    from generation.gan.metrics.metric_main import evaluate
    from generation.gan.training_loop import TrainConfig, resolve_device, training_loop
    from generation.services.datasets import metrics_reference, training_data_load

    started = time.monotonic()
    data = training_data_load(categories=list(Category.objects.all()))
    print(
        f"data: {len(data.train_images):,} training and {len(data.test_images):,} held-out photos, "
        f"{data.resolution}x{data.resolution}x{data.channels}, decoded in {time.monotonic() - started:.0f}s"
    )
    started = time.monotonic()
    reference = metrics_reference(data)
    print(f"metrics classifier and reference features ready in {time.monotonic() - started:.0f}s")
    print(f"device: {resolve_device(args.device)}, budget: {args.minutes:g} min per model\n", flush=True)

    shape = {"resolution": data.resolution, "channels": data.channels, "num_classes": len(data.categories)}
    results = {}
    for label, config in (("baseline DCGAN", TrainConfig.baseline(**shape)), ("Retail Studio", TrainConfig(**shape))):
        run = training_loop(
            images=data.train_images, labels=data.train_labels, config=config, device=args.device,
            max_seconds=args.minutes * 60,
        )  # fmt: skip
        metrics = evaluate(run.generator.cpu(), reference)
        metrics["images_per_second"] = run.images_per_second
        results[label] = metrics
        print(f"{label}: {run.step:,} steps, {run.images_seen:,} images in {run.seconds:.0f}s", flush=True)

    base, ours = results["baseline DCGAN"], results["Retail Studio"]
    print(f"\n{'figure':<42} {'baseline':>10} {'ours':>10} {'ours/base':>10} {'real':>10}")
    for key, title, _ in ROWS:
        real = base.get(f"{key}_real", "")
        ratio = ours[key] / base[key] if base[key] else float("nan")
        real_text = f"{real:10.4g}" if real != "" else f"{'':>10}"
        print(f"{title:<42} {base[key]:10.4g} {ours[key]:10.4g} {ratio:10.3f} {real_text}")
    print("\nper-category Fréchet distance (ours / baseline):")
    for index, category in enumerate(data.categories):
        print(
            f"  {category.name:<12} {ours['fd_per_category'].get(index, float('nan')):8.3f} "
            f"{base['fd_per_category'].get(index, float('nan')):8.3f}"
        )
    print("\ntargets: FD ours <= 0.5 x baseline; category share >= 0.90; near-copy share <= real; speed >= 2x")


if __name__ == "__main__":
    main()
