"""Shopify's product CSV, in its current column dialect (Title, URL handle, Product image URL…, as the admin's
sample file of 2024–2026 writes it) and, on request, the legacy one older shops export (Handle, Body (HTML),
Variant SKU, Image Src…). A product is one row with its first image; each further image is a row of its own with
the same handle and only the image's columns."""

import re
from collections.abc import Sequence

from generation.exports.records import (
    PRICE,
    ExportProduct,
    Problem,
    choice_problem,
    html_paragraphs,
    image_reference_problem,
    length_problem,
)
from generation.exports.tables import Dialect, Row

HANDLE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Shopify's limits: a title or a handle of 255 characters, an SEO title of 70 and description of 320, image alt
# text of 512, and 250 images a product.
LIMITS = {"title": 255, "handle": 255, "seo_title": 70, "seo_description": 320, "alt": 512}
MAX_IMAGES = 250
GOOGLE_GENDER = {"men": "male", "boys": "male", "women": "female", "girls": "female", "unisex": "unisex"}
AGE_GROUP = {"men": "adult", "women": "adult", "unisex": "adult", "boys": "kids", "girls": "kids"}

# Our field -> each dialect's column. Fields without a column in a dialect are not written to it.
CURRENT = {
    "title": "Title",
    "handle": "URL handle",
    "description": "Description",
    "vendor": "Vendor",
    "product_category": "Product category",
    "type": "Type",
    "tags": "Tags",
    "published": "Published on online store",
    "status": "Status",
    "sku": "SKU",
    "option_name": "Option1 name",
    "option_value": "Option1 value",
    "price": "Price",
    "image": "Product image URL",
    "position": "Image position",
    "alt": "Image alt text",
    "gift_card": "Gift card",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
    "gender": "Google Shopping / Gender",
    "age_group": "Google Shopping / Age group",
}
LEGACY = {
    "handle": "Handle",
    "title": "Title",
    "description": "Body (HTML)",
    "vendor": "Vendor",
    "product_category": "Product Category",
    "type": "Type",
    "tags": "Tags",
    "published": "Published",
    "option_name": "Option1 Name",
    "option_value": "Option1 Value",
    "sku": "Variant SKU",
    "price": "Variant Price",
    "image": "Image Src",
    "position": "Image Position",
    "alt": "Image Alt Text",
    "gift_card": "Gift Card",
    "seo_title": "SEO Title",
    "seo_description": "SEO Description",
    "gender": "Google Shopping / Gender",
    "age_group": "Google Shopping / Age Group",
    "status": "Status",
}
IMAGE_FIELDS = ("handle", "image", "position", "alt")


def _product_fields(product: ExportProduct) -> dict[str, str]:
    gender = product.gender.lower()
    return {
        "title": product.title,
        "handle": product.handle,
        "description": html_paragraphs(product.description),
        "vendor": product.vendor,
        "type": product.category,
        "tags": ", ".join(product.tags),
        "published": "TRUE" if product.status == "active" else "FALSE",
        "status": product.status,
        "sku": product.sku,
        "option_name": "Title",
        "option_value": "Default Title",
        "price": product.price,
        "gift_card": "FALSE",
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "gender": GOOGLE_GENDER.get(gender, ""),
        "age_group": AGE_GROUP.get(gender, ""),
    }


def _rows(columns: dict[str, str], products: Sequence[ExportProduct]) -> list[Row]:
    rows = []
    for product in products:
        first = _product_fields(product)
        for position, image in enumerate(product.images, 1):
            fields = {"handle": product.handle, "image": image.url, "position": str(position), "alt": image.alt}
            rows.append(
                {columns[name]: value for name, value in ({**first, **fields} if position == 1 else fields).items()}
            )
        if not product.images:
            rows.append({columns[name]: value for name, value in first.items() if name in columns})
    return rows


def _row_problems(columns: dict[str, str], rows: list[Row]) -> list[Problem]:
    """Shopify's rules, per row: a product row opens each handle and names it once; image rows follow it."""
    col = columns.get
    problems: list[Problem] = []
    opened: dict[str, int] = {}
    images: dict[str, int] = {}
    previous = ""
    for line, row in enumerate(rows, 2):
        handle = row[col("handle")]
        if not HANDLE.match(handle):
            problems.append(Problem(line, col("handle"), f"{handle!r} is not lower-case letters, digits and hyphens"))
        problems += length_problem(line, col("handle"), handle, LIMITS["handle"])
        is_product_row = bool(row[col("title")])
        if is_product_row:
            if handle in opened:
                problems.append(
                    Problem(line, col("handle"), f"{handle!r} already names the product of line {opened[handle]}")
                )
            opened[handle] = line
            problems += _product_row_problems(columns, line, row)
        elif handle != previous or handle not in opened:
            problems.append(Problem(line, col("handle"), f"image row of {handle!r} does not follow its product's rows"))
        else:
            problems += [
                Problem(line, col(name), "belongs on the product's first row only")
                for name in ("sku", "price", "description")
                if row[col(name)]
            ]
        if row[col("image")]:
            images[handle] = images.get(handle, 0) + 1
            problems += image_reference_problem(line, col("image"), row[col("image")])
            if row[col("position")] != str(images[handle]):
                problems.append(
                    Problem(
                        line,
                        col("position"),
                        f"is {row[col('position')]!r}; the next image of {handle!r} is {images[handle]}",
                    )
                )
            if images[handle] == MAX_IMAGES + 1:
                problems.append(Problem(line, col("image"), f"{handle!r} has more than {MAX_IMAGES} images"))
        problems += length_problem(line, col("alt"), row[col("alt")], LIMITS["alt"])
        previous = handle
    return problems


def _product_row_problems(columns: dict[str, str], line: int, row: Row) -> list[Problem]:
    col = columns.get
    problems = length_problem(line, col("title"), row[col("title")], LIMITS["title"])
    for name in ("seo_title", "seo_description"):
        problems += length_problem(line, col(name), row[col(name)], LIMITS[name])
    problems += choice_problem(line, col("status"), row[col("status")], ("active", "draft", "archived"))
    for name in ("published", "gift_card"):
        problems += choice_problem(line, col(name), row[col(name)], ("TRUE", "FALSE"))
    if row[col("price")] and not PRICE.match(row[col("price")]):
        problems.append(Problem(line, col("price"), f"{row[col('price')]!r} is not a price such as 19.99"))
    if not row[col("sku")]:
        problems.append(Problem(line, col("sku"), "is empty: the studio's products each have one"))
    return problems


def _dialect(key: str, columns: dict[str, str], required: tuple[str, ...]) -> Dialect:
    return Dialect(
        key=key,
        columns=tuple(columns.values()),
        required=tuple(columns[name] for name in required),
        rows=lambda products: _rows(columns, products),
        row_problems=lambda rows: _row_problems(columns, rows),
    )


# Followed: Shopify Help Center, "Using CSV files to import and export products" (the admin's
# product_template.csv, 2024–2026); the legacy columns, its product CSV description before 2024.
SHOPIFY = _dialect(
    "shopify",
    CURRENT,
    ("title", "handle", "sku", "image", "position"),
)
SHOPIFY_LEGACY = _dialect(
    "shopify_legacy",
    LEGACY,
    ("title", "handle", "sku", "image", "position"),
)
