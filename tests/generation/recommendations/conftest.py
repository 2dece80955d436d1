import numpy as np
import pytest

from catalog.models import ProductImage
from generation.models import FeatureExtractor, ImageFeature
from generation.recommendations.features import ENCODER_KEY
from generation.recommendations.snapshot import serving_changed


@pytest.fixture
def give_features(db):
    """Stores a product's image features as the worker would, without running the encoder."""
    encoder = FeatureExtractor.objects.create(
        key=ENCODER_KEY, category_names=[], resolution=32, channels=3, weights="extractors/none.pt"
    )

    def give(product, *vector: float) -> None:
        image = ProductImage.objects.create(
            product=product, file=f"products/{product.sku}.png", width=32, height=32, mode="RGB", sha256=product.sku
        )
        v = np.array(vector, dtype=np.float32)
        ImageFeature.objects.create(
            image=image, product=product, encoder=encoder, vector=(v / np.linalg.norm(v)).tobytes()
        )
        serving_changed(features=True)

    return give
