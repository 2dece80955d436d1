"""A VAE version's variations of a product's photo and blends between two, through the services the API and the
worker use: they reach the review queue with their provenance, and an approved one attaches to the product."""

import pytest
from django.core.management import call_command

from catalog.models import Product
from generation.models import GeneratedItem, GenerativeModel
from generation.services import review
from generation.services.jobs import variations_job_create
from generation.services.sampling import sampling_job_run
from retail_studio.errors import StudioError
from tests.generation.test_gan_commands import small_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def vae(db):
    small_catalog(28, "L")
    call_command("train_vae", "--name", "vae", "--steps", "3", "--device", "cpu")
    return GenerativeModel.objects.get(name="vae")


def test_variations_of_a_product_reach_the_queue_with_their_source_and_one_attaches(vae, merchandiser, reviewer):
    coat = Product.objects.filter(category__name="Coat").first()
    job = variations_job_create(model=vae, products=[coat], count=4, diversity=0.5, seed=3, user=merchandiser)
    assert sampling_job_run(job_id=job.pk).status == "succeeded"
    items = list(GeneratedItem.objects.filter(job=job).order_by("seed"))
    assert [i.seed for i in items] == [3, 4, 5, 6] and all(i.source_skus == [coat.sku] for i in items)
    assert {i.category.name for i in items} == {"Coat"} and all(i.image for i in items)
    assert items[0].provenance == f"variation of {coat.sku} by vae v1, seed 3, sampling job #{job.pk}"
    photos = coat.images.count()
    review.generated_item_approve(item=items[0], reviewer=reviewer, product=coat)
    assert coat.images.count() == photos + 1


def test_a_blend_is_between_two_products_of_one_category_and_bad_asks_change_nothing(vae, merchandiser):
    first, second = Product.objects.filter(category__name="Bag")[:2]
    job = variations_job_create(model=vae, products=[first, second], count=5, user=merchandiser)
    sampling_job_run(job_id=job.pk)
    by_id = tuple(p.sku for p in sorted([first, second], key=lambda p: p.pk))
    assert [tuple(i.source_skus) for i in GeneratedItem.objects.filter(job=job)] == [by_id] * 5
    coat = Product.objects.filter(category__name="Coat").first()
    before = GeneratedItem.objects.count()
    for products, problem in (([first, coat], "one category"), ([first], "1 to"), ([], "one product")):
        with pytest.raises(StudioError, match=problem):
            variations_job_create(model=vae, products=products, count=0 if products == [first] else 2)
    assert GeneratedItem.objects.count() == before


def test_the_api_makes_variations_and_refuses_a_gan_or_a_bad_ask(vae, merchandiser):
    from django.test import Client

    from catalog.services.api_tokens import api_token_renew

    api = Client(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=merchandiser).key}")
    coat = Product.objects.filter(category__name="Coat").first()
    made = api.post(
        "/api/v1/variation-jobs/",
        {"model": vae.pk, "products": [coat.sku], "count": 3, "diversity": 0.3},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["products"] == [coat.sku] and made.json()["count"] == 3
    vae.engine = "gan"
    vae.save(update_fields=["engine"])
    refused = api.post(
        "/api/v1/variation-jobs/",
        {"model": vae.pk, "products": [coat.sku], "count": 3},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "need a VAE" in refused.json()["detail"]
    too_many = api.post(
        "/api/v1/variation-jobs/",
        {"model": vae.pk, "products": ["a", "b", "c"], "count": 1},
        content_type="application/json",
    )
    assert too_many.status_code == 400


def test_the_variations_command_writes_each_skus_images_and_sample_images_samples_a_vae(vae, tmp_path):
    import numpy as np

    first, second = Product.objects.filter(category__name="Dress").order_by("id")[:2]
    call_command("variations", "vae", "--sku", first.sku, second.sku, "--count", "3", "--out", str(tmp_path / "v.npz"))
    with np.load(tmp_path / "v.npz") as data:
        assert data["images"].shape == (6, 28, 28, 1) and data["images"].dtype == np.uint8
        assert data["skus"].tolist() == [first.sku] * 3 + [second.sku] * 3
    call_command("sample_images", "vae", "--per-category", "1", "--out", str(tmp_path / "s.npz"))
    with np.load(tmp_path / "s.npz") as data:
        assert data["images"].shape == (3, 28, 28)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown SKU"):
        call_command("variations", "vae", "--sku", "NOPE", "--count", "1", "--out", str(tmp_path / "x.npz"))


def test_planted_mislabelled_photos_rank_first_in_the_photo_check(capsys):
    import json

    from PIL import Image

    from tests.factories import make_product

    small_catalog(28, "L")
    for n in range(2):  # bag photos (dark) imported as coats (bright)
        make_product(category="Coat", sku=f"PLANTED-{n}", title="Coat?", image=Image.new("L", (28, 28), 40))
    call_command("train_vae", "--name", "vae", "--steps", "150", "--device", "cpu")
    capsys.readouterr()
    call_command("photo_check", "vae", "--top", "3")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["sku"] for r in rows[:2]} == {"PLANTED-0", "PLANTED-1"}, rows
    assert rows[0]["reason"] == "looks like a Bag" and rows[2]["sku"].startswith("TEST-")


def test_the_photos_to_check_page_shows_a_workers_check_most_unusual_first(
    merch_client, reviewer, django_capture_on_commit_callbacks
):
    from PIL import Image

    from generation.models import PhotoCheck
    from generation.services.photo_check import photo_check_run
    from tests.factories import make_product

    small_catalog(28, "L")
    make_product(category="Coat", sku="PLANTED-0", title="Coat?", image=Image.new("L", (28, 28), 40))
    call_command("train_vae", "--name", "vae", "--steps", "150", "--device", "cpu")
    vae = GenerativeModel.objects.get(name="vae")
    assert "Not checked yet" in merch_client.get("/photos/check/").content.decode()
    with django_capture_on_commit_callbacks(execute=False) as sent:
        merch_client.post("/photos/check/", {"model": vae.pk})
    from django.test import Client

    reviewing = Client()
    reviewing.force_login(reviewer)
    assert reviewing.post("/photos/check/", {"model": vae.pk}).status_code == 403  # a reviewer reads, never asks
    check = PhotoCheck.objects.get()
    assert len(sent) == 1 and check.finished_at is None  # the worker's task, sent once the request commits
    assert "A worker is checking" in merch_client.get("/photos/check/").content.decode()
    photo_check_run(check_id=check.pk)  # as the worker's task does
    page = merch_client.get("/photos/check/").content.decode()
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "PLANTED-0" in first_row and "looks like a Bag" in first_row
