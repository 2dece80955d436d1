"""Files under /media/ go through the login and the roles, with their own content type, never sniffed."""

import pytest
from django.test import Client

from catalog import roles
from tests.factories import make_user, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(media_root):
    for name, data in {
        "products/ab/photo.png": png_bytes(), "generated/item.png": png_bytes(), "models/demo-v1.pt": b"weights",
        "products/page.html": b"<script>alert(1)</script>", "products/.hidden.png": png_bytes(),
    }.items():  # fmt: skip
        path = media_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def client_for(role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(make_user(f"user-{role}", role))
    return client


@pytest.mark.parametrize("role", [roles.MERCHANDISER, roles.REVIEWER, roles.ADMIN])
def test_images_reach_every_role_as_images_that_are_never_sniffed(files, role):
    client = client_for(role)
    for url in ("/media/products/ab/photo.png", "/media/generated/item.png"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_visitors_are_sent_to_log_in(files):
    response = client_for(None).get("/media/products/ab/photo.png")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_model_weights_are_downloads_for_admins_only(files):
    assert client_for(roles.MERCHANDISER).get("/media/models/demo-v1.pt").status_code == 403
    assert client_for(roles.REVIEWER).get("/media/models/demo-v1.pt").status_code == 403
    response = client_for(roles.ADMIN).get("/media/models/demo-v1.pt")
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="demo-v1.pt"'


@pytest.mark.parametrize(
    "url", ["/media/products/page.html", "/media/products/.hidden.png", "/media/products/../models/demo-v1.pt",
            "/media/products/missing.png"],
)  # fmt: skip
def test_other_files_hidden_files_and_escapes_are_not_found(files, url):
    assert client_for(roles.ADMIN).get(url).status_code == 404


def test_a_web_server_can_send_the_bytes_behind_the_same_check(files, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    reviewer = client_for(roles.REVIEWER)
    response = reviewer.get("/media/generated/item.png")
    assert response["X-Accel-Redirect"] == "/protected-media/generated/item.png" and not response.content
    assert reviewer.get("/media/models/demo-v1.pt").status_code == 403
