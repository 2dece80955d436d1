import pytest
import torch

from generation.gan.baseline import DCGANDiscriminator, DCGANGenerator
from generation.gan.networks import Discriminator, Generator, stage_plan


@pytest.mark.parametrize("resolution", [28, 32, 48, 64, 128])
@pytest.mark.parametrize("channels", [1, 3])
def test_output_shapes_for_each_resolution_and_channel_count(resolution, channels):
    shape = {"resolution": resolution, "channels": channels, "num_classes": 4}
    labels = torch.tensor([0, 3])
    for G, D in ((Generator(**shape, base_width=4), Discriminator(**shape, base_width=4)),
                 (DCGANGenerator(**shape, width=4), DCGANDiscriminator(**shape, width=4))):  # fmt: skip
        images = G(torch.randn(2, G.z_dim), labels)
        assert images.shape == (2, channels, resolution, resolution)
        assert images.min() >= -1 and images.max() <= 1
        assert D(images, labels).shape == (2,)


@pytest.mark.parametrize("resolution", [20, 30, 200, 27])
def test_unsupported_resolutions_are_refused_with_a_reason(resolution):
    with pytest.raises(ValueError, match="not supported"):
        stage_plan(resolution)


def test_generator_depends_on_the_class():
    G = Generator(resolution=28, channels=1, num_classes=3, base_width=4)
    with torch.no_grad():
        for norm in [m for m in G.modules() if hasattr(m, "shift")]:
            norm.shift.weight.normal_()
    G.eval()
    z = torch.randn(1, G.z_dim)
    assert not torch.allclose(G(z, torch.tensor([0])), G(z, torch.tensor([2])))
