"""The built-in copywriter through a real worker: a Chinese premium description job for ten products returns
Chinese texts that pass grounding; in Chromium a merchandiser writes playful ad headlines for a category and a
reviewer approves one onto its product."""

import pytest
from django.db import transaction

from catalog.models import Category, Product
from generation.copy.grounding import CJK, LATIN_WORD
from generation.copy.limits import kind_limit
from generation.models import CopyJob, GeneratedItem
from generation.services.copy_grounding import product_copy_flags
from generation.services.copywriting import copy_train
from generation.services.jobs import copy_job_create
from tests.browser import log_in
from tests.factories import PASSWORD, make_product
from tests.generation.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TONES, SURFACES = ("dark", "light", "mid"), ("plain", "patterned")


@pytest.fixture
def coats_and_copywriter(celery_worker_process, merchandiser):
    """Ten demo-like coats and a copywriter trained on them, registered where the worker finds it."""
    for number in range(10):
        attributes = {"tone": TONES[number % 3], "surface": SURFACES[number % 2], "season": "cold weather",
                      "sleeves": "long", "source": "fashion-mnist", "source_index": 1000 + number}  # fmt: skip
        make_product(category="Coat", title=f"Coat {number}", description="A coat.", attributes=attributes)
    copywriter = copy_train(name="words", categories=list(Category.objects.all()), steps=30, user=merchandiser)
    return list(Product.objects.order_by("id")), copywriter


def test_a_chinese_premium_description_job_writes_grounded_chinese(
    coats_and_copywriter, celery_worker_process, merchandiser
):
    products, copywriter = coats_and_copywriter
    with transaction.atomic():
        job = copy_job_create(
            products=products, kind="description", style="premium", language="zh", variants=2, model=copywriter,
            user=merchandiser,
        )  # fmt: skip
    wait_until(lambda: CopyJob.objects.get(pk=job.pk).status == "succeeded", 120, celery_worker_process)
    items = list(GeneratedItem.objects.filter(copy_job=job).select_related("product__category"))
    assert {item.product for item in items} == set(products) and len(items) == 20
    for item in items:
        assert item.language == "zh" and CJK.search(item.text) and not LATIN_WORD.findall(item.text), item.text
        assert "!" not in item.text and "！" not in item.text and len(item.text) <= kind_limit("description", "zh")
        assert item.flags == [] and not product_copy_flags(
            product=item.product, kind="description", text=item.text, language="zh"
        )
    assert len({item.text for item in items}) == len(items)  # no two products share a line


@pytest.mark.browser
def test_playful_ad_headlines_from_a_category_page_one_approved(
    coats_and_copywriter, celery_worker_process, browser_page, live_server, merchandiser, reviewer
):
    products, copywriter = coats_and_copywriter
    page = browser_page
    category = products[0].category
    log_in(page, live_server.url, merchandiser.username, PASSWORD, f"/?category={category.pk}")
    page.click("#copy-request summary")
    page.check("input[name=kind][value=ad_headline]")
    page.check("input[name=style][value=playful]")
    assert page.is_checked("input[name=language][value=en]")  # the form starts in English
    page.fill("input[name=variants]", "2")
    page.select_option("select[name=writer]", str(copywriter.pk))
    page.click(".copy-form button[type=submit]")
    page.wait_for_selector("#variants tbody tr:nth-child(20)", timeout=90_000)
    texts = [t.strip() for t in page.locator("#variants tbody tr td:nth-child(2)").all_inner_texts()]
    assert len(texts) == 20 and all(len(t) <= kind_limit("ad_headline", "en") for t in texts), texts
    assert sum("!" in t for t in texts) >= 10  # playful reads playful

    page.click("form.logout button")
    log_in(page, live_server.url, reviewer.username, PASSWORD, "/review/?kind=copy")
    page.wait_for_selector("#current-copy:not([hidden])")
    shown = page.locator("#copy-text").inner_text()
    item = GeneratedItem.objects.get(kind="copy", text=shown)
    page.click("#approve-button")
    wait_until(lambda: Product.objects.get(pk=item.product_id).ad_texts, 10, celery_worker_process)
    assert Product.objects.get(pk=item.product_id).ad_texts == [
        {"kind": "ad_headline", "text": shown, "language": "en"}
    ]
