"""Media on S3-compatible storage (DJANGO_STORAGE=s3), against a local S3 server (moto_server), never AWS."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import boto3
import pytest

from catalog import roles
from catalog.services.products import product_image_add
from tests.conftest import PROJECT_DIR, _wait_for
from tests.factories import make_product, make_user, png_bytes
from tests.servers import free_port

S3_ENV = {"DJANGO_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "studio-media", "AWS_ACCESS_KEY_ID": "test-key",
          "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_S3_REGION_NAME": "us-east-1"}  # fmt: skip


@pytest.fixture
def s3_server(tmp_path):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _answers(url), 30, "moto_server")
        boto3.client("s3", endpoint_url=url, aws_access_key_id="test-key", aws_secret_access_key="test-secret",
                     region_name="us-east-1").create_bucket(Bucket="studio-media")  # fmt: skip
        yield url
    finally:
        server.terminate()
        server.wait(10)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _storages_from_settings(endpoint: str) -> dict:
    """STORAGES as retail_studio/settings.py builds it from a deployment's environment."""
    script = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    env = {**os.environ, **S3_ENV, "AWS_S3_ENDPOINT_URL": endpoint, "DJANGO_SETTINGS_MODULE": "retail_studio.settings"}
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {script}"], cwd=PROJECT_DIR,
                         env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_media_live_in_a_private_bucket_behind_the_role_check(s3_server, settings, client):
    storages = _storages_from_settings(s3_server)
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storages["default"]["OPTIONS"]["bucket_name"] == "studio-media"
    settings.STORAGES = storages
    photo = product_image_add(product=make_product(), data=png_bytes(40, 30))

    anonymous = client.get(f"/media/{photo.file.name}")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    with pytest.raises(urllib.error.HTTPError) as refused:  # the bucket itself is private
        urllib.request.urlopen(f"{s3_server}/studio-media/{photo.file.name}")
    assert refused.value.code == 403

    client.force_login(make_user("m", roles.MERCHANDISER))
    signed = client.get(f"/media/{photo.file.name}")
    assert signed.status_code == 302 and "Signature=" in signed["Location"]
    with urllib.request.urlopen(signed["Location"]) as response:
        assert response.read() == png_bytes(40, 30)
    assert client.get("/media/products/no/such.png").status_code == 404
