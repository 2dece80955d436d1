"""WooCommerce's product CSV, as its built-in importer reads it (Products → Import): one row a product, its
images comma-separated in one cell (the first is the product image), its categories as paths with ">"."""

from collections.abc import Sequence

from generation.exports.records import (
    PRICE,
    ExportProduct,
    Problem,
    category_path,
    choice_problem,
    html_paragraphs,
    image_reference_problem,
)
from generation.exports.tables import Dialect, Row

COLUMNS = (
    "ID",
    "Type",
    "SKU",
    "Name",
    "Published",
    "Is featured?",
    "Visibility in catalog",
    "Short description",
    "Description",
    "Tax status",
    "In stock?",
    "Regular price",
    "Categories",
    "Tags",
    "Images",
    "Attribute 1 name",
    "Attribute 1 value(s)",
    "Attribute 1 visible",
    "Attribute 1 global",
    "Attribute 2 name",
    "Attribute 2 value(s)",
    "Attribute 2 visible",
    "Attribute 2 global",
)
# 1 published, 0 private, -1 draft: an archived product stays on the shop's books, hidden.
PUBLISHED = {"active": "1", "archived": "0", "draft": "-1"}


# The attributes' names as shoppers read them, in the file's language.
ATTRIBUTE_NAMES = {"en": ("Color", "Gender"), "zh": ("颜色", "适用人群")}


def _attributes(product: ExportProduct) -> dict[str, str]:
    names = ATTRIBUTE_NAMES.get(product.language, ATTRIBUTE_NAMES["en"])
    named = [(name, value) for name, value in zip(names, (product.colour, product.audience), strict=True) if value]
    cells: dict[str, str] = {}
    for number, (name, value) in enumerate(named, 1):
        cells |= {f"Attribute {number} name": name, f"Attribute {number} value(s)": value}
        cells |= {f"Attribute {number} visible": "1", f"Attribute {number} global": "1"}
    return cells


def _rows(products: Sequence[ExportProduct]) -> list[Row]:
    return [
        {
            "Type": "simple",
            "SKU": product.sku,
            "Name": product.title,
            "Published": PUBLISHED[product.status],
            "Is featured?": "0",
            "Visibility in catalog": "visible",
            "Short description": html_paragraphs(product.short_description),
            "Description": html_paragraphs(product.description),
            "Tax status": "taxable",
            "In stock?": "1",
            "Regular price": product.price,
            "Categories": category_path(product).replace(",", " "),
            "Tags": ", ".join(product.tags),
            "Images": ", ".join(image.url for image in product.images),
        }
        | _attributes(product)
        for product in products
    ]


def _row_problems(rows: list[Row]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, 2):
        sku = row["SKU"]
        if not sku:
            problems.append(Problem(line, "SKU", "is empty: WooCommerce matches products by it"))
        elif sku in seen:
            problems.append(Problem(line, "SKU", f"{sku!r} is already the product of line {seen[sku]}"))
        seen.setdefault(sku, line)
        if not row["Name"]:
            problems.append(Problem(line, "Name", "is empty"))
        problems += choice_problem(line, "Published", row["Published"], ("1", "0", "-1"))
        problems += choice_problem(line, "Type", row["Type"], ("simple",))
        if row["Regular price"] and not PRICE.match(row["Regular price"]):
            problems.append(Problem(line, "Regular price", f"{row['Regular price']!r} is not a price such as 19.99"))
        if any(not part.strip() for path in row["Categories"].split(",") for part in path.split(">")):
            problems.append(Problem(line, "Categories", f"{row['Categories']!r} has an empty category in a path"))
        for image in filter(None, (part.strip() for part in row["Images"].split(","))):
            problems += image_reference_problem(line, "Images", image)
    return problems


# Followed: WooCommerce's Product CSV Import Schema (the built-in importer of WooCommerce 3.1 onward, to 9.x).
WOOCOMMERCE = Dialect(
    key="woocommerce",
    columns=COLUMNS,
    required=("SKU", "Name", "Type", "Published", "Images"),
    rows=_rows,
    row_problems=_row_problems,
)
