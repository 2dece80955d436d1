"""Publishing to the shop through the services the pages, the API, the command and the worker share: approved copy
and images leave as each platform imports them, generated images labelled as generated, the channel's mapping
choosing which copy fills which field, Chinese copy in a second file, and an export that breaks a platform's rule
writes nothing and says where."""

import csv
import gzip
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from catalog.services.product_copy import product_copy_revert
from generation.exports.merchant import structured_content
from generation.models import CatalogExport
from generation.provenance import TRAINED_ALGORITHMIC_MEDIA, provenance_read
from generation.publishing.services import catalog_export_create, publish_channel_save
from generation.services import review
from retail_studio.errors import StudioError
from tests.factories import make_generated_items, make_product, png_bytes
from tests.generation.test_copy_facts import copy_item
from tests.languages import english_runs

pytestmark = pytest.mark.django_db

TITLE = "Navy shirt for every day"
DESCRIPTION = "A navy shirt that is easy to wear."


def channel_save(user, platform: str, **fields):
    """A channel saved as the Publish page saves it: no Chinese file, USD, the default mapping unless given."""
    defaults = {
        "mapping": {},
        "chinese": False,
        "media_base_url": "",
        "product_url": "",
        "vendor": "",
        "currency": "USD",
    }
    return publish_channel_save(platform=platform, user=user, **(defaults | fields))


@pytest.fixture
def shop(reviewer):
    """Two shirts with a photo each; the first with approved title, description, ad headline and Chinese title,
    and an approved generated image attached."""
    shirt = make_product(
        category="Shirt",
        title="PE shirt 1163",
        sku="PE-1163",
        image=Image.new("RGB", (60, 80), (20, 30, 90)),
        attributes={"colour": "navy", "gender": "Men", "price": "39.90"},
    )
    plain = make_product(
        category="Shirt",
        title="Grey shirt",
        sku="PE-2000",
        image=Image.new("RGB", (60, 80), (120, 120, 120)),
        description="A grey shirt.",
        attributes={"colour": "grey", "gender": "Women", "price": "25"},
    )
    for text, kind, language in (
        (TITLE, "title", "en"),
        (DESCRIPTION, "description", "en"),
        ("Navy shirt", "ad_headline", "en"),
        ("海军蓝衬衫", "title", "zh"),
    ):
        review.generated_item_approve(item=copy_item(shirt, text, kind=kind, language=language), reviewer=reviewer)
    (image,) = make_generated_items(category="Shirt")
    review.generated_item_approve(item=image, reviewer=reviewer, product=shirt)
    shirt.refresh_from_db()
    return shirt, plain


def export_run(django_capture_on_commit_callbacks, user, format="shopify", **selection) -> CatalogExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = catalog_export_create(format=format, selection=selection, user=user)
    export.refresh_from_db()
    return export


def stored(export: CatalogExport, kind: str) -> bytes:
    entry = next(f for f in export.files if f["kind"] == kind)
    with default_storage.open(entry["path"], "rb") as handle:
        return handle.read()


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_a_shopify_export_carries_approved_copy_and_labels_only_generated_images(
    shop, celery_eager, django_capture_on_commit_callbacks, merchandiser
):
    shirt, plain = shop
    export = export_run(django_capture_on_commit_callbacks, merchandiser, category=shirt.category_id)
    assert export.status == "succeeded", (export.error, export.problems)
    assert [f["kind"] for f in export.files] == ["products", "chinese", "images"]
    rows = csv_rows(stored(export, "products"))
    shirt_rows = [row for row in rows if row["URL handle"] == "pe-1163"]
    assert [row["Title"] for row in shirt_rows] == [TITLE, ""]  # the approved title; the generated image's own row
    assert shirt_rows[0]["Description"] == f"<p>{DESCRIPTION}</p>"
    assert shirt_rows[0]["SEO title"] == "Navy shirt"  # the ad headline, as the default mapping says
    assert [row["Image alt text"] for row in shirt_rows] == [TITLE, TITLE]  # alt text from the approved title
    assert (shirt_rows[0]["Price"], shirt_rows[0]["Google Shopping / Gender"]) == ("39.90", "male")
    assert [row["Title"] for row in rows if row["URL handle"] == "pe-2000"] == ["Grey shirt"]
    with zipfile.ZipFile(io.BytesIO(stored(export, "images"))) as archive:
        labels = {name: provenance_read(archive.read(name)) for name in archive.namelist()}
    assert set(labels) == {row["Product image URL"] for row in rows}  # the CSV names the zip's files
    assert labels["pe-1163-2.png"]["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    assert "decision #" in labels["pe-1163-2.png"]["description"]
    assert labels["pe-1163-1.png"]["digital_source_type"] == labels["pe-2000-1.png"]["digital_source_type"] == ""
    # Which copy went out, by revision.
    revisions = shirt.copy_revisions.order_by("-id")
    title_revision = revisions.filter(field="title").first()
    assert export.copy_versions["PE-1163"]["title"] == title_revision.pk
    assert export.copy_versions["PE-2000"] == {}
    # The Chinese file holds the products with Chinese copy, in Chinese: the catalog's words too, from the glossary.
    chinese = [row for row in csv_rows(stored(export, "chinese")) if row["Title"]]
    assert [(row["URL handle"], row["Title"], row["Type"]) for row in chinese] == [("pe-1163", "海军蓝衬衫", "衬衫")]


def test_the_stored_generated_image_says_so_from_review_to_the_product(shop):
    shirt, _ = shop
    attached = shirt.images.get(source="generated")
    with attached.file.open("rb") as handle:
        label = provenance_read(handle.read())
    assert label["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    assert (
        label["description"].startswith("Generated by Retail Studio: seed ")
        and "Approved in review on" in label["description"]
    )
    pending = make_generated_items(category="Shirt")[0]
    with pending.image.open("rb") as handle:
        assert provenance_read(handle.read())["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    with shirt.images.get(source="photo").file.open("rb") as handle:
        assert provenance_read(handle.read())["digital_source_type"] == ""


def test_the_channels_mapping_chooses_which_copy_fills_which_field(
    shop, celery_eager, django_capture_on_commit_callbacks, merchandiser
):
    shirt, _ = shop
    mapping = {"seo_title": "title", "image_alt": "ad_headline", "description": ""}
    channel_save(
        merchandiser,
        "shopify",
        mapping=mapping,
        media_base_url="https://cdn.example.com/shop",
        vendor="Peter England",
        currency="usd",
    )
    export = export_run(django_capture_on_commit_callbacks, merchandiser, skus=[shirt.sku])
    rows = csv_rows(stored(export, "products"))
    assert [f["kind"] for f in export.files] == ["products", "images"]  # no Chinese file when the channel says so
    assert (rows[0]["SEO title"], rows[0]["Image alt text"], rows[0]["Vendor"]) == (
        TITLE,
        "Navy shirt",
        "Peter England",
    )
    assert rows[0]["Description"] == ""
    assert [row["Product image URL"] for row in rows] == [
        f"https://cdn.example.com/shop/pe-1163-{n}.png" for n in (1, 2)
    ]
    with pytest.raises(StudioError, match="not a field of shopify"):
        channel_save(merchandiser, "shopify", mapping={"body": "title"})


def test_a_merchant_feed_needs_its_addresses_and_refuses_what_google_would_with_nothing_written(
    shop, celery_eager, django_capture_on_commit_callbacks, merchandiser
):
    shirt, plain = shop
    with pytest.raises(StudioError, match="product page address and media URL"):
        catalog_export_create(format="merchant", selection={}, user=merchandiser)
    channel_save(
        merchandiser,
        "merchant",
        media_base_url="https://cdn.example.com/shop",
        product_url="https://shop.example.com/products/{handle}",
        vendor="Peter England",
    )
    plain.attributes = {"price": "25,00"}
    plain.save()
    refused = export_run(django_capture_on_commit_callbacks, merchandiser, format="merchant")
    assert refused.status == "failed" and refused.files == []
    assert refused.problems == [
        {
            "file": f"merchant-export-{refused.pk}.tsv.gz",
            "row": 3,
            "column": "price",
            "message": "'25,00 USD' is not a price with its currency, such as 15.00 USD",
        },
    ]
    assert "nothing was written" in refused.error
    assert not default_storage.exists(f"exports/{refused.pk}")
    plain.attributes = {"price": "25.00"}
    plain.save()
    export = export_run(django_capture_on_commit_callbacks, merchandiser, format="merchant")
    lines = gzip.decompress(stored(export, "products")).decode().splitlines()
    rows = [dict(zip(lines[0].split("\t"), line.split("\t"), strict=True)) for line in lines[1:]]
    generated, own = rows
    assert structured_content(generated["structured_title"]) == ("trained_algorithmic_media", TITLE)
    assert generated["title"] == "" and own["title"] == "Grey shirt" and own["structured_title"] == ""
    assert generated["link"] == "https://shop.example.com/products/pe-1163"
    assert generated["additional_image_link"] == "https://cdn.example.com/shop/pe-1163-2.png"


def test_a_selection_narrows_by_each_part_and_an_empty_or_bad_one_is_refused(
    shop, celery_eager, django_capture_on_commit_callbacks, merchandiser
):
    shirt, plain = shop
    title_job_item = shirt.copy_items.filter(copy_kind="title").first()
    title_job_item.copy_job_id = None
    cases = {
        "approved_since": ({"approved_since": "2000-01-01"}, ["PE-1163"]),
        "query": ({"query": "grey"}, ["PE-2000"]),
        "skus": ({"skus": "PE-2000, PE-1163"}, ["PE-1163", "PE-2000"]),
        "sampling_job": ({"sampling_job": 999}, None),
        "future": ({"approved_since": "2999-01-01"}, None),
    }
    for _name, (selection, skus) in cases.items():
        if skus is None:
            with pytest.raises(StudioError, match="No product to export"):
                catalog_export_create(format="woocommerce", selection=selection, user=merchandiser)
            continue
        export = export_run(django_capture_on_commit_callbacks, merchandiser, format="woocommerce", **selection)
        assert [row["SKU"] for row in csv_rows(stored(export, "products"))] == skus
    for bad, message in (
        ({"approved_since": "yesterday"}, "a date such as"),
        ({"category": "Shirt"}, "the number of one"),
        ({"colour": "navy"}, "not by colour"),
        ({"category": 999}, "no category #999"),
    ):
        with pytest.raises(StudioError, match=message):
            catalog_export_create(format="shopify", selection=bad, user=merchandiser)
    assert CatalogExport.objects.filter(status="queued").count() == 0


def test_the_api_exports_and_its_signed_link_downloads_without_a_login(
    shop, celery_eager, client, merchandiser, reviewer, django_capture_on_commit_callbacks
):
    shirt, _ = shop
    client.force_login(reviewer)
    assert client.post("/api/v1/exports/", {"format": "shopify"}, content_type="application/json").status_code == 403
    client.force_login(merchandiser)
    bad = client.post("/api/v1/exports/", {"format": "etsy"}, content_type="application/json")
    assert bad.status_code == 400 and "format" in bad.json()
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            "/api/v1/exports/", {"format": "shopify_legacy", "skus": [shirt.sku]}, content_type="application/json"
        )
    assert made.status_code == 201, made.json()
    body = client.get(f"/api/v1/exports/{made.json()['id']}/").json()
    assert body["status"] == "succeeded" and body["selection"] == {"skus": [shirt.sku]}
    products = next(f for f in body["files"] if f["kind"] == "products")
    client.logout()
    answer = client.get(products["url"])
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    header = b"".join(answer.streaming_content).decode().splitlines()[0]
    assert header.startswith("Handle,Title,Body (HTML)")  # the legacy columns, as asked
    assert client.get(products["url"].replace("/publish/download/", "/publish/download/x")).status_code == 404
    assert client.get(f"/publish/exports/{body['id']}/files/{products['name']}").status_code == 302  # to log in


def test_the_command_writes_the_files_beside_out_and_refuses_with_every_problem(shop, tmp_path, merchandiser):
    out = tmp_path / "shop.csv"
    call_command("export_catalog", "--format", "shopify", "--out", str(out), "--category", "Shirt")
    assert out.read_text().startswith("Title,URL handle,Description")
    assert (tmp_path / "shop-zh.csv").exists() and zipfile.is_zipfile(tmp_path / "shop-images.zip")
    channel_save(
        merchandiser,
        "merchant",
        media_base_url="https://cdn.example.com/shop",
        product_url="https://shop.example.com/products/{handle}",
    )
    shop[1].attributes = {}
    shop[1].save()
    with pytest.raises(CommandError, match=r"line 3, price: '' is not a price"):
        call_command("export_catalog", "--format", "merchant", "--out", str(tmp_path / "feed.tsv.gz"))
    assert not (tmp_path / "feed.tsv.gz").exists()
    with pytest.raises(CommandError, match="No category named"):
        call_command("export_catalog", "--format", "shopify", "--out", str(out), "--category", "Hats")


def test_the_publish_page_exports_saves_a_channel_and_downloads(
    shop, celery_eager, merch_client, django_capture_on_commit_callbacks
):
    shirt, _ = shop
    page = merch_client.get(f"/publish/?category={shirt.category_id}")
    assert page.status_code == 200 and b"What goes where" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        answer = merch_client.post(
            reverse("publishing:export_create"), {"format": "woocommerce", "category": shirt.category_id}
        )
    export = CatalogExport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/publish/exports/{export.pk}/"
    assert b"woocommerce" in merch_client.get(answer["Location"]).content.lower()
    name = export.files[0]["name"]
    download = merch_client.get(f"/publish/exports/{export.pk}/files/{name}")
    assert b"".join(download.streaming_content).startswith(b"ID,Type,SKU,Name")
    refused = merch_client.post(reverse("publishing:export_create"), {"format": "shopify", "query": "no such words"})
    assert refused.status_code == 400 and b"No product to export" in refused.content
    saved = merch_client.post(
        "/publish/channels/woocommerce/",
        {"woocommerce-map_title": "ad_headline", "woocommerce-currency": "EUR", "woocommerce-chinese": "on"},
    )
    assert saved.status_code == 302
    page = merch_client.get("/publish/").content.decode()
    woocommerce = page[page.index('id="channel-woocommerce"') :].split("</section>")[0]
    assert woocommerce.count('value="ad_headline" selected') == 1 and 'value="EUR"' in woocommerce


def test_a_short_and_a_long_description_each_go_to_their_own_field_until_one_is_reverted(
    shop, celery_eager, django_capture_on_commit_callbacks, merchandiser, reviewer
):
    shirt, _ = shop
    long = "A navy shirt that is easy to wear.\n\nIt has long sleeves."
    review.generated_item_approve(item=copy_item(shirt, long, kind="description_long"), reviewer=reviewer)
    channel_save(
        merchandiser,
        "woocommerce",
        mapping={"short_description": "description_short", "description": "description_long"},
    )
    export = export_run(django_capture_on_commit_callbacks, merchandiser, format="woocommerce", skus=[shirt.sku])
    (row,) = csv_rows(stored(export, "products"))
    assert row["Short description"] == f"<p>{DESCRIPTION}</p>"
    assert row["Description"] == "<p>A navy shirt that is easy to wear.</p><p>It has long sleeves.</p>"
    assert set(export.copy_versions[shirt.sku]) == {"title", "description_short", "description_long"}
    product_copy_revert(revision=shirt.copy_revisions.order_by("-id").first(), user=merchandiser)
    export = export_run(django_capture_on_commit_callbacks, merchandiser, format="woocommerce", skus=[shirt.sku])
    (row,) = csv_rows(stored(export, "products"))
    assert (row["Short description"], row["Description"]) == (f"<p>{DESCRIPTION}</p>", "")


def test_generated_images_stored_before_labelling_are_labelled_once_and_photos_never(shop, capsys):
    shirt, plain = shop
    attached = shirt.images.get(source="generated")
    photo = plain.images.get()
    unlabelled = png_bytes(28, 28, "L", 50)  # as files were written before the studio labelled them
    default_storage.delete(attached.file.name)
    default_storage.save(attached.file.name, ContentFile(unlabelled))
    (pending,) = make_generated_items(category="Shirt")
    default_storage.delete(pending.image.name)
    default_storage.save(pending.image.name, ContentFile(unlabelled))
    with photo.file.open("rb") as handle:
        photo_bytes = handle.read()

    call_command("label_generated_images")
    assert "Labelled 2 generated image(s)." in capsys.readouterr().out
    attached.refresh_from_db()
    pending.refresh_from_db()
    for file in (attached.file, pending.image):
        with file.open("rb") as handle:
            assert provenance_read(handle.read())["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    with photo.file.open("rb") as handle:
        assert handle.read() == photo_bytes
    call_command("label_generated_images")
    assert "Labelled 0 generated image(s)." in capsys.readouterr().out


def test_the_publish_pages_speak_chinese_throughout(
    shop, celery_eager, client, merchandiser, django_capture_on_commit_callbacks
):
    shirt, plain = shop
    client.force_login(merchandiser)
    client.post("/account/language/", {"language": "zh-hans", "next": "/publish/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publishing:export_create"), {"format": "shopify", "category": shirt.category_id})
    export = CatalogExport.objects.get()
    assert export.dashboard_language == "zh-hans" and export.phase == "已写出 3 行"
    data = {shirt.sku, shirt.title, plain.sku, plain.title, shirt.category.name, merchandiser.username}
    data |= {f["name"] for f in export.files}
    for path in ("/publish/", f"/publish/exports/{export.pk}/"):
        page = client.get(path).content.decode()
        assert english_runs(page, data) == [], path
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert english_runs(anonymous.get("/login/").content.decode(), set()) == []
