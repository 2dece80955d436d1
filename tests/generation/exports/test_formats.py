"""The export formats without Django: each writes its golden file byte for byte, reads back under the platform's
own column rules (written out here from the platforms' documentation, apart from the code), and the checks find
every kind of broken file with its line and column."""

import csv
import gzip
import io
import re
import zipfile
from pathlib import Path

import pytest

from generation.exports.formats import DIALECTS, export_table, images_zip
from generation.exports.merchant import structured_content
from generation.exports.records import ExportImage, ExportProduct, handle_of, html_paragraphs
from generation.exports.tables import table_check

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
CDN = "https://cdn.example.com/products"

# The platforms' documented columns (Shopify's product_template.csv and its pre-2024 description, WooCommerce's
# CSV import schema, Merchant Center's product data specification), fuller than what the studio writes: a column
# the studio writes must be one of these.
SHOPIFY_COLUMNS = {
    "Title",
    "URL handle",
    "Description",
    "Vendor",
    "Product category",
    "Type",
    "Tags",
    "Published on online store",
    "Status",
    "SKU",
    "Barcode",
    "Option1 name",
    "Option1 value",
    "Option2 name",
    "Option2 value",
    "Option3 name",
    "Option3 value",
    "Price",
    "Compare-at price",
    "Cost per item",
    "Charge tax",
    "Tax code",
    "Inventory tracker",
    "Inventory quantity",
    "Continue selling when out of stock",
    "Weight value (grams)",
    "Weight unit for display",
    "Requires shipping",
    "Fulfillment service",
    "Product image URL",
    "Image position",
    "Image alt text",
    "Variant image URL",
    "Gift card",
    "SEO title",
    "SEO description",
    "Google Shopping / Google product category",
    "Google Shopping / Gender",
    "Google Shopping / Age group",
    "Google Shopping / Condition",
}
SHOPIFY_LEGACY_COLUMNS = {
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Gift Card",
    "SEO Title",
    "SEO Description",
    "Google Shopping / Gender",
    "Google Shopping / Age Group",
    "Variant Image",
    "Variant Weight Unit",
    "Cost per item",
    "Status",
}
WOOCOMMERCE_COLUMNS = {
    "ID",
    "Type",
    "SKU",
    "Name",
    "Published",
    "Is featured?",
    "Visibility in catalog",
    "Short description",
    "Description",
    "Date sale price starts",
    "Date sale price ends",
    "Tax status",
    "Tax class",
    "In stock?",
    "Stock",
    "Backorders allowed?",
    "Sold individually?",
    "Weight (kg)",
    "Allow customer reviews?",
    "Purchase note",
    "Sale price",
    "Regular price",
    "Categories",
    "Tags",
    "Shipping class",
    "Images",
    "Parent",
    "Upsells",
    "Cross-sells",
    "Position",
} | {f"Attribute {n} {part}" for n in (1, 2, 3) for part in ("name", "value(s)", "visible", "global")}
MERCHANT_COLUMNS = {
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
    "sale_price",
    "brand",
    "gtin",
    "mpn",
    "identifier_exists",
    "condition",
    "google_product_category",
    "product_type",
    "color",
    "gender",
    "age_group",
    "size",
    "material",
}


def products() -> list[ExportProduct]:
    """Three products that exercise every rule: generated copy, several images, quotes, commas, Chinese-free
    text, a draft."""
    shirt_images = tuple(
        ExportImage(f"pl-001-{n}.png", f"{CDN}/pl-001-{n}.png", "Navy slim shirt, cotton", generated=n == 3)
        for n in (1, 2, 3)
    )
    return [
        ExportProduct(
            sku="PL-001",
            handle="pl-001",
            status="active",
            category="Shirts",
            category_tree=("Apparel", "Topwear", "Shirts"),
            title="Navy slim shirt, cotton",
            description="A navy shirt in soft cotton.\n\nSlim through the body.",
            title_generated=True,
            description_generated=True,
            seo_title="Navy slim shirt",
            seo_description="Soft cotton, slim cut.",
            short_description="Soft cotton, slim cut.",
            price="39.90",
            currency="USD",
            vendor="Peter England",
            link="https://shop.example.com/products/pl-001",
            colour="Navy Blue",
            gender="Men",
            audience="Men",
            tags=("Summer", "Casual"),
            images=shirt_images,
        ),
        ExportProduct(
            sku="PL-002",
            handle="pl-002",
            status="active",
            category="Jeans",
            title='Blue "slim" jeans',
            description="Blue jeans & a belt loop.",
            price="49",
            currency="USD",
            vendor="Levis",
            link="https://shop.example.com/products/pl-002",
            colour="Blue",
            gender="Women",
            audience="Women",
            images=(ExportImage("pl-002-1.jpg", f"{CDN}/pl-002-1.jpg", 'Blue "slim" jeans', False),),
        ),
        ExportProduct(
            sku="PL-003",
            handle="pl-003",
            status="draft",
            category="Socks",
            title="Grey socks",
            description="Grey socks.",
            price="5.00",
            currency="USD",
            link="https://shop.example.com/products/pl-003",
            images=(ExportImage("pl-003-1.png", f"{CDN}/pl-003-1.png", "Grey socks", False),),
        ),
    ]


def read_csv(data: bytes) -> tuple[list[str], list[dict]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("key", list(DIALECTS))
def test_each_format_writes_its_golden_file(key):
    dialect = DIALECTS[key]
    data, problems, _rows = export_table(dialect, products())
    assert problems == []
    text = gzip.decompress(data).decode() if dialect.tab_separated else data.decode()
    golden = GOLDEN / f"{key}.{'tsv' if dialect.tab_separated else 'csv'}"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "handle_column", "image_column", "position_column", "documented"),
    [
        ("shopify", "URL handle", "Product image URL", "Image position", SHOPIFY_COLUMNS),
        ("shopify_legacy", "Handle", "Image Src", "Image Position", SHOPIFY_LEGACY_COLUMNS),
    ],
)
def test_shopify_reads_one_handle_per_product_with_a_row_per_further_image(
    key, handle_column, image_column, position_column, documented
):
    data, _, _rows = export_table(DIALECTS[key], products())
    header, rows = read_csv(data)
    assert set(header) <= documented and {"Title", handle_column} <= set(header)
    handles = [row[handle_column] for row in rows]
    # Each handle's rows are together, and only the first carries the product's title.
    runs = [h for i, h in enumerate(handles) if i == 0 or handles[i - 1] != h]
    assert runs == ["pl-001", "pl-002", "pl-003"]
    for handle in runs:
        own = [row for row in rows if row[handle_column] == handle]
        assert own[0]["Title"] and all(not row["Title"] for row in own[1:])
        positions = [row[position_column] for row in own if row[image_column]]
        assert positions == [str(n) for n in range(1, len(positions) + 1)]
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", handle) for handle in runs)
    shirt = [row for row in rows if row[handle_column] == "pl-001"]
    assert [row[image_column] for row in shirt] == [f"{CDN}/pl-001-{n}.png" for n in (1, 2, 3)]
    assert all(len(row["Title"]) <= 255 for row in rows)
    seo_title = "SEO title" if key == "shopify" else "SEO Title"
    assert all(len(row[seo_title]) <= 70 for row in rows)


def test_woocommerce_reads_a_row_per_product_with_its_images_in_one_cell():
    data, _, _rows = export_table(DIALECTS["woocommerce"], products())
    header, rows = read_csv(data)
    assert set(header) <= WOOCOMMERCE_COLUMNS
    assert [row["SKU"] for row in rows] == ["PL-001", "PL-002", "PL-003"]
    assert rows[0]["Images"].split(", ") == [f"{CDN}/pl-001-{n}.png" for n in (1, 2, 3)]
    assert [row["Categories"] for row in rows] == ["Apparel > Topwear > Shirts", "Jeans", "Socks"]  # the shop's tree
    assert [row["Published"] for row in rows] == ["1", "1", "-1"]  # the draft stays a draft
    assert rows[1]["Name"] == 'Blue "slim" jeans'
    assert (rows[0]["Attribute 1 name"], rows[0]["Attribute 1 value(s)"]) == ("Color", "Navy Blue")


def test_merchant_feed_puts_generated_text_in_structured_attributes():
    data, _, _rows = export_table(DIALECTS["merchant"], products())
    lines = gzip.decompress(data).decode().splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert set(header) <= MERCHANT_COLUMNS
    shirt, jeans, _socks = rows
    # Generated: no plain title or description, the structured ones say so.
    assert shirt["title"] == shirt["description"] == ""
    assert structured_content(shirt["structured_title"]) == ("trained_algorithmic_media", "Navy slim shirt, cotton")
    assert structured_content(shirt["structured_description"])[1] == (
        "A navy shirt in soft cotton. Slim through the body."
    )
    # The shop's own text stays plain.
    assert (jeans["title"], jeans["structured_title"]) == ('Blue "slim" jeans', "")
    assert shirt["additional_image_link"].split(",") == [f"{CDN}/pl-001-2.png", f"{CDN}/pl-001-3.png"]
    assert (shirt["price"], shirt["gender"], shirt["age_group"]) == ("39.90 USD", "male", "adult")
    assert all(len(structured_content(row["structured_title"] or ":")[1]) <= 150 for row in rows)


def test_a_long_title_and_more_than_ten_extra_images_are_found():
    many = tuple(ExportImage(f"x-{n}.png", f"{CDN}/x-{n}.png", "x", False) for n in range(12))
    long = ExportProduct(
        sku="X",
        handle="x",
        status="active",
        category="Shirts",
        title="t" * 151,
        description="d",
        price="1.00",
        currency="USD",
        link="https://shop.example.com/x",
        images=many,
    )
    _, problems, _rows = export_table(DIALECTS["merchant"], [long])
    assert [str(p) for p in problems] == ["line 2, title: is 151 characters; the platform takes at most 150"]
    # The feed keeps ten extra images, as the platform takes.
    data, _, _rows = export_table(DIALECTS["merchant"], [long])
    assert gzip.decompress(data).decode().count(f"{CDN}/x-") == 11


def broken(key: str, edit) -> list[str]:
    """The checks' findings on the golden file after `edit` changed its rows."""
    dialect = DIALECTS[key]
    data, _, _rows = export_table(dialect, products())
    header, rows = read_csv(data)
    edit(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return [str(p) for p in table_check(dialect, buffer.getvalue().encode())]


def test_shopify_checks_find_each_broken_rule_with_its_line_and_column():
    def second_handle_twice(rows):
        rows.append(dict(rows[4], **{"URL handle": "pl-002"}))  # pl-002's product row again at the end

    assert broken("shopify", second_handle_twice) == [
        "line 7, URL handle: 'pl-002' already names the product of line 5",
        "line 7, Image position: is '1'; the next image of 'pl-002' is 2",
    ]

    def stray_image(rows):
        rows.insert(0, dict(rows[1]))  # an image row before its product

    assert (
        broken("shopify", stray_image)[0]
        == "line 2, URL handle: image row of 'pl-001' does not follow its product's rows"
    )

    def bad_cells(rows):
        rows[0].update({"SEO title": "s" * 71, "Status": "live", "Price": "39,90"})
        rows[1].update({"Image position": "5", "Product image URL": "C:\\photos\\a b.png"})
        rows[4].update({"URL handle": "PL 002"})

    assert broken("shopify", bad_cells) == [
        "line 2, SEO title: is 71 characters; the platform takes at most 70",
        "line 2, Status: 'live' is not one of 'active', 'draft', 'archived'",
        "line 2, Price: '39,90' is not a price such as 19.99",
        "line 3, Product image URL: 'C:\\\\photos\\\\a b.png' is neither an http(s) URL nor a plain file name of the images zip",
        "line 3, Image position: is '5'; the next image of 'pl-001' is 2",
        "line 6, URL handle: 'PL 002' is not lower-case letters, digits and hyphens",
    ]


def test_woocommerce_and_merchant_checks_find_duplicates_and_missing_columns():
    def duplicate_sku(rows):
        rows[2]["SKU"] = "PL-001"

    assert broken("woocommerce", duplicate_sku) == ["line 4, SKU: 'PL-001' is already the product of line 2"]
    data, _, _rows = export_table(DIALECTS["merchant"], products())
    lines = gzip.decompress(data).decode().splitlines()
    without_price = "\n".join("\t".join(c for i, c in enumerate(line.split("\t")) if i != 9) for line in lines)
    assert [str(p) for p in table_check(DIALECTS["merchant"], gzip.compress(without_price.encode()))] == [
        "line 1, price: is required and missing"
    ]


def test_handles_html_and_the_images_zip():
    assert handle_of("ÉTÉ Shirt_01 / Navy") == "ete-shirt-01-navy"
    assert handle_of("衬衫") == ""
    assert html_paragraphs("Soft <cotton> & more.\n\nSecond line\nwrapped") == (
        "<p>Soft &lt;cotton&gt; &amp; more.</p><p>Second line<br>wrapped</p>"
    )
    data = images_zip([("a-1.png", b"one"), ("a-2.png", b"two")])
    assert data == images_zip([("a-1.png", b"one"), ("a-2.png", b"two")])  # the same images, the same zip
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == {"a-1.png": b"one", "a-2.png": b"two"}
