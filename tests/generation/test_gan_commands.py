"""train_gan and sample_gan on a small catalog, through the same services the Celery tasks use."""

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from generation.models import GenerativeModel
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def small_catalog(size: int = 28, mode: str = "L", per_category: int = 12, height: int | None = None):
    """Three categories told apart by brightness, with a few held-out photos each."""
    for name, level in (("Bag", 40), ("Dress", 140), ("Coat", 230)):
        for i in range(per_category):
            colour = level if mode == "L" else (level, 255 - level, (level * 3) % 255)
            split = "test" if i % 4 == 0 else "train"
            image = Image.new(mode, (size, height or size), colour)
            make_product(category=name, title=f"{name} {i}", split=split, image=image)


def version_rewritten(model: GenerativeModel, change) -> None:
    """The version's checkpoint as `change(state)` leaves it: how one saved by older code looks."""
    import io

    import torch
    from django.core.files.base import ContentFile

    with model.checkpoint.open("rb") as handle:
        state = torch.load(io.BytesIO(handle.read()), weights_only=True)
    change(state)
    saved = io.BytesIO()
    torch.save(state, saved)
    model.checkpoint.save("older.pt", ContentFile(saved.getvalue()))


def test_train_then_sample_grey_catalog(tmp_path, capsys):
    small_catalog(28, "L")
    call_command("train_gan", "--name", "demo", "--steps", "3", "--device", "cpu")
    out = capsys.readouterr().out
    assert "Registered demo v1 (active) after 3 steps" in out and "fd_real" in out

    model = GenerativeModel.objects.get()
    assert model.category_names == ["Bag", "Coat", "Dress"]
    assert (model.resolution, model.channels) == (28, 1)
    assert {"fd", "category_accuracy", "precision", "recall", "near_copy_share", "data_copying_ct"} <= set(
        model.metrics
    )
    assert model.sample_grid and model.checkpoint

    call_command("sample_gan", "demo", "--per-category", "4", "--out", str(tmp_path / "s.npz"), "--seed", "5")
    with np.load(tmp_path / "s.npz") as data:
        assert data["images"].shape == (12, 28, 28) and data["images"].dtype == np.uint8
        assert data["labels"].tolist() == [0] * 4 + [1] * 4 + [2] * 4
        assert data["categories"].tolist() == ["Bag", "Coat", "Dress"]
        first = data["images"].copy()
    call_command("sample_gan", "demo", "--per-category", "4", "--out", str(tmp_path / "t.npz"), "--seed", "5")
    with np.load(tmp_path / "t.npz") as data:
        assert np.array_equal(data["images"], first)
    # A version whose code had a setting retired since still loads, and samples as before.
    version_rewritten(model, lambda state: state["config"].update(retired_setting=1))
    call_command("sample_gan", "demo", "--per-category", "4", "--out", str(tmp_path / "u.npz"), "--seed", "5")
    with np.load(tmp_path / "u.npz") as data:
        assert np.array_equal(data["images"], first)


def test_colour_photos_train_at_their_size(tmp_path):
    small_catalog(40, "RGB", per_category=8)
    call_command("train_gan", "--name", "colour", "--steps", "2", "--categories", "Bag", "Coat")
    model = GenerativeModel.objects.get()
    assert (model.resolution, model.channels) == (32, 3)
    assert model.category_names == ["Bag", "Coat"]
    call_command("sample_gan", "colour", "--per-category", "2", "--out", str(tmp_path / "c.npz"), "--truncation", "0.5")
    with np.load(tmp_path / "c.npz") as data:
        assert data["images"].shape == (4, 32, 32, 3)


def test_a_shops_portrait_photos_train_sample_and_preview_at_their_own_shape(tmp_path):
    """60x80 photos, as the fashion shop shoots them: 32 wide by 40 tall from training to the stored grid."""
    small_catalog(60, "RGB", per_category=8, height=80)
    call_command("train_gan", "--name", "portrait", "--steps", "2", "--categories", "Bag", "Coat")
    model = GenerativeModel.objects.get()
    assert (model.image_width, model.resolution, model.channels) == (32, 40, 3)
    with model.sample_grid.open("rb") as handle, Image.open(handle) as grid:
        assert grid.size == (8 * 32, 2 * 40)  # a row per category, eight columns
    call_command("sample_gan", "portrait", "--per-category", "2", "--out", str(tmp_path / "p.npz"))
    with np.load(tmp_path / "p.npz") as data:
        assert data["images"].shape == (4, 40, 32, 3)


def test_second_version_is_a_candidate():
    small_catalog(28, "L", per_category=8)
    call_command("train_gan", "--name", "demo", "--steps", "2")
    call_command("train_gan", "--name", "demo", "--steps", "2")
    states = dict(GenerativeModel.objects.values_list("version", "state"))
    assert states == {1: "active", 2: "candidate"}


def test_bad_input_is_a_clear_error():
    with pytest.raises(CommandError, match="Unknown categories: Hats"):
        call_command("train_gan", "--name", "x", "--steps", "1", "--categories", "Hats")
    with pytest.raises(CommandError, match="no training photos"):
        call_command("train_gan", "--name", "x", "--steps", "1")
    with pytest.raises(CommandError, match="No model named"):
        call_command("sample_gan", "nothing", "--per-category", "1", "--out", "/tmp/x.npz")


def test_train_vae_registers_a_version_measured_as_the_gans_are_and_sample_gan_samples_it(tmp_path, capsys):
    from generation.services.models import load_vae
    from generation.vae.sampling import variations

    small_catalog(28, "L")
    call_command("train_vae", "--name", "vae", "--steps", "3", "--device", "cpu")
    printed = capsys.readouterr()
    assert "Registered vae v1 (active) after 3 steps" in printed.out
    assert "fitting the latent prior" in printed.out + printed.err  # its progress, category by category
    model = GenerativeModel.objects.get()
    assert model.engine == "vae" and (model.resolution, model.channels) == (28, 1)
    assert {"fd", "category_accuracy", "reference", "feature_extractor"} <= set(model.metrics) and model.sample_grid
    call_command("sample_gan", "vae", "--per-category", "2", "--out", str(tmp_path / "v.npz"), "--seed", "1")
    with np.load(tmp_path / "v.npz") as data:
        assert data["images"].shape == (6, 28, 28) and data["images"].dtype == np.uint8
    made = variations(load_vae(model), np.full((28, 28, 1), 140, np.uint8), 2, count=3, seed=4)
    assert made.shape == (3, 28, 28, 1)
    with pytest.raises(CommandError, match="another engine"):  # a name keeps to one engine
        call_command("train_gan", "--name", "vae", "--steps", "1", "--device", "cpu")
    # A version saved before the mixture prior (no count of components, no mixture in its weights) loads with its
    # one Gaussian per category.

    def before_the_mixture(state):
        assert state["config"].pop("prior_components") == 10
        state["VAE"] = {key: value for key, value in state["VAE"].items() if not key.startswith("mixture_")}

    version_rewritten(model, before_the_mixture)
    before = load_vae(model)
    assert before.mixture_weights.shape == (3, 1) and bool((before.mixture_means[:, 0] == before.prior_mean).all())
