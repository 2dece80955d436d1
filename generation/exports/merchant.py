"""Google Merchant Center's product feed, as a tab-separated text feed in gzip. Generated text goes where
Google asks for it: a generated title in `structured_title` and a generated description in
`structured_description`, each as `trained_algorithmic_media:"…"`, and the plain `title` / `description` stay empty."""

import re
from collections.abc import Sequence

from generation.exports.records import URL, ExportProduct, Problem, category_path, choice_problem, length_problem
from generation.exports.shopify import AGE_GROUP, GOOGLE_GENDER
from generation.exports.tables import Dialect, Row

COLUMNS = (
    "id",
    "title",
    "structured_title",
    "description",
    "structured_description",
    "link",
    "image_link",
    "additional_image_link",
    "availability",
    "price",
    "brand",
    "identifier_exists",
    "condition",
    "product_type",
    "color",
    "gender",
    "age_group",
)
LIMITS = {"id": 50, "title": 150, "description": 5000, "link": 2000, "image_link": 2000}
MAX_ADDITIONAL_IMAGES = 10
GENERATED = "trained_algorithmic_media"
STRUCTURED = re.compile(r'^(?P<source>[a-z_]*):(?:"(?P<quoted>(?:[^"]|"")*)"|(?P<plain>[^"]*))$')
MERCHANT_PRICE = re.compile(r"^\d+(\.\d{1,2})? [A-Z]{3}$")


def structured(text: str) -> str:
    """A generated text as Merchant Center's text feeds write a structured attribute (a quote doubled)."""
    return f'{GENERATED}:"{text.replace(chr(34), chr(34) * 2)}"'


def structured_content(cell: str) -> tuple[str, str] | None:
    """(digital source type, content) of a structured cell; None when it is not one."""
    match = STRUCTURED.match(cell)
    if not match:
        return None
    content = match["quoted"].replace('""', '"') if match["quoted"] is not None else match["plain"]
    return match["source"], content


def _text_cells(name: str, text: str, generated: bool) -> dict[str, str]:
    return {f"structured_{name}": structured(text)} if generated else {name: text}


def _rows(products: Sequence[ExportProduct]) -> list[Row]:
    rows = []
    for product in products:
        gender = product.gender.lower()
        row = {
            "id": product.sku,
            "link": product.link,
            "availability": "in_stock",
            "price": f"{product.price} {product.currency}" if product.price else "",
            "brand": product.vendor,
            "identifier_exists": "no",
            "condition": "new",
            "product_type": category_path(product),
            "color": product.colour,
            "gender": GOOGLE_GENDER.get(gender, ""),
            "age_group": AGE_GROUP.get(gender, ""),
            "image_link": product.images[0].url if product.images else "",
            "additional_image_link": ",".join(image.url for image in product.images[1 : 1 + MAX_ADDITIONAL_IMAGES]),
        }
        row |= _text_cells("title", product.title, product.title_generated)
        row |= _text_cells("description", product.description, product.description_generated)
        rows.append(row)
    return rows


def _text_problems(line: int, row: Row, name: str) -> list[Problem]:
    plain, cell = row[name], row[f"structured_{name}"]
    if plain and cell:
        return [Problem(line, name, f"and structured_{name} are both set; a product has one or the other")]
    if not cell:
        if not plain:
            return [Problem(line, name, "is empty: Google lists no product without one")]
        return length_problem(line, name, plain, LIMITS[name])
    parsed = structured_content(cell)
    if parsed is None:
        return [Problem(line, f"structured_{name}", 'is not digital_source_type:"content"')]
    source, content = parsed
    problems = choice_problem(line, f"structured_{name}", source, ("", "default", GENERATED))
    return problems + length_problem(line, f"structured_{name}", content, LIMITS[name])


def _row_problems(rows: list[Row]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, 2):
        if not row["id"]:
            problems.append(Problem(line, "id", "is empty"))
        elif row["id"] in seen:
            problems.append(Problem(line, "id", f"{row['id']!r} is already the item of line {seen[row['id']]}"))
        seen.setdefault(row["id"], line)
        problems += length_problem(line, "id", row["id"], LIMITS["id"])
        problems += _text_problems(line, row, "title") + _text_problems(line, row, "description")
        for name in ("link", "image_link"):
            if not URL.match(row[name]):
                problems.append(Problem(line, name, f"{row[name]!r} is not an http(s) URL Google can fetch"))
            problems += length_problem(line, name, row[name], LIMITS[name])
        extra = [url for url in row["additional_image_link"].split(",") if url]
        if len(extra) > MAX_ADDITIONAL_IMAGES:
            problems.append(
                Problem(line, "additional_image_link", f"has {len(extra)} images; at most {MAX_ADDITIONAL_IMAGES}")
            )
        problems += [
            Problem(line, "additional_image_link", f"{url!r} is not an http(s) URL")
            for url in extra
            if not URL.match(url)
        ]
        if not MERCHANT_PRICE.match(row["price"]):
            problems.append(
                Problem(line, "price", f"{row['price']!r} is not a price with its currency, such as 15.00 USD")
            )
        problems += choice_problem(
            line, "availability", row["availability"], ("in_stock", "out_of_stock", "preorder", "backorder")
        )
        if row["gender"]:
            problems += choice_problem(line, "gender", row["gender"], ("male", "female", "unisex"))
        if row["age_group"]:
            problems += choice_problem(
                line, "age_group", row["age_group"], ("newborn", "infant", "toddler", "kids", "adult")
            )
    return problems


# Followed: Google Merchant Center's product data specification (text feeds; structured_title and
# structured_description as asked for generated text since 2024).
MERCHANT = Dialect(
    key="merchant",
    columns=COLUMNS,
    required=("id", "link", "image_link", "availability", "price", "condition"),
    rows=_rows,
    row_problems=_row_problems,
    tab_separated=True,
)
