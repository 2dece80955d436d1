"""`make bench-vae`: the VAE against the textbook conditional VAE and our GAN, on a demo catalog, in one run,
on the same data and the same wall-clock budget per training, measured with the GAN's metrics.

- textbook VAE: the conditional VAE without the adversarial term, its decoder's variance the earlier 0.1 and
  32 latent dimensions, sampled from its N(0, I) prior, and the same VAE through the simplest second stage (a
  Gaussian per category fitted to the training photos' latents);
- ours: the VAE with the adversarial term on its decoder, a decoder variance of 0.01 and 64 latent dimensions,
  sampled through one Gaussian per category and through the second stage it keeps (a mixture per category);
- our GAN, for the same budget.

Then the VAE's variations (share in their source's category, distance to the source and between one another,
in the metrics classifier's features) and the photo check on planted mislabelled photos (their ranks).
Grids are written to var/bench/. Usage: python bench/vae_bench.py [--minutes 10] [--device auto]
[--dataset fashion-mnist|fashion-products]. A throw-away data folder: the development database is left alone.
"""

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from bench.common import image_bench_data  # noqa: E402

PLANTED = 20  # held-out photos imported under another category for the photo check
PLANT_DRAWS = 10  # draws of them: one draw moves a lot with which photos it happens to pick


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--dataset", default="fashion-mnist", choices=("fashion-mnist", "fashion-products"))
    parser.add_argument("--categories", type=int, default=10, help="fashion-products: how many article types")
    args = parser.parse_args()

    data, ref = image_bench_data(args.dataset, args.categories, "retail-bench-vae-")
    from generation.gan.metrics.classifier import classify
    from generation.gan.metrics.metric_main import evaluate
    from generation.gan.training_loop import TrainConfig, training_loop
    from generation.services.models import sample_grid_png
    from generation.vae.photo_check import photo_check
    from generation.vae.sampling import prior_fit, variations
    from generation.vae.training_loop import VAETrainConfig, build_vae, vae_training_loop

    shape = {
        "resolution": data.resolution,
        "image_width": data.image_width,
        "channels": data.channels,
        "num_classes": len(data.categories),
    }
    print(f"budget: {args.minutes:g} min per training", flush=True)
    grids = PROJECT / "var" / "bench"
    grids.mkdir(parents=True, exist_ok=True)

    budget = args.minutes * 60

    def vae_trained(**options):
        return vae_training_loop(
            images=data.train_images,
            labels=data.train_labels,
            config=VAETrainConfig(**shape, **options),
            device=args.device,
            max_seconds=budget,
        )

    def one_gaussian(config, model):
        """The model with its fitted prior cut to each category's one Gaussian (a version saved before the
        mixture loads this way)."""
        single = build_vae(dataclasses.replace(config, prior_components=1))
        single.load_state_dict({k: v for k, v in model.state_dict().items() if not k.startswith("mixture_")})
        return single.eval()

    textbook_run = vae_trained(adversarial_weight=0.0, decoder_variance=0.1, z_dim=32, prior_components=1)
    textbook = textbook_run.model.cpu()
    results = {"textbook VAE (N(0, I) prior)": evaluate(textbook.sampler(), ref)}
    (grids / f"vae-{args.dataset}-textbook.png").write_bytes(sample_grid_png(textbook.sampler(), len(data.categories)))
    prior_fit(textbook, data.train_images, data.train_labels)
    results["textbook VAE, fitted prior"] = evaluate(textbook.sampler(), ref)
    vae_run = vae_trained()
    vae = vae_run.model.cpu()
    prior_fit(vae, data.train_images, data.train_labels)
    results["ours, one Gaussian per category"] = evaluate(one_gaussian(vae_run.config, vae).sampler(), ref)
    results["ours (adversarial, mixture prior)"] = evaluate(vae.sampler(), ref)
    (grids / f"vae-{args.dataset}-ours.png").write_bytes(sample_grid_png(vae.sampler(), len(data.categories)))
    gan_run = training_loop(
        images=data.train_images,
        labels=data.train_labels,
        config=TrainConfig(**shape),
        device=args.device,
        max_seconds=budget,
    )
    results["our GAN"] = evaluate(gan_run.generator.cpu(), ref)
    (grids / f"vae-{args.dataset}-gan.png").write_bytes(sample_grid_png(gan_run.generator, len(data.categories)))
    print(
        f"\ntextbook VAE: {textbook_run.step:,} steps; ours: {vae_run.step:,} steps ({vae_run.images_per_second:,.0f} "
        f"images/s); GAN: {gan_run.step:,} steps "
        f"({gan_run.images_per_second:,.0f} images/s); grids in {grids}"
    )
    print(f"\n{'model':<38}{'FD':>10}{'in the asked category':>24}{'precision':>11}{'recall':>9}")
    for label, figures in results.items():
        print(
            f"{label:<38}{figures['fd']:>10.3f}{figures['category_accuracy']:>24.3f}"
            f"{figures['precision']:>11.3f}{figures['recall']:>9.3f}"
        )
    gan_fd, our_fd = results["our GAN"]["fd"], results["ours (adversarial, mixture prior)"]["fd"]
    print(f"VAE FD / GAN FD: {our_fd / gan_fd:.2f} (target at most 2)")

    # Variations of held-out photos: 8 of each of 400 photos, at four diversities, from the decoder alone (at 0 its
    # reconstruction) and with the photo's detail kept near it (the product's). The classifier's own accuracy
    # on the sources is the ceiling of "in their source's category"; agreeing with what it sees in the source
    # is the share without its mistakes.
    rng = np.random.default_rng(0)
    sources = rng.choice(len(data.test_images), size=min(400, len(data.test_images)), replace=False)
    source_features, source_predicted, _ = classify(ref.classifier, data.test_images[sources])
    by_source = {int(i): n for n, i in enumerate(sources)}
    typical = np.mean(np.linalg.norm(source_features[:, None] - source_features[None], axis=-1))
    ceiling = (source_predicted == data.test_labels[sources]).mean()
    print(
        f"\nvariations of {len(sources)} held-out photos (8 each); the classifier puts {ceiling:.1%} of the sources "
        f"themselves in their category; two held-out photos lie {typical:.2f} apart (classifier features)"
    )
    for diversity, detail in [(d, kept) for d in (0.0, 0.25, 0.5) for kept in (False, True)] + [(1.0, True)]:
        made, of = [], []
        for i in sources:
            made.append(
                variations(
                    vae,
                    data.test_images[i],
                    int(data.test_labels[i]),
                    count=8,
                    diversity=diversity,
                    seed=int(i),
                    detail=detail,
                )
            )
            of += [by_source[int(i)]] * 8
        made, of = np.concatenate(made), np.array(of)
        features, predicted, _ = classify(ref.classifier, made)
        in_category = (predicted == data.test_labels[sources][of]).mean()
        as_source = (predicted == source_predicted[of]).mean()
        to_source = np.linalg.norm(features - source_features[of], axis=-1).mean()
        spread = np.mean(
            [
                np.linalg.norm(features[n : n + 8][:, None] - features[n : n + 8][None], axis=-1).sum() / 56
                for n in range(0, len(made), 8)
            ]
        )
        if diversity == 0.5:  # a grid to look at: each of 8 sources, then its variations
            rows = [
                np.concatenate([data.test_images[i], *made[n * 8 : n * 8 + 8]], axis=1)
                for n, i in enumerate(sources[:8])
            ]
            grid = np.concatenate(rows).squeeze(-1) if data.channels == 1 else np.concatenate(rows)
            kind = "detail" if detail else "decoder"
            Image.fromarray(grid).save(grids / f"vae-{args.dataset}-variations-{kind}.png")
        made_by = "with the photo's detail" if detail else "the decoder alone"
        print(
            f"  diversity {diversity:<5} {made_by:<24} {in_category:.1%} in their source's category (target 95%), "
            f"{as_source:.1%} where the classifier puts the source; distance to the source {to_source:.2f}, "
            f"between one another {spread:.2f}"
        )

    # The photo check: held-out photos, some imported under another category, in several draws.
    images, probabilities = data.test_images, classify(ref.classifier, data.test_images)[2]
    top, found, began = max(1, len(images) // 100), [], time.monotonic()
    for _ in range(PLANT_DRAWS):
        labels = data.test_labels.copy()
        planted = rng.choice(len(images), size=PLANTED, replace=False)
        labels[planted] = (labels[planted] + rng.integers(1, len(data.categories), size=PLANTED)) % len(data.categories)
        ranks = {s.index: rank for rank, s in enumerate(photo_check(vae, images, labels, probabilities))}
        found.append(sorted(ranks[i] for i in planted))
    in_top = sum(rank < top for ranks in found for rank in ranks)
    in_first = sum(rank < PLANTED for ranks in found for rank in ranks)
    print(
        f"photo check of {len(images):,} photos, {PLANT_DRAWS} draws of {PLANTED} planted mislabelled photos, "
        f"{(time.monotonic() - began) / PLANT_DRAWS:.0f} s a check: {in_top} of {PLANT_DRAWS * PLANTED} in the "
        f"top 1% ({top} a draw, so at most {PLANT_DRAWS * min(top, PLANTED)}); {in_first} in the first {PLANTED}; "
        f"each draw's last {[ranks[-1] for ranks in found]}; the first draw's ranks {found[0]}"
    )


if __name__ == "__main__":
    main()
