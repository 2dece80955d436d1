import pytest
from PIL import Image

from tests.browser import log_in
from tests.factories import PASSWORD, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_log_in_search_and_open_a_product(browser_page, live_server, merchandiser):
    make_product(title="Teal canvas sneaker", category="Sneaker", image=Image.new("L", (28, 28), 90))
    make_product(title="Black wool coat", category="Coat", image=Image.new("L", (28, 28), 30))
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("input[name=username]", merchandiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=2 products")

    page.fill("input[name=q]", "sneaker")
    page.click("form.filters button")
    page.wait_for_selector("text=1 product")
    assert page.locator(".tile").count() == 1
    page.click("text=Teal canvas sneaker")

    page.wait_for_selector("h1:has-text('Teal canvas sneaker')")
    assert page.locator(".badge.photo").count() == 1
    assert page.evaluate("document.querySelector('.tile img').naturalWidth") == 28  # the image really loads


def test_a_shops_own_csv_is_previewed_remapped_in_the_page_and_imported(
    browser_page, live_server, merchandiser, tmp_path
):
    import io
    import zipfile

    from catalog.models import Product
    from tests.factories import jpeg_bytes

    csv_path = tmp_path / "shop.csv"
    csv_path.write_text(
        "id,productDisplayName,articleType,baseColour,year,image\n"
        "1163,Nike Team India Jersey,Tshirts,Blue,2011,images/1163.jpg\n"
        "1525,Puma Deck Navy Blue Backpack,Backpacks,Navy Blue,2010,images/1525.jpg\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("images/1163.jpg", "images/1525.jpg"):
            zipped.writestr(name, jpeg_bytes(60, 80))
    zip_path = tmp_path / "photos.zip"
    zip_path.write_bytes(archive.getvalue())

    page = browser_page
    log_in(page, live_server.url, merchandiser.username, PASSWORD, next_path="/import/")
    page.wait_for_url("**/import/")
    page.wait_for_load_state("load")  # the page's script listens for the file before one is chosen
    page.set_input_files("input[name=csv_file]", str(csv_path))
    page.wait_for_selector("#preview-products td:has-text('Nike Team India Jersey')")
    assert page.input_value("select[aria-label='Read productDisplayName as']") == "title"
    assert page.input_value("select[aria-label='Read articleType as']") == "category"
    assert "2 products" in page.text_content("#preview-summary")
    assert Product.objects.count() == 0  # a preview writes nothing

    page.select_option("select[aria-label='Read year as']", "")  # leave the year out
    page.wait_for_function("() => !document.querySelector('#preview-products').textContent.includes('year')")
    page.set_input_files("input[name=images]", str(zip_path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("text=Imported 2 products")
    jersey = Product.objects.get(sku="1163")
    assert jersey.attributes == {"colour": "Blue"} and jersey.category.name == "Tshirts"

    # The shop's portrait photos show at their own shape in the catalog, not squared.
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => [...document.querySelectorAll('.tile img')].every(i => i.complete && i.naturalWidth)")
    box = page.locator(".tile img").first.bounding_box()
    assert box["height"] > 1.25 * box["width"]
