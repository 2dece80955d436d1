"""Copy of a real shop's products through the studio: the shop's own description (never the studio's earlier
copy) as facts, each language's description in its own copy, the product's Chinese kept apart from its English,
the admins' Copy fields, and the terms a language lacks named on the job and Copy health and added in one click."""

import pytest
from django.db import transaction
from django.urls import reverse

from catalog.models import GlossaryTerm, ProductCopyRevision
from catalog.selectors import product_shop_descriptions
from generation.models import CopyField, GeneratedItem
from generation.services import copywriting, jobs, review
from generation.services.copy_grounding import copy_banks, copy_said_in, copy_vocabulary
from tests.factories import make_product

pytestmark = pytest.mark.django_db

COAT = {
    "colour": "navy",
    "material": "wool blend",
    "neckline": "notch collar",
    "features": "flap pockets",
    "occasion": "work",
    "gender": "women",
    "price": "189.00",
    "care": "dry clean only",
}


def variants(product, *, kind="description_long", language="en", count=2):
    return [
        v.text
        for v in copywriting.product_variants(
            product=product,
            kind=kind,
            style="plain",
            language=language,
            count=count,
            seed=1,
            banks=copy_banks(),
            vocabulary=copy_vocabulary(),
            said_in=copy_said_in(),
        )
    ]


def copy_item(product, text, *, kind="description_long", language="en"):
    return GeneratedItem.objects.create(
        kind=GeneratedItem.Kind.COPY,
        product=product,
        category=product.category,
        seed=1,
        text=text,
        copy_kind=kind,
        language=language,
    )


def test_the_shops_descriptions_are_facts_in_their_own_language(settings):
    coat = make_product(
        category="Coat",
        title="Navy wool coat",
        attributes=COAT,
        description="A coat in a soft wool blend, cut to sit just above the knee.",
        description_zh="长度及膝，版型利落。",
    )
    english, chinese = variants(coat), variants(coat, language="zh")
    assert english and all("Cut to sit just above the knee." in text and "189" not in text for text in english)
    assert chinese and all("长度及膝" in text and "knee" not in text for text in chinese), chinese


def test_a_description_phrase_that_contradicts_the_product_is_no_fact():
    coat = make_product(
        category="Coat",
        title="Navy coat",
        attributes=COAT,
        description="A red coat with a storm flap, cut to sit just above the knee.",
    )
    for text in variants(coat, count=3):
        assert "red" not in text.lower() and "Cut to sit just above the knee." in text, text


def test_approved_copy_is_never_read_back_as_the_shops_description(reviewer):
    coat = make_product(category="Coat", title="Navy coat", attributes=COAT, description="Cut to sit above the knee.")
    item = copy_item(coat, "A navy coat. An easy everyday choice.")
    review.generated_item_approve(item=item, reviewer=reviewer)
    coat.refresh_from_db()
    assert coat.description == "A navy coat. An easy everyday choice."
    assert product_shop_descriptions(coat)["en"] == "Cut to sit above the knee."


def test_approved_chinese_copy_is_the_products_chinese_not_its_english(reviewer):
    coat = make_product(category="Coat", title="Navy coat", attributes=COAT, description="Shop words.")
    for kind, text in (("title", "藏青色羊毛大衣"), ("description_long", "藏青色羊毛混纺大衣，女士款。")):
        review.generated_item_approve(item=copy_item(coat, text, kind=kind, language="zh"), reviewer=reviewer)
    coat.refresh_from_db()
    assert (coat.title, coat.description) == ("Navy coat", "Shop words.")
    assert (coat.title_zh, coat.description_zh) == ("藏青色羊毛大衣", "藏青色羊毛混纺大衣，女士款。")
    fields = set(coat.copy_revisions.values_list("field", flat=True))
    assert fields == {ProductCopyRevision.Field.TITLE_ZH, ProductCopyRevision.Field.DESCRIPTION_ZH}


def test_copy_fields_say_where_a_field_is_said():
    coat = make_product(category="Coat", title="Navy coat", attributes=COAT)
    assert all("dry clean" not in text for text in variants(coat, kind="description"))  # care: long only
    assert any("dry clean" in text for text in variants(coat))
    CopyField.objects.create(field="colour", said_in=CopyField.SaidIn.NEVER)
    CopyField.objects.filter(field="price").update(said_in=CopyField.SaidIn.ANY)
    texts = variants(coat)
    assert texts and all("navy" not in text.lower() for text in texts), texts
    assert any("189.00" in text for text in texts), texts


def test_missing_terms_are_kept_on_the_job_listed_in_copy_health_and_added_in_one_click(
    settings, chat_server, merch_client
):
    settings.COPY_ENDPOINT_URL = chat_server.url
    products = [
        make_product(category="Coat", title=f"Coat {n}", attributes={"colour": "chartreuse", "material": "wool"})
        for n in range(2)
    ]
    with transaction.atomic():
        job = jobs.copy_job_create(products=products, kind="title", language="zh", variants=1)
    job = copywriting.copy_job_run(job_id=job.pk)
    assert job.missing_terms == [{"field": "colour", "value": "chartreuse", "products": 2}]
    assert "1 fact(s) without a zh term left out" in job.phase
    page = merch_client.get(reverse("generation:copy_job_detail", args=[job.pk])).content.decode()
    assert "chartreuse" in page and "Add term" in page

    health = merch_client.get(reverse("generation:copy_health")).content.decode()
    assert "chartreuse" in health
    response = merch_client.post(
        reverse("generation:glossary_term_add"),
        {
            "language": "zh",
            "field": "colour",
            "value": "Chartreuse",
            "text": "黄绿色",
            "next": "/copy/health/",
        },
    )
    assert response.status_code == 302 and response.url == "/copy/health/"
    assert GlossaryTerm.objects.get(field="colour", value="chartreuse").source == GlossaryTerm.Source.ADMIN
    assert "<td>chartreuse</td>" not in merch_client.get(reverse("generation:copy_health")).content.decode()
    assert any("黄绿色" in text for text in variants(products[0], kind="title", language="zh", count=3))
    refused = merch_client.post(
        reverse("generation:glossary_term_add"),
        {
            "language": "zh",
            "field": "colour",
            "value": "teal",
            "text": "",
            "next": "https://elsewhere.example/",
        },
    )
    assert refused.url == "/" and not GlossaryTerm.objects.filter(value="teal").exists()
