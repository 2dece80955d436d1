import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from catalog.import_sources import image_source_from_dir, image_source_from_zip
from catalog.models import Category, Product, ProductImage
from catalog.services.imports import catalog_import
from tests.factories import jpeg_bytes, make_product, png_bytes

pytestmark = pytest.mark.django_db
LIMITS = {"max_member_bytes": 20_000_000, "max_total_bytes": 100_000_000, "max_members": 1000}


def make_zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def run_import(csv_text: str | bytes, files: dict[str, bytes] | None = None, **limits):
    data = csv_text.encode() if isinstance(csv_text, str) else csv_text
    source = image_source_from_zip(make_zip(files), **(LIMITS | limits)) if files is not None else None
    return catalog_import(csv_data=data, images=source)


def assert_nothing_written():
    assert Product.objects.count() == 0
    assert ProductImage.objects.count() == 0
    assert not default_storage.exists("products")


GOOD_CSV = "sku,title,description,category,colour,material,image\n" \
           "DR-1,Red dress,Summer dress,Dress,red,linen,dress.jpg\n" \
           "TS-1,White tee,,T-shirt/top,white,cotton,tee.png\n"  # fmt: skip


def test_happy_path_creates_products_images_categories_and_attributes():
    report = run_import(GOOD_CSV, {"photos/dress.jpg": jpeg_bytes(640, 480), "tee.png": png_bytes(20, 30, "L")})

    assert report.ok, report.problems
    assert (report.products_created, report.images_created, report.categories_created) == (2, 2, 2)
    dress = Product.objects.get(sku="DR-1")
    assert dress.category.name == "Dress"
    assert dress.attributes == {"colour": "red", "material": "linen"}
    image = dress.images.get()
    assert (image.width, image.height, image.mode, image.source) == (640, 480, "RGB", "photo")
    assert default_storage.exists(image.file.name)
    assert Product.objects.get(sku="TS-1").images.get().mode == "L"


def test_images_matched_by_sku_when_no_image_column_and_bom_is_stripped():
    csv_text = "\ufeffsku,title,category\nBAG-7,Tote bag,Bag\n"
    report = run_import(csv_text.encode("utf-8"), {"BAG-7.webp": _webp()})
    assert report.ok, report.problems
    assert Product.objects.get(sku="BAG-7").images.count() == 1


def _webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 255, 128)).save(buffer, format="WEBP")
    return buffer.getvalue()


def test_windows_1252_csv_is_read():
    csv_bytes = "sku,title,category\nC-1,Café coat,Coat\n".encode("cp1252")
    report = run_import(csv_bytes)
    assert report.ok, report.problems
    assert Product.objects.get(sku="C-1").title == "Café coat"


def test_utf16_csv_with_bom_is_read():
    report = run_import("sku,title,category\nC-2,Coat,Coat\n".encode("utf-16"))
    assert report.ok, report.problems


@pytest.mark.parametrize(
    "csv_text, files, expected",
    [
        ("sku,title,category\nA-1,Shoe,Sneaker\nA-1,Shoe again,Sneaker\n", None, "appears twice"),
        ("sku,title,category,image\nA-1,Shoe,Sneaker,missing.png\n", {"other.png": png_bytes()}, "missing from the upload"),
        ("sku,title,category\nA-1,Shoe,Sneaker\n", {"unrelated.png": png_bytes()}, "no image found"),
        ("sku,title\nA-1,Shoe\n", None, "no column named category"),
        ("sku,title,category,status\nA-1,Shoe,Sneaker,sold\n", None, "status “sold”"),
        ("sku,title,category\n,Shoe,Sneaker\n", None, "missing or invalid"),
        ("sku,title,category,image\nA-1,Shoe,Sneaker,shoe.png\n", None, "no images were uploaded"),
        ("", None, "empty"),
    ],
)  # fmt: skip
def test_bad_rows_are_reported_and_nothing_is_written(csv_text, files, expected):
    report = run_import(csv_text, files)
    assert not report.ok
    assert any(expected in str(problem) for problem in report.problems), report.problems
    assert_nothing_written()


def test_every_problem_is_reported_with_its_row_and_a_good_row_is_not_written():
    csv_text = "sku,title,category,image\nOK-1,Fine,Dress,ok.png\nBAD-1,,Dress,ok.png\nBAD-2,Shoe,Sneaker,nope.png\n"
    report = run_import(csv_text, {"ok.png": png_bytes()})
    rows = sorted(problem.row for problem in report.problems)
    assert rows == [3, 4]
    assert_nothing_written()


def test_existing_sku_is_refused():
    make_product(sku="DUP-1")
    report = run_import("sku,title,category\nDUP-1,Again,Dress\n")
    assert [str(p) for p in report.problems] == ["row 2: SKU DUP-1 already exists in the catalog"]
    assert Product.objects.count() == 1


def test_image_type_is_checked_by_content_not_extension():
    report = run_import("sku,title,category,image\nA-1,Shoe,Sneaker,shoe.png\n", {"shoe.png": b"%PDF-1.4 not an image"})
    assert any("not an image" in p.message and p.file == "shoe.png" for p in report.problems)
    assert_nothing_written()


def test_unaccepted_image_format_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    report = run_import("sku,title,category,image\nA-1,Shoe,Sneaker,shoe.png\n", {"shoe.png": buffer.getvalue()})
    assert any("BMP" in p.message for p in report.problems)
    assert_nothing_written()


def test_oversized_file_is_refused(settings):
    settings.CATALOG_MAX_IMAGE_BYTES = 1000
    report = run_import("sku,title,category,image\nA-1,Shoe,Sneaker,big.jpg\n", {"big.jpg": jpeg_bytes(400, 400)})
    assert any("larger than the limit of 1000 bytes" in p.message for p in report.problems), report.problems
    assert_nothing_written()


def test_decompression_bomb_is_refused_before_decoding(settings):
    settings.CATALOG_MAX_IMAGE_PIXELS = 1_000_000
    bomb = png_bytes(4000, 4000, "L", 0)  # 16 Mpx of one colour: a few KB on disk
    assert len(bomb) < 100_000
    report = run_import("sku,title,category,image\nA-1,Shoe,Sneaker,bomb.png\n", {"bomb.png": bomb})
    assert any("decompression bomb" in p.message for p in report.problems), report.problems
    assert_nothing_written()


@pytest.mark.parametrize("name", ["../evil.png", "/abs/evil.png", "C:/evil.png", "a/../../evil.png"])
def test_zip_entries_escaping_the_archive_are_refused(name):
    report = run_import(
        "sku,title,category,image\nA-1,Shoe,Sneaker,ok.png\n", {name: png_bytes(), "ok.png": png_bytes()}
    )
    assert any("absolute path or '..'" in p.message and p.file == name for p in report.problems), report.problems
    assert_nothing_written()


def test_zip_that_unpacks_too_large_is_refused():
    report = run_import(
        "sku,title,category,image\nA-1,Shoe,Sneaker,ok.png\n", {"ok.png": png_bytes()}, max_total_bytes=10
    )
    assert any("unpacks to" in p.message for p in report.problems)
    assert_nothing_written()


def test_not_a_zip_is_reported():
    source = image_source_from_zip(io.BytesIO(b"not a zip"), **LIMITS)
    report = catalog_import(csv_data=b"sku,title,category\nA-1,Shoe,Sneaker\n", images=source)
    assert any("not a valid zip" in p.message for p in report.problems)
    assert_nothing_written()


def test_folder_source_matches_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "S-1.png").write_bytes(png_bytes())
    report = catalog_import(csv_data=b"sku,title,category\nS-1,Sandal,Sandal\n", images=image_source_from_dir(tmp_path))
    assert report.ok, report.problems
    assert Category.objects.filter(name="Sandal").exists()


def test_large_photo_gets_one_thumbnail_after_commit(celery_eager, django_capture_on_commit_callbacks, settings):
    settings.CATALOG_THUMBNAIL_SIZE = 64
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import("sku,title,category,image\nA-1,Shoe,Sneaker,big.jpg\n", {"big.jpg": jpeg_bytes(300, 150)})
    assert report.ok
    image = ProductImage.objects.get()
    assert image.thumbnail.name.endswith(".webp")
    with Image.open(image.thumbnail.path) as thumb:
        assert thumb.size == (64, 32)
    assert image.display_url == image.thumbnail.url


SHOP_CSV = (
    "id,productDisplayName,articleType,baseColour,masterCategory,year,image\n"
    "1163,Nike Team India Jersey,Tshirts,Blue,Apparel,2011,images/1163.jpg\n"
    "1525,Puma Deck Navy Blue Backpack,Backpacks,Navy Blue,Accessories,2010,images/1525.jpg\n"
)


def shop_photos():
    return {name: jpeg_bytes(60, 80) for name in ("images/1163.jpg", "images/1525.jpg")}


def test_a_shops_own_columns_import_through_guesses_and_a_mapping_and_are_remembered():
    from catalog.models import ImportColumnMapping

    source = image_source_from_zip(make_zip(shop_photos()), **LIMITS)
    report = catalog_import(csv_data=SHOP_CSV.encode(), images=source, mapping={"year": ""})
    assert report.ok, report.problems
    jersey = Product.objects.get(sku="1163")
    assert (jersey.title, jersey.category.name) == ("Nike Team India Jersey", "Tshirts")
    assert jersey.attributes == {"colour": "Blue", "master_category": "Apparel"}  # year was left out
    assert ImportColumnMapping.objects.get().mapping["year"] == ""

    # The next CSV with the same columns is read the same way without being told.
    again = SHOP_CSV.replace("1163", "2001").replace("1525", "2002")
    photos = {"images/2001.jpg": jpeg_bytes(60, 80), "images/2002.jpg": jpeg_bytes(60, 80)}
    report = catalog_import(csv_data=again.encode(), images=image_source_from_zip(make_zip(photos), **LIMITS))
    assert report.ok, report.problems
    assert "year" not in Product.objects.get(sku="2001").attributes
    assert {r.column: r.why for r in report.columns}["year"] == "remembered"


def test_a_mapping_that_cannot_be_read_writes_nothing_and_remembers_nothing():
    from catalog.models import ImportColumnMapping

    source = image_source_from_zip(make_zip(shop_photos()), **LIMITS)
    report = catalog_import(csv_data=SHOP_CSV.encode(), images=source, mapping={"id": "sku", "baseColour": "sku"})
    assert not report.ok
    assert "The columns “id” and “baseColour” would both be sku." in str(report.problems[0])
    assert_nothing_written()
    assert not ImportColumnMapping.objects.exists()


def test_the_preview_shows_the_first_products_as_read_and_writes_nothing():
    from catalog.services.imports import catalog_import_preview

    preview = catalog_import_preview(csv_data=SHOP_CSV.encode(), mapping={"masterCategory": "section"}, rows=1)
    assert preview.rows == 2 and preview.report.ok
    (product,) = preview.products
    assert (product.sku, product.title, preview.categories[0]) == ("1163", "Nike Team India Jersey", "Tshirts")
    assert product.attributes["section"] == "Apparel"
    assert preview.samples["productDisplayName"] == "Nike Team India Jersey"
    assert_nothing_written()
    assert not Category.objects.exists()


def test_the_command_maps_columns_previews_and_refuses_a_bad_pair(tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    csv_path = tmp_path / "shop.csv"
    csv_path.write_text(SHOP_CSV.replace("articleType", "kind"))
    folder = tmp_path / "photos"
    for name, data in shop_photos().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    call_command("import_catalog", str(csv_path), "--map", "kind=category", "--preview")
    out = capsys.readouterr().out
    assert "kind                     -> category" in out and "Nothing was written" in out
    assert "1163  Nike Team India Jersey  [Tshirts]" in out
    assert_nothing_written()

    with pytest.raises(CommandError, match="is not COLUMN=TARGET"):
        call_command("import_catalog", str(csv_path), "--map", "kind")
    call_command("import_catalog", str(csv_path), "--images", str(folder), "--map", "kind=category")
    assert Product.objects.get(sku="1525").category.name == "Backpacks"


def test_category_zh_and_attribute_zh_columns_become_glossary_terms_and_title_zh_the_products_chinese():
    from catalog.models import GlossaryTerm

    csv_text = (
        "sku,title,category,category_zh,colour,colour_zh,title_zh,image\n"
        "K-1,Blue kurta,Kurtas,库尔塔,Navy Blue,深蓝色,蓝色库尔塔,k1.jpg\n"
        "K-2,Red kurta,Kurtas,库尔塔,Red,,红色库尔塔,k2.jpg\n"
    )
    GlossaryTerm.objects.create(field="colour", value="red", text="正红色")  # an admin's term
    report = run_import(csv_text, {"k1.jpg": jpeg_bytes(60, 80), "k2.jpg": jpeg_bytes(60, 80)})
    assert report.ok, report.problems
    kurta = Product.objects.get(sku="K-1")
    assert kurta.attributes == {"colour": "Navy Blue"} and kurta.title_zh == "蓝色库尔塔"
    terms = {(t.field, t.value): (t.text, t.source) for t in GlossaryTerm.objects.all()}
    assert terms == {
        ("category", "Kurtas"): ("库尔塔", "import"),
        ("colour", "navy blue"): ("深蓝色", "import"),
        ("colour", "red"): ("正红色", "admin"),  # the admin's, untouched; the CSV gave none anyway
    }


def test_the_fixture_shop_imports_whole_with_its_chinese_words_in_the_glossary():
    from pathlib import Path

    from catalog.models import GlossaryTerm

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "shop_catalog.csv"
    report = catalog_import(csv_data=fixture.read_bytes())
    assert report.ok, report.problems
    assert (report.products_created, report.categories_created) == (64, 17)
    coat = Product.objects.get(sku="CO-101")
    assert coat.attributes["features"] == "double-breasted; flap pockets; fully lined"
    assert "colour_zh" not in coat.attributes and coat.attributes["occasion"] == "work"
    assert GlossaryTerm.objects.get(field="material", value="wool blend").text == "羊毛混纺"
