"""A fuzz set of broken uploads and CSVs, each sent through the API's import job, the API's image upload and
the browser's import form: each is refused with a clear message, and nothing is written (no product, no
category, no image row, no file)."""

import io
import struct
import zipfile
import zlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog import roles
from catalog.models import CatalogImport, Category, Product, ProductImage
from catalog.services.api_tokens import api_token_renew
from tests.factories import jpeg_bytes, make_product, make_user, png_bytes

pytestmark = pytest.mark.django_db

GOOD_CSV = b"sku,title,category\nS-1,Sandal,Sandal\n"


def _zip(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _encrypted_zip() -> bytes:
    """A zip whose member says it is encrypted (the flag bit in its local and central headers)."""
    data = bytearray(_zip({"S-1.png": png_bytes()}))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + flag_offset
        data[at] |= 0x1
    return bytes(data)


def _corrupt_zip() -> bytes:
    """A zip whose member's compressed bytes were damaged in transit."""
    data = bytearray(_zip({"S-1.png": png_bytes(64, 64, colour=(10, 200, 30)) * 3}))
    start = data.index(b"S-1.png") + len("S-1.png")
    for offset in range(start + 5, start + 25):
        data[offset] ^= 0xFF
    return bytes(data)


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width×height pixels: a decompression bomb."""
    data = bytearray(png_bytes(8, 8))
    ihdr = data[12:29]  # 'IHDR' + 13 bytes of data
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def _bmp() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="BMP")
    return buffer.getvalue()


# name: (csv bytes, zip bytes or None, words the report must hold)
CASES = {
    "truncated image": (GOOD_CSV, _zip({"S-1.png": png_bytes(64, 64)[:60]}), "damaged"),
    "html named .png": (GOOD_CSV, _zip({"S-1.png": b"<html><script>alert(1)</script>"}), "not an image"),
    "bmp named .jpg": (GOOD_CSV, _zip({"S-1.jpg": _bmp()}), "PNG, JPEG, WebP"),
    "decompression bomb": (GOOD_CSV, _zip({"S-1.png": _png_claiming(50_000, 50_000)}), "decompression bomb"),
    "zip path traversal": (GOOD_CSV, _zip({"../S-1.png": png_bytes()}), "'..'"),
    "zip absolute path": (GOOD_CSV, _zip({"/etc/S-1.png": png_bytes()}), "absolute path"),
    "zip bomb member": (GOOD_CSV, _zip({"S-1.png": bytes(30 * 1024 * 1024)}), "unpacks to 30 MB; the limit is 20 MB"),
    "zip bomb archive": (
        GOOD_CSV,
        _zip({f"x{i}.png": bytes(8 * 1024 * 1024) for i in range(3)}),
        "unpacks to 24 MB in all; the limit is 20 MB",
    ),
    "encrypted member": (GOOD_CSV, _encrypted_zip(), "encrypted"),
    "corrupt member": (GOOD_CSV, _corrupt_zip(), "cannot be unpacked"),
    "not a zip": (GOOD_CSV, b"PK\x03\x04 but not really a zip", "not a valid zip"),
    "undecodable csv": (b"sku,title,category\nS-1,\x81\x8d\x8f,Sandal\n", None, "neither UTF-8 nor Windows-1252"),
    "utf-16 without bom": ("sku,title,category\nS-1,Sandal,Sandal\n".encode("utf-16-le"), None, "NUL bytes"),
    "nul bytes": (b"sku,title,category\nS-1,San\x00dal,Sandal\n", None, "NUL bytes"),
    "empty csv": (b"", None, "empty"),
    "huge csv": (b"sku,title,category\n" + b"S-1,Sandal,Sandal\n" * 40_000, None, "split it into several imports"),
    "formula in title": (b'sku,title,category\nS-1,=HYPERLINK("http://x"),Sandal\n', None, "formula"),
    "formula with plus": (b"sku,title,category\nS-1,+cmd|' /C calc'!A0,Sandal\n", None, "formula"),
    "formula with at": (b"sku,title,category\nS-1,@SUM(1+1),Sandal\n", None, "formula"),
    "formula with minus": (b"sku,title,category\nS-1,Sandal,-2+3+cmd|x\n", None, "formula"),
    "formula after tab": (b'sku,title,category,colour\nS-1,Sandal,Sandal,"\t=1+1"\n', None, "formula"),
}


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.CATALOG_MAX_ARCHIVE_BYTES = 20 * 1024 * 1024  # the "archive" bomb unpacks to 24 MB
    settings.CATALOG_MAX_CSV_BYTES = 512 * 1024


def _nothing_written(media_root) -> None:
    assert Product.objects.count() == ProductImage.objects.count() == Category.objects.count() == 0
    written = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert written == []


def _upload(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


@pytest.mark.parametrize("case", sorted(CASES))
def test_api_import_refuses_and_writes_nothing(case, media_root, celery_eager, django_capture_on_commit_callbacks):
    csv_data, zip_data, words = CASES[case]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=make_user('m', roles.MERCHANDISER)).key}")
    body = {"csv_file": _upload(csv_data, "products.csv")}
    if zip_data is not None:
        body["images_file"] = _upload(zip_data, "images.zip")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/", body)
    if response.status_code == 400:  # refused as it arrived (an empty file): no job at all
        assert words in str(response.json()) and not CatalogImport.objects.exists()
    else:
        assert response.status_code == 202
        job = client.get(f"/api/v1/imports/{response.json()['id']}/").json()
        assert job["status"] == "failed"
        assert any(words in problem["message"] for problem in job["problems"]), job["problems"]
        assert CatalogImport.objects.get().products_created == 0
    _nothing_written(media_root)


@pytest.mark.parametrize("case", sorted(CASES))
def test_browser_import_refuses_and_writes_nothing(case, media_root, merch_client):
    csv_data, zip_data, words = CASES[case]
    body = {"csv_file": _upload(csv_data, "products.csv")}
    if zip_data is not None:
        body["images"] = _upload(zip_data, "images.zip")
    response = merch_client.post(reverse("catalog:import"), body)
    assert response.status_code == 400
    assert words in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    _nothing_written(media_root)


IMAGE_CASES = {name: (zipfile.ZipFile(io.BytesIO(data)).read(zipfile.ZipFile(io.BytesIO(data)).namelist()[0]), words)
               for name, (_, data, words) in CASES.items()
               if name in {"truncated image", "html named .png", "bmp named .jpg", "decompression bomb"}}  # fmt: skip
IMAGE_CASES["huge image"] = (jpeg_bytes() + bytes(21 * 1024 * 1024), "larger than the limit of 20 MB")


@pytest.mark.parametrize("case", sorted(IMAGE_CASES))
def test_api_image_upload_refuses_and_writes_nothing(case, media_root):
    data, words = IMAGE_CASES[case]
    product = make_product()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=make_user('m', roles.MERCHANDISER)).key}")
    response = client.post(f"/api/v1/products/{product.pk}/images/", {"file": _upload(data, "photo.png")})
    assert response.status_code == 400 and words in response.json()["detail"]
    assert ProductImage.objects.count() == 0 and not (media_root / "products").exists()


def test_a_request_over_the_size_cap_is_refused_before_it_is_read(settings, merch_client, media_root):
    settings.MAX_REQUEST_BYTES = 100_000
    body = {"csv_file": _upload(GOOD_CSV, "p.csv"), "images": _upload(bytes(200_000), "images.zip")}
    response = merch_client.post(reverse("catalog:import"), body)
    assert response.status_code == 413 and "the limit is 98 KB" in response.json()["detail"]
    _nothing_written(media_root)
