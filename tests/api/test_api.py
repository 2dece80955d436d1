"""The REST API's journeys, with a token as a script would call it."""

import io
import zipfile

import pytest
from django.urls import reverse

from catalog.models import CatalogImport, Product, ProductImage
from generation.models import GeneratedItem, RejectionReason, ReviewDecision, SamplingJob
from tests.api.conftest import token_client
from tests.factories import make_generated_items, make_product, make_user, png_bytes

pytestmark = pytest.mark.django_db


def test_no_token_no_session_is_401_and_a_wrong_token_too(api):
    assert api.get("/api/v1/products/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/products/").status_code == 401


def test_products_list_filters_orders_and_pages(merch_api):
    shoe = make_product(category="Shoe", title="Black sneaker", sku="SH-1")
    make_product(category="Shoe", title="White sneaker", sku="SH-2")
    make_product(category="Dress", title="Red dress", sku="DR-1")
    body = merch_api.get("/api/v1/products/", {"category": shoe.category_id, "ordering": "sku"}).json()
    assert body["count"] == 2 and [p["sku"] for p in body["results"]] == ["SH-1", "SH-2"]
    assert merch_api.get("/api/v1/products/", {"q": "black"}).json()["results"][0]["sku"] == "SH-1"
    page = merch_api.get("/api/v1/products/", {"page_size": 1, "ordering": "-id"}).json()
    assert len(page["results"]) == 1 and page["results"][0]["sku"] == "DR-1" and "page=2" in page["next"]


def test_product_detail_has_images_with_provenance_and_copy_history(merch_api, reviewer, merchandiser):
    product = make_product(category="Dress", title="Red dress")
    (item,) = make_generated_items(1, category="Dress", generated_by=merchandiser)
    from generation.services.review import generated_item_approve

    generated_item_approve(item=item, reviewer=reviewer, product=product)
    merch_api.patch(f"/api/v1/products/{product.pk}/", {"title": "Crimson dress"}, format="json")
    body = merch_api.get(f"/api/v1/products/{product.pk}/").json()
    generated = [image for image in body["images"] if image["ai_generated"]]
    assert len(generated) == 1 and generated[0]["provenance"]["generated_item"] == item.pk
    assert generated[0]["provenance"]["approved_by"] == "rev"
    assert body["title"] == "Crimson dress"
    assert body["copy_history"][0]["previous"] == "Red dress" and body["copy_history"][0]["ai_generated"] is False


def test_product_create_checks_sku_and_roles(merch_api, reviewer_api):
    category = make_product(category="Bag").category
    data = {"sku": "BAG-9", "title": "Tote", "category": category.pk}
    assert reviewer_api.post("/api/v1/products/", data, format="json").status_code == 403
    assert merch_api.post("/api/v1/products/", data, format="json").status_code == 201
    again = merch_api.post("/api/v1/products/", data, format="json")
    assert again.status_code == 400 and "sku" in again.json()
    bad = merch_api.post("/api/v1/products/", data | {"sku": "../x", "title": "=HYPERLINK(1)"}, format="json")
    assert bad.status_code == 400 and Product.objects.count() == 2


def test_image_upload_goes_through_the_import_checks(merch_api, reviewer_api):
    product = make_product()
    upload = io.BytesIO(png_bytes(40, 30))
    upload.name = "photo.png"
    assert reviewer_api.post(f"/api/v1/products/{product.pk}/images/", {"file": upload}).status_code == 403
    upload.seek(0)
    response = merch_api.post(f"/api/v1/products/{product.pk}/images/", {"file": upload})
    assert response.status_code == 201, response.content
    assert response.json()["width"] == 40 and response.json()["ai_generated"] is False
    fake = io.BytesIO(b"<script>alert(1)</script>")
    fake.name = "photo.png"
    refused = merch_api.post(f"/api/v1/products/{product.pk}/images/", {"file": fake})
    assert refused.status_code == 400 and "not an image" in refused.json()["detail"]
    assert ProductImage.objects.filter(product=product).count() == 1


def test_import_is_an_asynchronous_job_with_its_report(merch_api, celery_eager, django_capture_on_commit_callbacks):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("TOTE-1.png", png_bytes())
    archive.seek(0)
    archive.name = "images.zip"
    csv = io.BytesIO(b"sku,title,category\nTOTE-1,Tote,Bag\n")
    csv.name = "bags.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = merch_api.post("/api/v1/imports/", {"csv_file": csv, "images_file": archive})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    job = merch_api.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert job["status"] == "succeeded" and job["products_created"] == 1 and job["images_created"] == 1
    assert Product.objects.get(sku="TOTE-1").images.count() == 1
    stored = CatalogImport.objects.get()
    assert not stored.csv_file.storage.exists(stored.csv_file.name)  # the uploads are gone, the report stays


def test_a_broken_import_job_reports_and_writes_nothing(merch_api, celery_eager, django_capture_on_commit_callbacks):
    csv = io.BytesIO(b"sku,title,category\nA-1,Tote,Bag\nA-1,Again,Bag\n")
    csv.name = "bags.csv"
    with django_capture_on_commit_callbacks(execute=True):
        job_id = merch_api.post("/api/v1/imports/", {"csv_file": csv}).json()["id"]
    job = merch_api.get(f"/api/v1/imports/{job_id}/").json()
    assert job["status"] == "failed" and "appears twice" in job["problems"][0]["message"]
    assert job["problems"][0]["row"] == 3 and Product.objects.count() == 0


def test_an_import_job_reads_a_shops_own_columns_through_its_mapping(
    merch_api, celery_eager, django_capture_on_commit_callbacks
):
    csv = io.BytesIO(b"ref,productDisplayName,kind,year\nA-1,Tote,Bag,2011\n")
    csv.name = "shop.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = merch_api.post("/api/v1/imports/", {"csv_file": csv, "map": ["ref=sku", "kind=category", "year="]})
    assert response.status_code == 202, response.json()
    job = merch_api.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert job["status"] == "succeeded" and job["mapping"] == {"ref": "sku", "kind": "category", "year": ""}
    tote = Product.objects.get(sku="A-1")
    assert (tote.title, tote.category.name, tote.attributes) == ("Tote", "Bag", {})
    bad = io.BytesIO(b"sku,title,category\n")
    bad.name = "x.csv"
    refused = merch_api.post("/api/v1/imports/", {"csv_file": bad, "map": ["kind"]})
    assert refused.status_code == 400 and "COLUMN=TARGET" in str(refused.json())


def test_review_through_the_api_with_audit_and_conflict(reviewer_api, merchandiser, reviewer):
    items = make_generated_items(2, generated_by=merchandiser)
    listed = reviewer_api.get("/api/v1/items/", {"state": "pending"}).json()
    assert listed["count"] == 2 and all(i["ai_generated"] and i["provenance"]["seed"] for i in listed["results"])
    assert (
        reviewer_api.post(f"/api/v1/items/{items[0].pk}/approve/", {}, format="json").json()["review_state"]
        == "approved"
    )
    other = token_client(make_user("rev2", "reviewer"))
    conflict = other.post(f"/api/v1/items/{items[0].pk}/approve/", {}, format="json")
    assert conflict.status_code == 409 and "Already approved by rev" in conflict.json()["detail"]
    reason = RejectionReason.objects.first()
    rejected = reviewer_api.post(f"/api/v1/items/{items[1].pk}/reject/", {"reason": reason.pk}, format="json")
    assert rejected.json()["review_state"] == "rejected"
    assert reviewer_api.post(f"/api/v1/items/{items[1].pk}/undo/").json()["review_state"] == "pending"
    actions = [d["action"] for d in reviewer_api.get("/api/v1/decisions/", {"ordering": "id"}).json()["results"]]
    assert actions == ["approved", "rejected", "undone"]


def test_merchandisers_cannot_decide_and_nobody_approves_their_own(merch_api, merchandiser, reviewer):
    (item,) = make_generated_items(1, generated_by=reviewer)
    assert merch_api.post(f"/api/v1/items/{item.pk}/approve/", {}, format="json").status_code == 403
    own = token_client(reviewer).post(f"/api/v1/items/{item.pk}/approve/", {}, format="json")
    assert own.status_code == 400 and "another reviewer" in own.json()["detail"]
    assert GeneratedItem.objects.get(pk=item.pk).review_state == "pending"


def test_bulk_approval_over_fifty_needs_the_spot_check(reviewer_api, merchandiser):
    make_generated_items(60, generated_by=merchandiser)
    first = reviewer_api.post("/api/v1/items/bulk/?state=pending", {"action": "approve"}, format="json")
    assert first.status_code == 409 and len(first.json()["items"]) == 10
    token = first.json()["token"]
    done = reviewer_api.post("/api/v1/items/bulk/?state=pending", {"action": "approve", "spot_check": token},
                             format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["decided"] == 60
    assert ReviewDecision.objects.filter(bulk=True).count() == 60


def test_jobs_create_cancel_retry_by_role(merch_api, reviewer_api, trained, django_capture_on_commit_callbacks):
    data = {"model": trained.pk, "category_names": trained.category_names[:1], "per_category": 2}
    assert reviewer_api.post("/api/v1/sampling-jobs/", data, format="json").status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        created = merch_api.post("/api/v1/sampling-jobs/", data, format="json")
    assert created.status_code == 201, created.content
    job_id = created.json()["id"]
    assert merch_api.post(f"/api/v1/sampling-jobs/{job_id}/cancel/").json()["status"] == "cancelled"
    with django_capture_on_commit_callbacks(execute=False):
        assert merch_api.post(f"/api/v1/sampling-jobs/{job_id}/retry/").json()["status"] == "queued"
    assert SamplingJob.objects.get(pk=job_id).status == "queued"
    too_many = merch_api.post("/api/v1/sampling-jobs/", data | {"per_category": 10**9}, format="json")
    assert too_many.status_code == 400
    training = merch_api.get(f"/api/v1/training-jobs/{trained.jobs.first().pk}/progress/").json()
    assert training["status"] == "succeeded" and training["points"]


def test_models_promote_and_retire_need_a_merchandiser(merch_api, reviewer_api, trained):
    assert reviewer_api.post(f"/api/v1/models/{trained.pk}/retire/").status_code == 403
    assert merch_api.post(f"/api/v1/models/{trained.pk}/retire/").json()["state"] == "retired"
    assert merch_api.get("/api/v1/models/", {"state": "retired"}).json()["count"] == 1


def test_schema_and_docs_are_served_from_our_own_static_files(client, reviewer):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(reviewer)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()


def test_my_api_token_page_makes_shows_once_and_revokes(client, reviewer):
    client.force_login(reviewer)
    page = client.post(reverse("api_token"), {"action": "renew"}).content.decode()
    key = page.split('id="api-token-key">')[1].split("<")[0]
    assert token_client_from_key(key).get("/api/v1/items/").status_code == 200
    assert key not in client.get(reverse("api_token")).content.decode()
    client.post(reverse("api_token"), {"action": "revoke"})
    assert token_client_from_key(key).get("/api/v1/items/").status_code == 401


def token_client_from_key(key: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_text_that_is_not_unicode_is_refused_not_a_server_error(reviewer_api, merchandiser):
    """Found by schemathesis: a lone surrogate escape in JSON parses, then no database can store it."""
    (item,) = make_generated_items(1, generated_by=merchandiser)
    reason = RejectionReason.objects.first().pk
    body = f'{{"action": "reject", "ids": [{item.pk}], "reason": {reason}, "note": "\\udb9a"}}'
    response = reviewer_api.post("/api/v1/items/bulk/", body, content_type="application/json")
    assert response.status_code == 400 and "not valid Unicode" in response.json()["detail"]
    assert GeneratedItem.objects.get(pk=item.pk).review_state == "pending"


def test_an_id_past_64_bits_is_refused_not_a_server_error(reviewer_api, merchandiser):
    """Found by schemathesis: an id too large for the database reached the query and failed there."""
    (item,) = make_generated_items(1, generated_by=merchandiser)
    response = reviewer_api.post("/api/v1/items/bulk/", {"action": "approve", "ids": [item.pk, 2**70]}, format="json")
    assert response.status_code == 400 and "ids" in response.json()
    assert GeneratedItem.objects.get(pk=item.pk).review_state == "pending"


def test_unknown_api_paths_answer_json_even_with_a_newline(merch_api):
    response = merch_api.post("/api/v1/items/x.%0Ay/undo/")  # no route takes a dot in an id
    assert response.status_code == 404 and response.json()["detail"]
