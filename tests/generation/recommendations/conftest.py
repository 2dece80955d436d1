import numpy as np
import pytest

from catalog.models import Category, Product, ProductImage
from generation.models import FeatureExtractor, ImageFeature
from generation.recommendations.features import ENCODER_KEY
from generation.recommendations.rules import category_pairing_set
from generation.recommendations.snapshot import serving_changed
from tests.factories import make_product


@pytest.fixture
def give_features(db):
    """Stores a product's image features as the worker would, without running the encoder."""
    encoder = FeatureExtractor.objects.create(
        key=ENCODER_KEY, category_names=[], resolution=32, image_width=32, channels=3, weights="extractors/none.pt"
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


@pytest.fixture
def shop(give_features):
    """Three shirts (two look alike), two trousers and a draft shirt; shirts go with trousers."""
    products = {
        "SH-1": make_product(category="Shirt", sku="SH-1", title="Dark shirt", attributes={"tone": "dark"}),
        "SH-2": make_product(category="Shirt", sku="SH-2", title="Dark shirt too", attributes={"tone": "dark"}),
        "SH-3": make_product(category="Shirt", sku="SH-3", title="Light shirt", attributes={"tone": "light"}),
        "TR-1": make_product(category="Trouser", sku="TR-1", title="Light trouser", attributes={"tone": "light"}),
        "TR-2": make_product(category="Trouser", sku="TR-2", title="Dark trouser", attributes={"tone": "dark"}),
        "SH-9": make_product(category="Shirt", sku="SH-9", title="Draft shirt", status=Product.Status.DRAFT),
    }
    for sku, vector in {"SH-1": (1, 0, 0), "SH-2": (0.9, 0.1, 0), "SH-3": (0.5, 0.5, 0), "TR-1": (0, 0, 1),
                        "TR-2": (0, 0.2, 1), "SH-9": (0.95, 0.05, 0)}.items():  # fmt: skip
        give_features(products[sku], *vector)
    category_pairing_set(category=Category.objects.get(name="Shirt"), goes_with=Category.objects.get(name="Trouser"))
    return products
