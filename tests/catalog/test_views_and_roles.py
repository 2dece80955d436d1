import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image

from catalog import roles
from catalog.models import Product
from generation.models import GenerativeModel
from tests.factories import make_product, png_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/products/1/", "/import/", "/admin/", "/media/products/x.png"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/") or response["Location"].startswith("/admin/login/")


def test_login_page_and_health_are_public(client):
    assert client.get("/login/").status_code == 200
    assert client.get("/healthz").content == b"ok"


def test_reviewer_cannot_import(reviewer_client):
    assert reviewer_client.get(reverse("catalog:import")).status_code == 403
    assert reviewer_client.post(reverse("catalog:import"), {}).status_code == 403


def test_only_the_admin_role_reaches_the_django_admin(client, merchandiser, admin_user_role):
    client.force_login(merchandiser)
    assert client.get("/admin/").status_code == 302  # staff only: sent to the admin login
    admin_user_role.is_staff = True
    admin_user_role.save()
    client.force_login(admin_user_role)
    assert client.get("/admin/catalog/product/").status_code == 200


def test_catalog_list_filters_by_category_and_search(reviewer_client):
    make_product(title="Navy wool coat", category="Coat")
    make_product(title="Red linen dress", category="Dress")
    make_product(title="Navy denim dress", category="Dress")
    dress = Product.objects.filter(category__name="Dress").first().category_id

    body = reviewer_client.get("/", {"q": "navy"}).content.decode()
    assert "Navy wool coat" in body and "Navy denim dress" in body and "Red linen dress" not in body
    body = reviewer_client.get("/", {"q": "navy", "category": dress}).content.decode()
    assert "Navy denim dress" in body and "Navy wool coat" not in body


def test_catalog_list_paginates_with_a_constant_number_of_queries(
    reviewer_client, settings, django_assert_max_num_queries
):
    settings.CATALOG_PAGE_SIZE = 5
    for i in range(12):
        make_product(title=f"Item {i}", image=Image.new("L", (8, 8), i))
    with django_assert_max_num_queries(9):  # with the newest id that keys the cached count
        response = reviewer_client.get("/", {"page": 3})
    assert response.context["page"].number == 3
    assert len(response.context["page"].object_list) == 2
    assert "Page 3 of 3" in response.content.decode()
    with django_assert_max_num_queries(8):  # the next page reuses the count
        reviewer_client.get("/", {"page": 2})
    make_product(title="Item 12")
    assert "Page 3 of 3" in reviewer_client.get("/", {"page": 3}).content.decode()  # 13 products: counted afresh
    assert "13 products" in reviewer_client.get("/").content.decode()


def test_product_page_marks_photos_and_generated_images(reviewer_client):
    product = make_product(title="Grey pullover", image=Image.new("RGB", (40, 20), "grey"))
    body = reviewer_client.get(reverse("catalog:product_detail", args=[product.id])).content.decode()
    assert "Grey pullover" in body and "Photo" in body and "40×20 RGB" in body
    assert reviewer_client.get(reverse("catalog:product_detail", args=[999999])).status_code == 404


def upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_import_page_reports_problems_and_imports_when_clean(merch_client):
    csv_data = b"sku,title,category,image\nW-1,Wool coat,Coat,coat.png\n"
    response = merch_client.post(
        reverse("catalog:import"),
        {"csv_file": upload("p.csv", csv_data), "images": upload("i.zip", zip_of({"other.png": png_bytes()}))},
    )
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode() and "coat.png" in response.content.decode()
    assert Product.objects.count() == 0

    response = merch_client.post(
        reverse("catalog:import"),
        {"csv_file": upload("p.csv", csv_data), "images": upload("i.zip", zip_of({"coat.png": png_bytes()}))},
    )
    assert response.status_code == 200
    assert "Imported 1 product" in response.content.decode()
    assert Product.objects.get().images.count() == 1


def test_import_command_all_or_nothing(tmp_path, capsys):

    (tmp_path / "p.csv").write_text("sku,title,category\nX-1,Bag,Bag\nX-1,Bag,Bag\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalog", str(tmp_path / "p.csv"))
    assert Product.objects.count() == 0
    (tmp_path / "imgs").mkdir()
    (tmp_path / "imgs" / "X-1.png").write_bytes(png_bytes())
    (tmp_path / "p.csv").write_text("sku,title,category\nX-1,Bag,Bag\n")
    call_command("import_catalog", str(tmp_path / "p.csv"), "--images", str(tmp_path / "imgs"))
    assert Product.objects.get().images.count() == 1


def test_demo_users_have_their_roles(capsys):

    call_command("create_demo_users")
    out = capsys.readouterr().out
    assert "merchandiser / studio-merch" in out
    users = {u.username: u for u in get_user_model().objects.all()}
    assert roles.user_has_role(users["merchandiser"], roles.MERCHANDISER)
    assert not roles.user_has_role(users["reviewer"], roles.MERCHANDISER)
    assert roles.user_has_role(users["admin"], roles.REVIEWER, roles.MERCHANDISER) and users["admin"].is_staff


def test_a_product_page_generates_with_its_categorys_image_model_never_a_copywriter(merch_client):
    """Both were trained on the category: the first run's copywriter is active there as well."""
    product = make_product(category="Shirts", sku="SH-1")
    copywriter = GenerativeModel.objects.create(
        name="first-copywriter", version=1, family="copy", state="active", checkpoint="models/c.pt"
    )
    copywriter.categories.set([product.category])
    page = merch_client.get(f"/products/{product.pk}/").content.decode()
    assert "Generate with" not in page
    images = GenerativeModel.objects.create(
        name="first-images", version=1, state="active", resolution=32, channels=3, checkpoint="models/i.pt"
    )
    images.categories.set([product.category])
    assert "Generate with first-images v1" in merch_client.get(f"/products/{product.pk}/").content.decode()
