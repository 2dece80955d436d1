"""`make bench-gan`: our GAN against a plain conditional DCGAN, on a demo catalog, each trained for the same
wall-clock budget in the same run, then measured with the same metrics; both sample grids are written to
var/bench/ to be looked at.

Usage: python bench/gan_bench.py [--minutes 10] [--device auto|cpu|cuda] [--dataset fashion-mnist|fashion-products]
  fashion-mnist: all ten categories, 28x28 grey. fashion-products: the shop's --categories largest article
  types (default 10), its 60x80 colour photos at the shape the studio picks for them.
Runs in a throw-away data folder so the development database is left alone.
"""

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from bench.common import image_bench_data  # noqa: E402

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
    parser.add_argument("--dataset", default="fashion-mnist", choices=("fashion-mnist", "fashion-products"))
    parser.add_argument("--categories", type=int, default=10, help="fashion-products: how many article types")
    args = parser.parse_args()

    data, reference = image_bench_data(args.dataset, args.categories, "retail-bench-gan-")
    from generation.gan.metrics.metric_main import evaluate
    from generation.gan.training_loop import TrainConfig, resolve_device, training_loop
    from generation.services.models import sample_grid_png

    print(f"device: {resolve_device(args.device)}, budget: {args.minutes:g} min per model\n", flush=True)

    shape = {
        "resolution": data.resolution,
        "image_width": data.image_width,
        "channels": data.channels,
        "num_classes": len(data.categories),
    }
    grids = PROJECT / "var" / "bench"
    grids.mkdir(parents=True, exist_ok=True)
    results = {}
    for label, config in (("baseline DCGAN", TrainConfig.baseline(**shape)), ("Retail Studio", TrainConfig(**shape))):
        run = training_loop(
            images=data.train_images, labels=data.train_labels, config=config, device=args.device,
            max_seconds=args.minutes * 60,
        )  # fmt: skip
        metrics = evaluate(run.generator.cpu(), reference)
        metrics["images_per_second"] = run.images_per_second
        results[label] = metrics
        grid = grids / f"gan-{args.dataset}-{'baseline' if config.loss == 'bce' else 'ours'}.png"
        grid.write_bytes(sample_grid_png(run.generator, len(data.categories)))
        print(
            f"{label}: {run.step:,} steps, {run.images_seen:,} images in {run.seconds:.0f}s; grid: {grid}", flush=True
        )

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
            f"  {category.name:<20} {ours['fd_per_category'].get(index, float('nan')):8.3f} "
            f"{base['fd_per_category'].get(index, float('nan')):8.3f}"
        )
    print("\ntargets: FD ours <= 0.5 x baseline; category share >= 0.90; near-copy share <= real; speed >= 2x")


if __name__ == "__main__":
    main()
