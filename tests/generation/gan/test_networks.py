import pytest
import torch

from generation.gan.networks import Discriminator, Generator, stage_plan
from generation.gan.training_loop import TrainConfig, build_discriminator, build_generator


@pytest.mark.parametrize("resolution", [28, 32, 48, 64, 128])
@pytest.mark.parametrize("channels", [1, 3])
def test_output_shapes_for_each_resolution_and_channel_count(resolution, channels):
    shape = {"resolution": resolution, "channels": channels, "num_classes": 4}
    G, D = Generator(**shape, width=4), Discriminator(**shape, width=4)
    labels = torch.tensor([0, 3])
    images = G(torch.randn(2, G.z_dim), labels)
    assert images.shape == (2, channels, resolution, resolution)
    assert images.min() >= -1 and images.max() <= 1
    assert D(images, labels).shape == (2,)


@pytest.mark.parametrize(("height", "width"), [(40, 32), (80, 64), (32, 40)])
def test_portrait_and_landscape_shapes_come_out_at_the_asked_height_and_width(height, width):
    shape = {"resolution": height, "image_width": width, "channels": 3, "num_classes": 2}
    G, D = Generator(**shape, width=4), Discriminator(**shape, width=4)
    labels = torch.tensor([0, 1])
    images = G(torch.randn(2, G.z_dim), labels)
    assert images.shape == (2, 3, height, width)
    assert D(images, labels).shape == (2,)


@pytest.mark.parametrize(("resolution", "image_width"), [(20, None), (30, None), (200, None), (27, None), (40, 28)])
def test_unsupported_shapes_are_refused_with_a_reason(resolution, image_width):
    with pytest.raises(ValueError, match="not supported"):
        stage_plan(resolution, image_width)


def test_ours_is_half_the_baseline_width():
    shape = {"resolution": 28, "channels": 1, "num_classes": 10}
    ours, baseline = TrainConfig(**shape), TrainConfig.baseline(**shape)
    count = lambda module: sum(p.numel() for p in module.parameters())  # noqa: E731
    assert count(build_generator(ours)) < count(build_generator(baseline)) / 2
    assert count(build_discriminator(ours)) < count(build_discriminator(baseline)) / 2
    assert (ours.loss, baseline.loss) == ("hinge", "bce")
    assert (baseline.lr_g, baseline.beta1, baseline.mismatch_weight, baseline.class_planes) == (2e-4, 0.5, 0.0, True)


@pytest.mark.parametrize("class_planes", [False, True])
def test_both_networks_see_the_class(class_planes):
    G = Generator(resolution=28, channels=1, num_classes=3, width=4).eval()
    D = Discriminator(resolution=28, channels=1, num_classes=3, width=4, class_planes=class_planes).eval()
    z = torch.randn(1, G.z_dim)
    image = G(z, torch.tensor([0]))
    assert not torch.allclose(image, G(z, torch.tensor([2])))
    assert not torch.allclose(D(image, torch.tensor([0])), D(image, torch.tensor([2])))
