"""The fashion shop as a demo catalog: its products and colour photos as the shop keeps them, loaded once (a
second run adds nothing), refreshed when the rules change, and the real set itself where it is beside us."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from catalog.models import Product, ProductImage
from catalog.services.demo_fashion import fashion_catalog_load, fashion_source_available
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db
HEADER = ["id", "gender", "masterCategory", "subCategory", "articleType", "baseColour", "season", "year", "usage",
          "productDisplayName", "image"]  # fmt: skip
ROWS = [
    ["1163", "Men", "Apparel", "Topwear", "Shirts", "Navy Blue", "Summer", "2011", "Casual",
     "Locomotive Men Stripes Navy Blue Shirt", "images/1163.jpg"],
    ["1170", "Women", "Accessories", "Bags", "Handbags", "Red", "Winter", "2012", "",
     "Baggit Women Red Handbag", "images/1170.jpg"],
    ["1525", "Unisex", "Accessories", "Bags", "Backpacks", "Navy Blue", "Fall", "2010", "Casual",
     "Puma Deck Navy Blue Backpack", "images/1525.jpg"],
    ["1600", "Men", "Footwear", "Shoes", "Casual Shoes", "Black", "Fall", "2011", "Casual",
     "Puma Men Black Casual Shoes", "images/missing.jpg"],
]  # fmt: skip


@pytest.fixture
def shop_folder(tmp_path) -> Path:
    (tmp_path / "images").mkdir()
    with (tmp_path / "products.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    for row in ROWS[:3]:
        (tmp_path / row[-1]).write_bytes(jpeg_bytes(60, 80, colour=(20, 30, 120)))
    return tmp_path


def test_the_shop_is_loaded_as_it_keeps_its_products(shop_folder):
    result = fashion_catalog_load(source=shop_folder)
    assert (result.created, result.skipped) == (3, 1)  # the product without its photo is left out
    shirt = Product.objects.get(sku="FP-1163")
    assert shirt.title == "Locomotive Men Stripes Navy Blue Shirt" and shirt.category.name == "Shirts"
    assert shirt.attributes["colour"] == "Navy Blue" and shirt.attributes["pattern"] == "striped"
    assert shirt.attributes["brand"] == "Locomotive" and shirt.split == "train" and shirt.status == "active"
    bag = Product.objects.get(sku="FP-1170")
    assert bag.split == "test" and "usage" not in bag.attributes  # an empty field is no fact
    photo = ProductImage.objects.get(product=shirt)
    assert (photo.width, photo.height, photo.mode) == (60, 80, "RGB")
    assert default_storage.open(photo.file.name).read() == (shop_folder / "images/1163.jpg").read_bytes()


def test_loading_again_adds_nothing_and_refresh_applies_the_rules_again(shop_folder, capsys):
    call_command("load_demo_catalog", "--dataset", "fashion-products", "--source", str(shop_folder))
    assert "Created 3 products" in capsys.readouterr().out
    call_command("load_demo_catalog", "--dataset", "fashion-products", "--source", str(shop_folder))
    assert "Created 0 products, 4 already there" in capsys.readouterr().out
    Product.objects.filter(sku="FP-1163").update(attributes={"colour": "stale"})
    call_command("load_demo_catalog", "--dataset", "fashion-products", "--source", str(shop_folder), "--refresh")
    assert Product.objects.get(sku="FP-1163").attributes["pattern"] == "striped"
    assert Product.objects.count() == 3 and ProductImage.objects.count() == 3


def test_auto_picks_the_fashion_shop_where_it_is(shop_folder, settings, capsys):
    settings.FASHION_DEMO_DIR = shop_folder
    call_command("load_demo_catalog", "--dataset", "auto", "--if-empty")
    assert Product.objects.filter(sku__startswith="FP-").count() == 3
    call_command("load_demo_catalog", "--dataset", "auto", "--if-empty")
    assert "not loaded" in capsys.readouterr().out


@pytest.mark.skipif(not fashion_source_available(settings.FASHION_DEMO_DIR), reason="the fashion shop is not here")
def test_the_real_shop_loads_with_every_rule_on_its_own_titles():
    result = fashion_catalog_load(source=settings.FASHION_DEMO_DIR, limit=300)
    assert result.created == 300
    products = list(Product.objects.select_related("category"))
    assert len({p.category.name for p in products}) > 100  # a --limit still holds (nearly) every article type
    assert all(p.attributes.get("gender") and p.attributes.get("colour") for p in products)
    assert sum("brand" in p.attributes for p in products) > 200
    assert all(p.attributes["brand"] in p.title for p in products if "brand" in p.attributes)
    assert all(p.images.get().mode in ("RGB", "L", "P", "CMYK", "RGBA") for p in products[:20])
