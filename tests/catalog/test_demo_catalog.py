import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from catalog.demo_attributes import measured_attributes
from catalog.idx import read_idx, write_idx
from catalog.models import Category, Product, ProductImage
from catalog.services.demo import (
    FASHION_MNIST_CATEGORIES,
    demo_catalog_load,
    demo_source_dir,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_idx(tmp_path):
    """Two splits of 3 images per category, pixel value = label*10 + index-in-category, in label order."""
    for prefix, per in (("train", 3), ("t10k", 1)):
        labels = np.repeat(np.arange(10, dtype=np.uint8), per)
        images = np.stack([np.full((28, 28), i, dtype=np.uint8) for i in range(len(labels))])
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return tmp_path


def test_idx_round_trip(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "x.gz", array)
    assert np.array_equal(read_idx(tmp_path / "x.gz"), array)


def test_idx_rejects_other_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "bad")


def test_demo_load_creates_a_product_per_image_with_split_and_exact_pixels(tiny_idx):
    result = demo_catalog_load(source=tiny_idx)

    assert result.created == 40
    assert [c.name for c in Category.objects.order_by("id")] == list(FASHION_MNIST_CATEGORIES)
    assert Product.objects.filter(split="train").count() == 30
    assert Product.objects.filter(split="test").count() == 10
    product = Product.objects.get(sku="FM-TRAIN-00004")  # index 4 is the second image of label 1
    assert product.category.name == "Trouser"
    with Image.open(product.images.get().file.path) as image:
        assert image.size == (28, 28) and image.mode == "L"
        assert np.asarray(image).tolist() == (255 - np.full((28, 28), 4)).tolist()  # exact, dark on white


def test_demo_load_is_idempotent_and_limit_spreads_over_categories(tiny_idx):
    first = demo_catalog_load(source=tiny_idx, limit=10)
    assert first.created == 20
    assert Product.objects.filter(split="train").values("category").distinct().count() == 10
    second = demo_catalog_load(source=tiny_idx)
    assert (second.created, second.skipped) == (20, 20)
    assert Product.objects.count() == 40


def test_command_prints_progress_and_skips_when_not_empty(tiny_idx, capsys):
    call_command("load_demo_catalog", "--source", str(tiny_idx), "--limit", "5")
    out = capsys.readouterr().out
    assert "10/10" in out and "Created 10 products" in out
    call_command("load_demo_catalog", "--if-empty")
    assert "not loaded" in capsys.readouterr().out
    assert Product.objects.count() == 10


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No Fashion-MNIST IDX files"):
        call_command("load_demo_catalog", "--source", str(tmp_path))


def test_shipped_subset_is_the_fallback(settings, tmp_path):
    settings.DEMO_DATA_DIR = tmp_path / "absent"
    folder = demo_source_dir()
    assert folder == settings.DEMO_FALLBACK_DIR
    labels = read_idx(folder / "train-labels-idx1-ubyte.gz")
    assert np.bincount(labels).tolist() == [200] * 10
    assert len(read_idx(folder / "t10k-labels-idx1-ubyte.gz")) == 1000


def photo(brightness: int, *, checkered: bool = False) -> np.ndarray:
    """A 28x28 negated grey photo: a 20x20 product on a black background."""
    image = np.zeros((28, 28), dtype=np.uint8)
    product = np.full((20, 20), brightness, dtype=np.uint8)
    if checkered:
        product[::2, ::2] = product[1::2, 1::2] = 40
    image[4:24, 4:24] = product
    return image


def test_attributes_are_measured_from_the_photo_not_made_up():
    # Negated pixels: a bright product pixel is a dark product.
    assert measured_attributes(photo(230), "Coat") == {
        "tone": "dark", "surface": "plain", "group": "outerwear", "season": "cold weather", "sleeves": "long"
    }  # fmt: skip
    assert measured_attributes(photo(100), "Sneaker")["tone"] == "light"
    assert measured_attributes(photo(160), "Bag")["tone"] == "mid"
    assert measured_attributes(photo(230, checkered=True), "Shirt")["surface"] == "patterned"
    # Grey photos support no colour and no material: none is claimed.
    assert not {"colour", "material", "audience"} & set(measured_attributes(photo(200), "Dress"))


def test_demo_products_are_titled_from_their_measured_attributes(tiny_idx):
    demo_catalog_load(source=tiny_idx)
    for product in Product.objects.select_related("category"):
        attributes = product.attributes
        assert {"tone", "surface", "group"} <= set(attributes) and "colour" not in attributes
        # The copy says the tone, the surface and the category, in one of several phrasings, and nothing else.
        for text in (product.title.lower(), product.description.lower()):
            assert attributes["tone"] in text and attributes["surface"] in text
            assert product.category.name.lower() in text
    assert Product.objects.values("title").distinct().count() > 20  # phrasings vary, not one template


def test_refresh_replaces_made_up_attributes_and_copy(tiny_idx, capsys):
    demo_catalog_load(source=tiny_idx, limit=2)
    Product.objects.update(title="Red leather thing", attributes={"colour": "red", "material": "leather"})
    call_command("load_demo_catalog", "--source", str(tiny_idx), "--refresh")
    assert "Refreshed the attributes and copy of 4 demo products; 0 photos" in capsys.readouterr().out
    for product in Product.objects.all():
        assert "colour" not in product.attributes and "red" not in product.title.lower()
        assert product.search_text == f"{product.sku} {product.title}".lower()


@pytest.fixture
def toned_idx(tmp_path):
    """A dark and a light product of each category, negated as Fashion-MNIST stores them."""
    for prefix in ("train", "t10k"):
        labels = np.repeat(np.arange(10, dtype=np.uint8), 2)
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", np.stack([photo((230, 100)[i % 2]) for i in range(20)]))
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return tmp_path


def stored_pixels(product) -> np.ndarray:
    with Image.open(product.images.get().file.path) as image:
        return np.asarray(image)


def test_demo_photos_are_stored_dark_on_white_and_their_tone_is_what_they_show(toned_idx):
    demo_catalog_load(source=toned_idx)
    for product in Product.objects.all():
        pixels = stored_pixels(product)
        assert pixels[0, 0] == pixels[-1, -1] == 255  # a white background
        shown = pixels[pixels < 235].mean()  # the product itself
        assert (product.attributes["tone"], shown < 60) in (("dark", True), ("light", False)), (product.sku, shown)
        if product.attributes["tone"] == "light":
            assert shown > 140


def test_refresh_converts_an_old_negated_catalog_and_retires_what_was_built_from_it(toned_idx, capsys):
    from catalog.imaging import encode_png, store_image_file
    from generation.models import FeatureExtractor

    demo_catalog_load(source=toned_idx)
    for image in ProductImage.objects.all():  # as catalogs loaded before were stored: negated, light on black
        old = encode_png(Image.fromarray(255 - stored_pixels(image.product), mode="L"))
        store_image_file(old)
        ProductImage.objects.filter(pk=image.pk).update(file=old.storage_name, sha256=old.sha256)
    shape = {"resolution": 28, "image_width": 28, "channels": 1}
    demo = FeatureExtractor.objects.create(
        key="demo", category_names=["Coat", "Bag"], **shape, weights="extractors/demo.pt", trained_on="x"
    )
    other = FeatureExtractor.objects.create(
        key="other", category_names=["Coat", "Scarf"], **shape, weights="extractors/other.pt", trained_on="y"
    )
    old_hashes = set(ProductImage.objects.values_list("sha256", flat=True))

    call_command("load_demo_catalog", "--source", str(toned_idx), "--refresh")
    out = capsys.readouterr().out
    assert "40 photos now dark on white, 1 metrics classifier(s)" in out, out
    assert not set(ProductImage.objects.values_list("sha256", flat=True)) & old_hashes  # training arrays rebuilt
    assert all(stored_pixels(p)[0, 0] == 255 for p in Product.objects.all())
    assert not FeatureExtractor.objects.filter(pk=demo.pk).exists() and FeatureExtractor.objects.filter(pk=other.pk)
    call_command("load_demo_catalog", "--source", str(toned_idx), "--refresh")
    assert "0 photos now dark on white, 0 metrics" in capsys.readouterr().out  # once converted, left alone
