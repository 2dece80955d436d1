"""The recommender through a real worker: events in, a training job, a registered version with its figures
beside the baselines', served; a new product photo gets similar items without a retraining; an erased shopper
is gone from the events at once and from the model at its next training. And in Chromium, a merchandiser pins
a product for a placement, sees it first in the preview, then removes the pin."""

import io
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image, ImageDraw

from catalog.models import Category, Product
from catalog.services.api_tokens import api_token_renew
from catalog.services.products import product_create
from generation.models import Family, GenerativeModel, ImageFeature, ProductRow, ShopperEvent, TrainingJob
from generation.recommendations.receivers import image_features_missing_enqueue
from generation.recommendations.rules import category_pairing_set
from generation.recommendations.versions import recommender_training_enqueue
from generation.recommender.scoring import ForYouModel
from tests.browser import log_in
from tests.factories import PASSWORD, make_product
from tests.generation.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOPPERS = 150
SHAPES = {"Shirt": "block", "Trouser": "legs", "Bag": "round"}


def photo(shape: str, shade: int, size: int = 40) -> Image.Image:
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    ink = (shade, shade, shade)
    if shape == "block":
        draw.rectangle((6, 8, 34, 32), fill=ink)
    elif shape == "legs":
        draw.rectangle((10, 4, 17, 36), fill=ink)
        draw.rectangle((23, 4, 30, 36), fill=ink)
    else:
        draw.ellipse((8, 8, 32, 32), fill=ink)
    return image


def photo_bytes(shape: str, shade: int) -> bytes:
    buffer = io.BytesIO()
    photo(shape, shade).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def shop(celery_worker_process):
    """36 products in three categories, photos of three shapes in two shades, and shoppers with clear tastes."""
    products = []
    for category, shape in SHAPES.items():
        for number in range(12):
            dark = number % 2 == 0
            products.append(make_product(
                category=category, sku=f"{category[:2].upper()}-{number}", title=f"{category} {number}",
                attributes={"tone": "dark" if dark else "light"}, image=photo(shape, 40 if dark else 200),
            ))  # fmt: skip
    category_pairing_set(category=Category.objects.get(name="Shirt"), goes_with=Category.objects.get(name="Trouser"))
    assert image_features_missing_enqueue() == len(products)  # as `make run` does for a catalog loaded before
    return products


def events_csv(products, tmp_path) -> str:
    """150 shoppers, each with one of three tastes (twelve products of every category and shade, every third
    product) over 30 days: 10 events apiece, so each has seen some of their taste but not all of it."""
    rng = np.random.default_rng(0)
    start = timezone.now() - timedelta(days=30)
    lines = ["user,sku,event,timestamp"]
    for shopper in range(SHOPPERS):
        taste = products[shopper % 3 :: 3]
        for step in range(10):
            product = taste[rng.integers(len(taste))]
            kind = "purchase" if step % 5 == 4 else "view"
            at = start + timedelta(minutes=step * 1000 + shopper)
            lines.append(f"s{shopper},{product.sku},{kind},{at.isoformat()}")
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines))
    return str(path)


def staff(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=user).key}")


def test_events_train_register_serve_new_photos_and_erasure(shop, celery_worker_process, merchandiser, admin_user_role,
                                                            tmp_path):  # fmt: skip
    # The photos got their features from the worker as they arrived.
    wait_until(lambda: ImageFeature.objects.count() == len(shop), 120, celery_worker_process)
    call_command("import_events", events_csv(shop, tmp_path))
    assert ShopperEvent.objects.count() == SHOPPERS * 10

    with transaction.atomic():
        job = recommender_training_enqueue(user=merchandiser)
    wait_until(lambda: TrainingJob.objects.get(pk=job.pk).status in ("succeeded", "failed"), 180, celery_worker_process)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    version = job.result
    assert version.family == Family.RECS and version.state == GenerativeModel.State.ACTIVE, version.metrics
    figures = version.metrics
    assert figures["events"] == SHOPPERS * 10 and figures["shoppers"] == SHOPPERS
    assert figures["recall_at_10"] > figures["baselines"]["popularity"]["recall_at_10"]
    assert {"recall_at_10", "ndcg_at_10", "coverage"} <= set(figures["baselines"]["co_occurrence"])
    assert job.points.count() > 0  # the live job page's chart

    api = staff(merchandiser)
    in_taste = []
    for shopper in range(0, SHOPPERS, 10):
        seen = set(ShopperEvent.objects.filter(shopper=f"s{shopper}").values_list("product__sku", flat=True))
        row = {c["sku"] for c in api.get(f"/api/v1/recommendations/for-you/?user=s{shopper}&k=3").json()["products"]}
        assert len(row) == 3 and not seen & row  # what they already chose is left out
        in_taste.append(len(row & {p.sku for p in shop[shopper % 3 :: 3]}) / 3)
    assert np.mean(in_taste) >= 0.6, in_taste  # a third would be chance

    # A new product's photo: similar items at once, from its features alone, with no retraining.
    new = product_create(
        sku="SH-NEW", title="New shirt", category=Category.objects.get(name="Shirt"), attributes={"tone": "dark"}
    )
    upload = api.post(f"/api/v1/products/{new.pk}/images/", {"file": io.BytesIO(photo_bytes("block", 45))})
    assert upload.status_code == 201, upload.content
    wait_until(lambda: ImageFeature.objects.filter(product=new).exists(), 60, celery_worker_process)
    similar = [c["sku"] for c in api.get(f"/api/v1/products/{new.pk}/similar/?k=3").json()["products"]]
    assert similar and all(sku.startswith("SH-") for sku in similar), similar
    # Right after the five photos identical to SH-0's (the other dark shirts), before any light one.
    look_alikes = [c["sku"] for c in api.get(f"/api/v1/products/{shop[0].pk}/similar/?k=6").json()["products"]]
    assert look_alikes[-1] == "SH-NEW", look_alikes
    assert GenerativeModel.objects.filter(family=Family.RECS).count() == 1

    # A CSV import (bulk writes): its products are in similar items once their photos' features arrive, and a
    # pin of one of them shows, with no other save of any product.
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "SH-IMP-1.png").write_bytes(photo_bytes("block", 40))
    (folder / "SH-IMP-2.png").write_bytes(photo_bytes("block", 200))
    (tmp_path / "import.csv").write_text(
        "sku,title,category,tone,image\n"
        "SH-IMP-1,Imported dark shirt,Shirt,dark,SH-IMP-1.png\n"
        "SH-IMP-2,Imported light shirt,Shirt,light,SH-IMP-2.png\n"
    )
    call_command("import_catalog", str(tmp_path / "import.csv"), "--images", str(folder))
    wait_until(
        lambda: ImageFeature.objects.filter(product__sku__startswith="SH-IMP").count() == 2, 60, celery_worker_process
    )
    similar = [c["sku"] for c in api.get(f"/api/v1/products/{shop[0].pk}/similar/?k=12").json()["products"]]
    assert "SH-IMP-1" in similar, similar

    # That request, under a new state, asked the features worker to compute every product's rows ahead: it does,
    # the import's products with them (an earlier ask may have computed theirs before their features came).
    def imported_row_looks_alike() -> bool:
        row = ProductRow.objects.filter(product__sku="SH-IMP-1", placement="similar").values_list("ranked", flat=True)
        return shop[0].pk in (row.first() or [])

    wait_until(imported_row_looks_alike, 60, celery_worker_process)
    assert ProductRow.objects.values("built_under").distinct().count() == 1
    imported = Product.objects.get(sku="SH-IMP-2")
    pinned = api.post(
        "/api/v1/recommendation-rules/",
        {"action": "pin", "product": imported.pk, "placement": "similar"},
        content_type="application/json",
    )
    assert pinned.status_code == 201, pinned.content
    assert api.get(f"/api/v1/products/{shop[0].pk}/similar/?k=3").json()["products"][0]["sku"] == "SH-IMP-2"

    # A right to be forgotten: the events go now, the model forgets the shopper at its next training.
    erased = staff(admin_user_role).post("/api/v1/events/erase/", {"user": "s0"}, content_type="application/json")
    assert erased.json() == {"erased": 10} and not ShopperEvent.objects.filter(shopper="s0").exists()
    call_command("train_recommender")
    newest = GenerativeModel.objects.filter(family=Family.RECS).order_by("-version").first()
    assert newest.version == 2 and newest.metrics["shoppers"] == SHOPPERS - 1
    with newest.checkpoint.open("rb") as handle:
        assert "s0" not in ForYouModel.load(handle).user_ids


@pytest.mark.browser
def test_a_merchandiser_pins_a_product_sees_it_first_in_the_preview_then_removes_it(
    shop, celery_worker_process, browser_page, live_server, merchandiser
):
    wait_until(lambda: ImageFeature.objects.count() == len(shop), 120, celery_worker_process)
    page = browser_page
    log_in(page, live_server.url, merchandiser.username, PASSWORD, "/recommendations/?sku=SH-0")
    first_after = "#preview-similar .after li[data-sku]:first-child"
    ranked_first = page.locator(first_after).get_attribute("data-sku")
    assert ranked_first.startswith("SH-")
    page.select_option("#rule-form select[name=action]", "pin")
    page.fill("#rule-form input[name=sku]", "BA-3")
    page.select_option("#rule-form select[name=placement]", "similar")
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("#rules tr[data-rule]")
    assert page.locator(first_after).get_attribute("data-sku") == "BA-3"
    before = page.locator("#preview-similar > .two-columns > div:first-child li[data-sku]:first-child")
    assert before.get_attribute("data-sku") == ranked_first  # the ranking itself is unchanged
    assert (
        page.locator("#preview-complete_the_look .after li[data-sku]:first-child").get_attribute("data-sku") != "BA-3"
    )
    page.click("#rules tr[data-rule] button[type=submit]")
    page.wait_for_selector("#rules tr[data-rule]", state="detached")
    assert page.locator(first_after).get_attribute("data-sku") == ranked_first
