"""Small factories built on the services, so tests make data the way the product does."""

import io
import itertools

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image

from catalog.imaging import encode_png, store_image_file
from catalog.models import Category, Product
from catalog.services.products import product_image_build
from catalog.services.revision import catalog_revised
from generation.models import GeneratedItem
from generation.services.items import generated_items_store

_sku = itertools.count(1)
PASSWORD = "test-pass-123"


def make_user(username: str, role: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


def png_bytes(width: int = 32, height: int = 32, mode: str = "RGB", colour=128) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int = 32, height: int = 32, colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def make_product(
    *, category: str = "Dress", title: str = "Red dress", split: str = "train", image=None, **fields
) -> Product:
    product = Product.objects.create(
        sku=fields.pop("sku", f"TEST-{next(_sku):05d}"),
        title=title,
        category=Category.objects.get_or_create(name=category)[0],
        split=split,
        **fields,
    )
    catalog_revised()  # as the product services do
    if image is not None:
        checked = encode_png(image)
        store_image_file(checked)
        product_image_build(product=product, image=checked).save()
    return product


def make_generated_items(count: int = 1, *, category: str = "Dress", generated_by=None, side: int = 28, **fields):
    """Pending generated images, stored the way a sampling job stores them (without a model version)."""
    category_row = Category.objects.get_or_create(name=category)[0]
    start = next(_sku)
    items = [
        GeneratedItem(category=category_row, seed=start * 1000 + i, generated_by=generated_by, **fields)
        for i in range(count)
    ]
    images = np.random.default_rng(start).integers(0, 256, size=(count, side, side, 1), dtype=np.uint8)
    return generated_items_store(items=items, images=images)
