import time

import numpy as np
import pytest
import torch

from generation.gan.augment import AdaptiveAugment, augment
from generation.gan.sampling import sample, sample_per_category
from generation.gan.training_loop import TrainConfig, training_loop, wrong_labels

SHAPE = {"resolution": 28, "channels": 1, "num_classes": 2}


TOY_LEVELS = (30, 220)


def toy_data(n: int = 256):
    """Class 0 is a plain dark image, class 1 a plain bright one: easy to tell apart, quick to learn."""
    labels = np.arange(n) % 2
    noise = np.random.default_rng(0).integers(-10, 11, size=(n, 28, 28, 1))
    images = (np.array(TOY_LEVELS)[labels][:, None, None, None] + noise).astype(np.uint8)
    return images, labels


def brightness_error(generator) -> float:
    """How far the generated images' mean brightness is from their class's, on the [-1, 1] scale."""
    images = sample(generator, [0] * 32 + [1] * 32, list(range(64))).astype(np.float32) / 127.5 - 1
    targets = np.repeat(np.array(TOY_LEVELS) / 127.5 - 1, 32)
    return float(np.abs(images.mean(axis=(1, 2, 3)) - targets).mean())


def tiny_config(**overrides) -> TrainConfig:
    return TrainConfig(**SHAPE, batch_size=16, width=8, lr_g=1e-3, lr_d=1e-3, **overrides)


@pytest.mark.parametrize("mismatch_weight", [0.0, 0.5])
def test_a_few_steps_on_a_toy_distribution_move_samples_towards_it(mismatch_weight):
    images, labels = toy_data()
    config = tiny_config(mismatch_weight=mismatch_weight)
    before = training_loop(images=images, labels=labels, config=config, max_steps=1)
    after = training_loop(images=images, labels=labels, config=config, max_steps=200)
    assert brightness_error(after.generator) < 0.5 * brightness_error(before.generator)


def test_wrong_labels_are_always_another_class_and_cover_them_all():
    labels = torch.arange(5).repeat(200)
    wrong = wrong_labels(labels, 5, torch.Generator().manual_seed(0))
    assert not (wrong == labels).any()
    for c in range(5):
        assert set(wrong[labels == c].tolist()) == set(range(5)) - {c}


def test_a_single_category_trains_with_the_mismatch_term_on():
    images, labels = toy_data(32)
    config = TrainConfig(resolution=28, channels=1, num_classes=1, batch_size=8, width=8, mismatch_weight=0.5)
    assert training_loop(images=images, labels=labels * 0, config=config, max_steps=2).step == 2


def test_resume_from_a_checkpoint_gives_a_bit_identical_next_step(tmp_path):
    torch.set_num_threads(1)  # the same kernel choice on both runs
    images, labels = toy_data(64)
    config = tiny_config(augment_target=0.0)  # p moves every few steps: its state must survive too
    training_loop(images=images, labels=labels, config=config, max_steps=8, checkpoint_path=tmp_path / "a.pt")
    training_loop(images=images, labels=labels, config=config, max_steps=5, checkpoint_path=tmp_path / "b.pt")
    resumed = training_loop(
        images=images, labels=labels, config=config, max_steps=8, checkpoint_path=tmp_path / "b.pt", resume=True
    )
    assert resumed.step == 8 and resumed.images_seen == 8 * 16
    a, b = torch.load(tmp_path / "a.pt", weights_only=True), torch.load(tmp_path / "b.pt", weights_only=True)
    assert a["augment"]["p"] == b["augment"]["p"] > 0
    for part in ("G", "D", "G_ema"):
        for key, value in a[part].items():
            assert torch.equal(value, b[part][key]), f"{part}.{key} differs after resume"


def test_a_run_resumes_with_the_settings_its_checkpoint_was_written_with(tmp_path):
    """A default that changed since (here the width) does not change a run begun before; a setting the checkpoint
    names but that is gone is skipped, and one it does not name keeps the caller's value."""
    images, labels = toy_data(32)
    path = tmp_path / "older.pt"
    training_loop(images=images, labels=labels, config=tiny_config(), max_steps=2, checkpoint_path=path)
    state = torch.load(path, weights_only=True)
    state["config"]["retired_setting"] = 1
    del state["config"]["lr_d"]
    torch.save(state, path)
    resumed = training_loop(
        images=images,
        labels=labels,
        config=TrainConfig(**SHAPE, batch_size=16, width=16, lr_d=5e-4),
        max_steps=4,
        checkpoint_path=path,
        resume=True,
    )
    assert resumed.step == 4 and resumed.config.width == 8 and resumed.config.lr_d == 5e-4


def test_abort_stops_the_loop_and_keeps_a_checkpoint(tmp_path):
    images, labels = toy_data(32)
    calls = []
    result = training_loop(
        images=images, labels=labels, config=tiny_config(), max_steps=1000, checkpoint_path=tmp_path / "c.pt",
        abort_fn=lambda: len(calls) > 3 or calls.append(1) and False,
    )  # fmt: skip
    assert result.stopped == "aborted" and result.step == 4
    assert torch.load(tmp_path / "c.pt", weights_only=True)["step"] == 4


def test_progress_reports_figures():
    images, labels = toy_data(32)
    points = []
    training_loop(images=images, labels=labels, config=tiny_config(), max_steps=3, progress_fn=points.append)
    assert points[-1]["step"] == 3 and points[-1]["fraction"] == 1.0
    assert {"d_loss", "g_loss", "augment_p", "images_per_second"} <= set(points[-1])


def test_measurements_join_the_progress_points_without_spending_the_budget_or_the_training_rng(tmp_path):
    images, labels = toy_data(32)
    points, seen = [], []

    def measure(generator):
        seen.append(generator)
        time.sleep(0.3)  # a slow measurement: the training clock must not count it
        return {"fd": 1.5}

    started = time.monotonic()
    result = training_loop(
        images=images, labels=labels, config=tiny_config(), max_seconds=0.6, progress_fn=points.append,
        measure_fn=measure, measure_every_seconds=0.2, checkpoint_path=tmp_path / "m.pt",
    )  # fmt: skip
    wall = time.monotonic() - started
    measured = [p for p in points if "fd" in p]
    assert len(seen) >= 2 and len(measured) == len(seen)
    assert all(not g.training for g in seen)  # a calibrated copy in eval mode, not the generator being trained
    assert wall > 0.6 + 0.3 * len(seen)  # the sleeps were not charged to the 0.6 s training budget
    plain = training_loop(images=images, labels=labels, config=tiny_config(), max_steps=result.step)
    for key, value in plain.generator.state_dict().items():
        assert torch.equal(value, result.generator.state_dict()[key]), f"measuring changed training: {key}"


def test_sampling_is_deterministic_under_a_seed_and_truncation_narrows_it():
    images, labels = toy_data(64)
    G = training_loop(images=images, labels=labels, config=tiny_config(), max_steps=2).generator
    a, _, seeds = sample_per_category(G, [0, 1], 5, seed=7)
    b, _, _ = sample_per_category(G, [0, 1], 5, seed=7)
    c, _, _ = sample_per_category(G, [0, 1], 5, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert seeds.tolist() == list(range(7, 17))
    one, _, _ = sample_per_category(G, [1], 1, seed=9)  # an item is made again from its own seed alone
    assert np.array_equal(one[0], sample(G, [1], [9])[0])
    wide, _, _ = sample_per_category(G, [0], 32, seed=0, truncation=1.0)
    narrow, _, _ = sample_per_category(G, [0], 32, seed=0, truncation=0.1)
    assert narrow.astype(float).std(axis=0).mean() < wide.astype(float).std(axis=0).mean()


def test_augmentation_is_identity_at_zero_and_differentiable():
    x = (torch.rand(4, 3, 16, 16) * 2 - 1).requires_grad_()
    assert torch.equal(AdaptiveAugment(p=0.0)(x), x)
    y = augment(x, 1.0, torch.Generator().manual_seed(0))
    assert y.shape == x.shape and not torch.allclose(y, x)
    y.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_translation_brings_in_the_photos_own_background():
    """A white-background catalog photo moved sideways keeps a white border, not a black one."""
    white = torch.ones(8, 3, 16, 16)
    white[:, :, 6:10, 6:10] = -1.0  # a dark product in the middle
    moved = augment(white, 1.0, torch.Generator().manual_seed(0))
    grey = moved.mean(dim=1)  # brightness and contrast change the level, not the border's shape
    for image in grey:
        border = torch.cat([image[0], image[-1], image[:, 0], image[:, -1]])
        assert torch.allclose(border, border.max().expand_as(border)), "the border is the background, all alike"


def test_adaptive_strength_rises_when_d_is_overconfident():
    ada = AdaptiveAugment(target=0.6, interval=1, speed_images=1000)
    for step in range(1, 11):
        ada.observe(torch.ones(100), step, 100)
    assert ada.p == pytest.approx(1.0)
    for step in range(11, 16):
        ada.observe(-torch.ones(100), step, 100)
    assert ada.p == pytest.approx(0.5)


def test_a_portrait_colour_shape_trains_and_samples_at_its_own_height_and_width():
    """A shop's 60x80 photos train at 32 wide by 40 tall: nothing squares them on the way."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(64, 40, 32, 3), dtype=np.uint8)
    config = TrainConfig(resolution=40, image_width=32, channels=3, num_classes=2, batch_size=8, width=4)
    run = training_loop(images=images, labels=np.arange(64) % 2, config=config, max_steps=2)
    assert sample(run.generator, [0, 1], [1, 2]).shape == (2, 40, 32, 3)


def test_a_config_stored_before_shapes_had_a_width_is_square():
    assert TrainConfig(resolution=28, channels=1, num_classes=2).image_width == 28
