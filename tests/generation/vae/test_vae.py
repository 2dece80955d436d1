"""The VAE engine on tiny tensors, without Django: every image shape the GAN supports builds, the loss falls, a
photo round-trips through encode and decode, a seed makes the same image again, a checkpoint resumes
bit-identically, and variations and blends stay in their category."""

from dataclasses import replace
from functools import cache

import numpy as np
import pytest
import torch

from generation.gan.sampling import latent_for_seed, sample
from generation.vae.loss import vae_loss
from generation.vae.networks import VAE
from generation.vae.sampling import blend, decode, encode, variations
from generation.vae.training_loop import VAETrainConfig, vae_training_loop
from tests.generation.gan.test_training_loop import TOY_LEVELS, toy_data

SHAPE = {"resolution": 28, "channels": 1, "num_classes": 2}


def tiny(**overrides) -> VAETrainConfig:
    return VAETrainConfig(**SHAPE, batch_size=16, width=8, z_dim=8, lr=3e-3, **overrides)


@cache
def trained_on_toy() -> VAE:
    images, labels = toy_data(128)
    return vae_training_loop(images=images, labels=labels, config=tiny(), max_steps=100).model


@pytest.mark.parametrize(
    ("height", "width", "channels"), [(28, 28, 1), (32, 32, 3), (64, 64, 3), (32, 40, 3), (64, 80, 3), (28, 28, 3)]
)
def test_every_shape_the_gan_supports_builds_and_round_trips(height, width, channels):
    model = VAE(resolution=height, image_width=width, channels=channels, num_classes=3, z_dim=4, width=4)
    images = torch.zeros(2, channels, height, width)
    reconstruction, mean, log_variance = model(images, torch.tensor([0, 2]))
    assert reconstruction.shape == images.shape and mean.shape == log_variance.shape == (2, 4)


def test_the_textbook_decoder_learns_each_class_from_the_plain_prior():
    images, labels = toy_data(128)
    textbook = tiny(adversarial_weight=0.0, decoder_variance=0.1)
    model = vae_training_loop(images=images, labels=labels, config=textbook, max_steps=100).model
    sampled = sample(model.decoder, [0] * 16 + [1] * 16, list(range(32))).astype(np.float32)
    # Samples from N(0, I): the bright class's are brighter, by at least a third of the classes' gap. (Ours, with
    # a sharper decoder, samples through the fitted prior: the test after the photo check's.)
    assert sampled[16:].mean() - sampled[:16].mean() > (TOY_LEVELS[1] - TOY_LEVELS[0]) / 3


def test_a_short_run_lowers_the_loss_it_started_with():
    images, labels = toy_data(64)
    untrained = vae_training_loop(images=images, labels=labels, config=tiny(), max_steps=1).model
    trained = trained_on_toy()
    real = torch.from_numpy(images[:32].transpose(0, 3, 1, 2)).float() / 127.5 - 1
    y = torch.from_numpy(labels[:32]).long()

    def loss(model) -> float:
        with torch.no_grad():
            reconstruction, mean, log_variance = model(real, y, torch.Generator().manual_seed(0))
            return vae_loss(reconstruction, real, mean, log_variance)[0].item()

    assert loss(trained) < 0.5 * loss(untrained), (loss(untrained), loss(trained))


def test_encode_decode_round_trips_and_a_seed_makes_the_same_variation_again():
    images, labels = toy_data(64)
    model = trained_on_toy()
    latents = encode(model, images[:4], labels[:4])
    back = decode(model, latents, labels[:4])
    assert latents.shape == (4, 8) and back.shape == (4, 28, 28, 1) and back.dtype == np.uint8
    error = np.abs(back.astype(float).mean(axis=(1, 2, 3)) - images[:4].astype(float).mean(axis=(1, 2, 3)))
    assert error.max() < 50, error  # the classes are 190 apart
    once = variations(model, images[1], int(labels[1]), count=3, diversity=0.5, seed=7)
    again = variations(model, images[1], int(labels[1]), count=3, diversity=0.5, seed=7)
    assert np.array_equal(once, again) and not np.array_equal(once[0], once[1])
    # At diversity 0 a variation is the photo itself: what the decoder misses of it is added back.
    assert np.array_equal(variations(model, images[1], int(labels[1]), count=2, diversity=0.0, seed=1)[0], images[1])
    # ... fading out: from diversity 1 on, the images are the decoder's alone.
    moved = latents[1] + latent_for_seed(1, 8).numpy() @ model.prior_scale[int(labels[1])].numpy().T
    alone = decode(model, moved[None], labels[1:2])[0].astype(int)
    assert np.abs(variations(model, images[1], int(labels[1]), count=1, diversity=1.0, seed=1)[0] - alone).max() <= 1
    assert variations(model, images[1], int(labels[1]), count=0).shape == (0, 28, 28, 1)
    between = blend(model, images[0], images[2], int(labels[0]), steps=5)
    assert between.shape == (5, 28, 28, 1)
    with pytest.raises(ValueError, match="diversity"):
        variations(model, images[0], 0, count=1, diversity=3.0)


@pytest.mark.parametrize("adversarial_from", [500, 3], ids=["plain", "with the adversarial term"])
def test_resume_from_a_checkpoint_gives_bit_identical_weights(tmp_path, adversarial_from):
    torch.set_num_threads(1)
    images, labels = toy_data(64)
    config = tiny(adversarial_from=adversarial_from)
    vae_training_loop(images=images, labels=labels, config=config, max_steps=8, checkpoint_path=tmp_path / "a.pt")
    vae_training_loop(images=images, labels=labels, config=config, max_steps=5, checkpoint_path=tmp_path / "b.pt")
    resumed = vae_training_loop(
        images=images, labels=labels, config=config, max_steps=8, checkpoint_path=tmp_path / "b.pt", resume=True
    )
    assert resumed.step == 8 and resumed.images_seen == 8 * 16
    a, b = torch.load(tmp_path / "a.pt", weights_only=True), torch.load(tmp_path / "b.pt", weights_only=True)
    for part in ("model", "critic"):
        for key, value in a[part].items():
            assert torch.equal(value, b[part][key]), f"{part} {key} differs after resume"


def test_a_run_resumes_in_the_shape_its_checkpoint_was_written_in(tmp_path):
    """A checkpoint from before a default changed (here: 8 latent dimensions and no mixture prior) goes on as it
    began, and what it returns says so."""
    images, labels = toy_data(64)
    path = tmp_path / "older.pt"
    vae_training_loop(images=images, labels=labels, config=tiny(), max_steps=3, checkpoint_path=path)
    state = torch.load(path, weights_only=True)
    del state["config"]["prior_components"]
    state["model"] = {key: value for key, value in state["model"].items() if not key.startswith("mixture_")}
    torch.save(state, path)
    resumed = vae_training_loop(
        images=images, labels=labels, config=replace(tiny(), z_dim=16), max_steps=6, checkpoint_path=path, resume=True
    )
    assert resumed.step == 6 and resumed.config.z_dim == resumed.model.z_dim == 8
    assert resumed.config.prior_components == 10  # not in the old checkpoint: today's default


def test_the_live_previews_sample_through_a_fitted_prior_without_changing_the_training():
    images, labels = toy_data(64)
    seen = []

    def measure(sampler):
        seen.append(sampler)
        drawn = sample(sampler, [0] * 8 + [1] * 8, list(range(16))).astype(np.float32)
        return {"dark": float(drawn[:8].mean()), "bright": float(drawn[8:].mean())}

    points = []
    result = vae_training_loop(
        images=images,
        labels=labels,
        config=tiny(),
        max_steps=100,
        progress_fn=points.append,
        measure_fn=measure,
        measure_every_seconds=0.0,
    )
    assert seen and all(not s.training for s in seen)
    # Each preview's prior is fitted to the photos as the model is then; the model being trained keeps N(0, I).
    assert not torch.equal(seen[-1].vae.prior_mean, torch.zeros_like(seen[-1].vae.prior_mean))
    assert torch.equal(result.model.prior_mean, torch.zeros_like(result.model.prior_mean))
    last = [p for p in points if "dark" in p][-1]
    assert abs(last["dark"] - TOY_LEVELS[0]) < 30 and abs(last["bright"] - TOY_LEVELS[1]) < 30, last
    plain = vae_training_loop(images=images, labels=labels, config=tiny(), max_steps=100)
    for key, value in plain.model.state_dict().items():
        assert torch.equal(value, result.model.state_dict()[key]), f"measuring changed training: {key}"


def test_abort_stops_the_loop_and_progress_reports_the_losses(tmp_path):
    images, labels = toy_data(32)
    points = []
    calls = iter(range(1000))
    result = vae_training_loop(
        images=images,
        labels=labels,
        config=tiny(),
        max_steps=1000,
        checkpoint_path=tmp_path / "c.pt",
        abort_fn=lambda: next(calls) >= 5,
        progress_fn=points.append,
        progress_every_seconds=0.0,
    )
    assert result.stopped == "aborted" and result.step == 5 and (tmp_path / "c.pt").exists()
    assert {"loss", "reconstruction", "kl", "fraction", "images_per_second"} <= set(points[-1])


def test_planted_mislabelled_photos_rank_first_in_the_photo_check():
    from generation.vae.photo_check import photo_check

    images, labels = toy_data(128)
    planted = labels.copy()
    planted[[4, 9]] = 1 - planted[[4, 9]]  # two photos imported under the other category
    model = vae_training_loop(images=images, labels=planted, config=tiny(), max_steps=150).model
    scores = photo_check(model, images, planted)
    assert {s.index for s in scores[:2]} == {4, 9}, scores[:4]
    assert all(s.looks_like == labels[s.index] for s in scores[:2])
    assert all(s.looks_like is None for s in scores[10:])


def test_a_classifiers_doubt_counts_in_the_photo_check_even_when_it_still_picks_the_photos_category():
    from generation.vae.photo_check import photo_check

    images, labels = toy_data(64)
    model = trained_on_toy()
    probabilities = np.full((len(images), 2), 0.02, np.float32)
    probabilities[np.arange(len(images)), labels] = 0.98
    probabilities[7] = 0.45
    probabilities[7, labels[7]] = 0.55  # still its own category, but only just
    scores = photo_check(model, images, labels, probabilities)
    assert scores[0].index == 7 and scores[0].looks_like is None, scores[:3]


def test_the_fitted_prior_samples_each_category_where_its_photos_are():
    from generation.vae.sampling import prior_fit

    images, labels = toy_data(128)
    model = vae_training_loop(images=images, labels=labels, config=tiny(), max_steps=100).model
    prior_fit(model, images, labels)
    assert not torch.equal(model.prior_mean, torch.zeros_like(model.prior_mean))
    sampled = sample(model.sampler(), [0] * 16 + [1] * 16, list(range(32))).astype(np.float32)
    # From N(0, I) the latents miss where the photos are; from the fitted prior each category is close to its own.
    assert abs(sampled[:16].mean() - TOY_LEVELS[0]) < 30 and abs(sampled[16:].mean() - TOY_LEVELS[1]) < 30


def test_the_adversarial_term_trains_a_critic_while_the_reconstruction_still_improves():
    images, labels = toy_data(64)
    points = []
    config = tiny(adversarial_from=0)
    result = vae_training_loop(
        images=images, labels=labels, config=config, max_steps=60, progress_fn=points.append, progress_every_seconds=0
    )
    assert {"critic", "fooled"} <= set(points[-1]), points[-1]
    assert points[-1]["reconstruction"] < 0.5 * points[0]["reconstruction"], (points[0], points[-1])
    textbook = vae_training_loop(images=images, labels=labels, config=tiny(adversarial_weight=0.0), max_steps=60)
    # Same seed, same batches: only the adversarial term can make the decoders differ.
    assert not torch.equal(result.model.decoder.main[-2].weight, textbook.model.decoder.main[-2].weight)


def test_the_mixture_prior_draws_each_component_by_its_weight_and_exactly_its_gaussian():
    model = VAE(resolution=28, channels=1, num_classes=2, z_dim=3, width=4, prior_components=3)
    model.mixture_weights[1] = torch.tensor([0.2, 0.0, 0.8])  # an empty component is never drawn
    model.mixture_means[1] = torch.tensor([[-10.0, 0, 0], [0, 0, 0], [10.0, 0, 0]])
    model.mixture_scales[1] = torch.diag(torch.tensor([1.0, 2.0, 3.0])).repeat(3, 1, 1)
    z = torch.randn(20000, 3, generator=torch.Generator().manual_seed(0))
    latents = model.sampler().latents(z, torch.ones(20000, dtype=torch.long))
    right = latents[:, 0] > 0
    assert abs(right.float().mean().item() - 0.8) < 0.01
    assert (latents[:, 0].abs() > 4).all()  # nothing from the empty component at 0
    # Within a component, each coordinate is its Gaussian's: the first one is made normal again, not stretched.
    centred = (latents[right] - torch.tensor([10.0, 0, 0])) / torch.tensor([1.0, 2.0, 3.0])
    assert torch.allclose(centred.mean(dim=0), torch.zeros(3), atol=0.05)
    assert torch.allclose(centred.std(dim=0), torch.ones(3), atol=0.05)
    # Unfitted, a category's mixture is N(0, I).
    plain = model.sampler().latents(z, torch.zeros(20000, dtype=torch.long))
    assert torch.allclose(plain.mean(dim=0), torch.zeros(3), atol=0.05)
    assert torch.allclose(plain.std(dim=0), torch.ones(3), atol=0.05)


def test_a_version_saved_before_the_mixture_samples_as_it_did():
    old = VAE(resolution=28, channels=1, num_classes=2, z_dim=4, width=4)
    state = {k: v for k, v in old.state_dict().items() if not k.startswith("mixture_")}
    state["prior_mean"] = torch.tensor([[1.0, 2, 3, 4], [-1, -2, -3, -4]])
    state["prior_scale"] = 0.5 * torch.eye(4).repeat(2, 1, 1)
    loaded = VAE(resolution=28, channels=1, num_classes=2, z_dim=4, width=4)
    loaded.load_state_dict(state)
    z, labels = torch.randn(5, 4), torch.tensor([0, 1, 1, 0, 1])
    # The single Gaussian's draw from the same z, as PriorDecoder made it before.
    assert torch.allclose(loaded.sampler().latents(z, labels), state["prior_mean"][labels] + 0.5 * z)


def test_a_mixture_finds_each_cluster_of_latents_and_splits_the_largest_up_to_its_components():
    from generation.vae.sampling import mixture_fit

    rng = np.random.default_rng(0)
    # Two clusters, three quarters and a quarter of 128 latents in 8 dimensions: photos enough for 8 components.
    latents = np.concatenate([rng.normal(-3, 0.3, (96, 8)), rng.normal(3, 0.3, (32, 8))])
    weights, means, covariances = mixture_fit(latents, 10)
    assert weights.shape == (10,) and means.shape == (10, 8) and covariances.shape == (10, 8, 8)
    assert np.isclose(weights.sum(), 1.0)
    assert np.isclose(weights[means[:, 0] < 0].sum(), 0.75) and np.isclose(weights[means[:, 0] > 0].sum(), 0.25)
    assert len({tuple(m.round(6)) for m in means}) > 2  # fitted components, not one Gaussian repeated
    # Photos for fewer than two components: their one Gaussian as every component.
    weights, means, _ = mixture_fit(latents[::16], 10)
    assert np.allclose(weights, 0.1) and np.allclose(means, latents[::16].mean(axis=0))


def test_the_mixture_is_fitted_to_where_each_category_s_photos_lie():
    import copy

    from generation.vae.sampling import prior_fit

    images, labels = toy_data(128)
    model = prior_fit(copy.deepcopy(trained_on_toy()), images, labels)  # 64 photos a category: 4 components
    weights = model.mixture_weights
    assert torch.allclose(weights.sum(dim=1), torch.ones(2)) and (weights > 0).all()
    latents = torch.from_numpy(encode(model, images, labels))
    z = torch.randn(4000, 8, generator=torch.Generator().manual_seed(0))
    for label in (0, 1):
        drawn = model.sampler().latents(z, torch.full((4000,), label))
        own = latents[torch.from_numpy(labels) == label]
        assert torch.allclose(drawn.mean(dim=0), own.mean(dim=0), atol=0.2 * own.std().item())
    # Too few photos for two components (16 a category, 8 dimensions): the category's Gaussian, as every one.
    few = prior_fit(copy.deepcopy(trained_on_toy()), images[:32], labels[:32])
    assert torch.allclose(few.mixture_means, few.prior_mean[:, None].expand_as(few.mixture_means))
    assert torch.allclose(few.mixture_scales, few.prior_scale[:, None].expand_as(few.mixture_scales))
