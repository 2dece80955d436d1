"""Copy through the studio: training the built-in copywriter as a job, writing variants with it or with an
endpoint, grounding, duplicates, and approving (edited) copy onto the product, with history and undo."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from catalog.models import Category, ProductCopyRevision
from catalog.services.product_copy import product_copy_revert
from generation.models import CopyJob, GeneratedItem, JobStatus, RejectionReason
from generation.services import copywriting, jobs, registry, review
from generation.services.understanding import UNDERSTANDING_NAME
from retail_studio.errors import StudioError
from tests.factories import make_product
from tests.generation.conftest import CHAT_TEXTS

pytestmark = pytest.mark.django_db


SNEAKER_TITLES = ("Dark plain sneaker", "Everyday sneaker, dark", "Plain dark trainer", "Low sneaker in deep tone",
                  "Dark court sneaker", "Minimal dark runner")  # fmt: skip
BAG_TITLES = ("Light patterned bag", "Patterned tote, light", "Light bag with a print", "Carry-all in light print",
              "Light patterned shopper", "Printed light handbag")  # fmt: skip


@pytest.fixture
def copy_catalog():
    """Each product titled in its own words, so a variant can differ from the product's current title."""
    for sneaker, bag in zip(SNEAKER_TITLES, BAG_TITLES, strict=True):
        make_product(category="Sneaker", title=sneaker, description="A dark sneaker.",
                     attributes={"tone": "dark", "surface": "plain"})  # fmt: skip
        make_product(category="Bag", title=bag, description="A light bag.",
                     attributes={"tone": "light", "surface": "patterned"})  # fmt: skip
    return list(Category.objects.all())


@pytest.fixture
def copywriter(copy_catalog, celery_eager, django_capture_on_commit_callbacks, merchandiser):
    """The built-in copywriter, trained through a job the way a person starts one."""
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.training_job_create(
            name="words", categories=copy_catalog, steps=120, family="copy", user=merchandiser
        )
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return job.result


def write(products, **options):
    with transaction.atomic():
        job = jobs.copy_job_create(products=products, **options)
    return copywriting.copy_job_run(job_id=job.pk) or job


def test_a_copy_training_job_registers_a_measured_copywriter(copywriter):
    assert copywriter.family == "copy" and copywriter.state == "active" and copywriter.steps == 120
    assert 0 <= copywriter.metrics["grounding_pass_rate"] <= 1 and copywriter.metrics["loss"] > 0
    job = copywriter.jobs.get()
    assert job.points.count() >= 1 and "loss" in job.points.last().data
    assert "registered words v1" in job.log


def test_variants_are_written_checked_and_queued_for_review(copywriter, merchandiser):
    products = list(Category.objects.get(name="Sneaker").products.all()[:2])
    job = write(products, kind="title", variants=3, model=copywriter, user=merchandiser, seed=1)
    assert job.status == JobStatus.SUCCEEDED and "queued for review" in job.phase, job.phase
    items = list(GeneratedItem.objects.filter(copy_job=job))
    assert items and {i.kind for i in items} == {"copy"} and {i.product for i in items} <= set(products)
    for item in items:
        assert item.copy_kind == "title" and item.generated_by == merchandiser and item.review_state == "pending"
        assert isinstance(item.flags, list)
    again = write(products, kind="title", variants=3, model=copywriter, seed=1)
    assert again.items.count() <= job.items.count()  # the same seed writes the same texts: duplicates are dropped


def test_the_endpoint_writes_when_no_model_is_named_and_its_failure_fails_the_job(copy_catalog, settings, chat_server):
    product = make_product(category="Sneaker", title="Black sneaker", attributes={"colour": "black"})
    settings.COPY_ENDPOINT_URL = chat_server.url
    job = write([product], kind="ad_headline", variants=2, keywords=["sneaker"])
    texts = sorted(job.items.values_list("text", flat=True))
    assert texts == sorted(CHAT_TEXTS[:2])
    chat_server.mode = "error"
    settings.COPY_ENDPOINT_TIMEOUT = 1
    with pytest.raises(Exception, match="answered HTTP 500"):
        write([product], kind="title", variants=1)
    failed = product.copy_jobs.order_by("-id").first()
    assert failed.status == "failed" and "answered HTTP 500" in failed.error


def test_flagged_variants_carry_their_flags_or_are_refused_by_the_setting(copy_catalog, settings, chat_server):
    product = make_product(category="Sneaker", title="White sneaker", attributes={"colour": "white"})
    settings.COPY_ENDPOINT_URL = chat_server.url  # it writes "Black sneaker …": a contradiction
    flagged = write([product], kind="title", variants=1)
    assert flagged.items.get().flags == [{"rule": "colour", "words": ["Black"]}]
    settings.COPY_REJECT_FLAGGED = True
    refused = write([product], kind="ad_headline", variants=1)
    assert refused.items.count() == 0 and "1 refused by grounding" in refused.phase


def test_requests_are_checked(copy_catalog):
    product = make_product(category="Bag", title="Bag")
    with pytest.raises(StudioError, match="No copywriter yet"):
        jobs.copy_job_create(products=[product], kind="title")
    with pytest.raises(StudioError, match="kind of copy"):
        jobs.copy_job_create(products=[product], kind="sonnet")
    with pytest.raises(StudioError, match="1 to 10 variants"):
        jobs.copy_job_create(products=[product], kind="title", variants=11)


def test_a_copy_job_that_cannot_be_queued_leaves_no_row(settings, monkeypatch):
    settings.COPY_ENDPOINT_URL = "http://127.0.0.1:9/v1"
    product = make_product(category="Bag", title="Bag")

    def broker_down(job):
        raise ConnectionError("no broker")

    monkeypatch.setattr(jobs, "job_enqueue", broker_down)
    with pytest.raises(ConnectionError):
        jobs.copy_job_create(products=[product], kind="title")
    assert not CopyJob.objects.exists()


def test_near_duplicates_are_dropped():
    kept = copywriting.distinct_texts(
        ["Dark sneaker", "dark  sneaker!", "Dark sneakers", "A bright new bag", ""], already=["A BRIGHT NEW BAG."]
    )
    assert kept == ["Dark sneaker"]


def test_approving_edited_copy_writes_it_to_the_product_keeps_history_and_undoes(
    copy_catalog, settings, chat_server, reviewer, merchandiser
):
    product = make_product(category="Sneaker", title="Old title", attributes={"colour": "white"})
    settings.COPY_ENDPOINT_URL = chat_server.url
    item = write([product], kind="title", variants=1, user=merchandiser).items.get()
    with pytest.raises(StudioError, match="colour: Black"):
        review.generated_item_approve(item=item, reviewer=reviewer)  # flagged text is never published as is
    with pytest.raises(StudioError, match="colour: red"):
        review.generated_item_approve(item=item, reviewer=reviewer, text="A red sneaker")
    decision = review.generated_item_approve(item=item, reviewer=reviewer, text="Crisp white sneaker")
    product.refresh_from_db()
    assert product.title == "Crisp white sneaker" and decision.edited_from == CHAT_TEXTS[0]
    revision = ProductCopyRevision.objects.get(product=product)
    assert (revision.field, revision.previous, revision.new) == ("title", "Old title", "Crisp white sneaker")

    review.review_decision_undo(item=item, reviewer=reviewer)
    product.refresh_from_db()
    item.refresh_from_db()
    assert product.title == "Old title" and item.text == CHAT_TEXTS[0] and item.review_state == "pending"


def test_ad_texts_join_the_list_and_a_revision_can_be_reverted(copy_catalog, settings, chat_server, reviewer):
    product = make_product(category="Sneaker", title="Black sneaker", attributes={"colour": "black"})
    settings.COPY_ENDPOINT_URL = chat_server.url
    item = write([product], kind="ad_headline", variants=1).items.get()
    review.generated_item_approve(item=item, reviewer=reviewer)
    product.refresh_from_db()
    assert product.ad_texts == [{"kind": "ad_headline", "text": item.text, "language": "en"}]
    product_copy_revert(revision=ProductCopyRevision.objects.get(product=product), user=reviewer)
    product.refresh_from_db()
    assert product.ad_texts == []
    with pytest.raises(StudioError, match="changed since"):
        product_copy_revert(revision=ProductCopyRevision.objects.filter(reverts__isnull=True).get(product=product))


def test_copy_is_asked_for_from_a_product_a_selection_or_a_category(
    copy_catalog, settings, chat_server, merch_client, reviewer, django_capture_on_commit_callbacks
):
    settings.COPY_ENDPOINT_URL = chat_server.url
    sneakers = list(Category.objects.get(name="Sneaker").products.order_by("id"))
    form = {"kind": "title", "style": "plain", "language": "en", "variants": 2, "writer": "endpoint"}
    url = reverse("generation:copy_request")
    as_reviewer = Client()
    as_reviewer.force_login(reviewer)
    assert as_reviewer.post(url, form | {"product": sneakers[0].pk}).status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        one = merch_client.post(url, form | {"product": sneakers[0].pk})
        ticked = merch_client.post(url, form | {"products": [sneakers[1].pk, sneakers[2].pk]})
        category = merch_client.post(url, form | {"category": sneakers[0].category_id})
    jobs_made = [CopyJob.objects.get(pk=r["Location"].rstrip("/").split("/")[-1]) for r in (one, ticked, category)]
    assert [set(j.products.all()) for j in jobs_made] == [{sneakers[0]}, set(sneakers[1:3]), set(sneakers)]
    nothing = merch_client.post(url, form)
    assert nothing.status_code == 400 and "Say which products" in nothing.content.decode()
    page = merch_client.get(reverse("catalog:product_list"), {"category": sneakers[0].category_id}).content.decode()
    assert f'name="products" value="{sneakers[0].pk}" form="copy-form"' in page
    assert '<option value="endpoint">' in page


def test_the_copywriter_is_retrained_when_reviewers_approve_new_copy(
    copywriter, settings, chat_server, reviewer, django_capture_on_commit_callbacks
):
    assert registry.models_due_for_retraining() == []
    settings.COPY_ENDPOINT_URL = chat_server.url
    product = make_product(category="Sneaker", title="Sneaker", attributes={"colour": "black"})
    item = write([product], kind="title", variants=1).items.get()
    review.generated_item_approve(item=item, reviewer=reviewer)
    assert registry.models_due_for_retraining() == [copywriter]
    with django_capture_on_commit_callbacks(execute=False):
        understanding, job = registry.retraining_enqueue_due()
    assert job.family == "copy" and job.name == copywriter.name
    # The assistant's first understanding is trained on the copywriter's schedule.
    assert understanding.family == "intent" and understanding.name == UNDERSTANDING_NAME
    # The approved text joins what the copywriter learns from.
    assert (product_controls_title(product), item.text) in copywriting.copy_corpus([product.category])


def product_controls_title(product):
    return copywriting.product_controls(product, kind="title", style="plain", language="en")


def test_copy_is_never_approved_in_bulk_but_may_be_rejected_in_bulk(
    copy_catalog, settings, chat_server, reviewer_client
):
    settings.COPY_ENDPOINT_URL = chat_server.url
    product = make_product(category="Sneaker", title="Sneaker", attributes={"colour": "black"})
    ids = ",".join(str(pk) for pk in write([product], kind="title", variants=2).items.values_list("id", flat=True))
    approved = reviewer_client.post(reverse("generation:review_bulk"), {"action": "approve", "ids": ids}).json()
    assert approved == {"decided": 0, "skipped_own": 0, "skipped_copy": 2, "pending": 2}
    reason = RejectionReason.objects.first()
    rejected = reviewer_client.post(
        reverse("generation:review_bulk"), {"action": "reject", "ids": ids, "reason": reason.pk}
    )
    assert rejected.json()["decided"] == 2
    product.refresh_from_db()
    assert product.title == "Sneaker"


def test_the_copywriters_ranking_is_measured_against_reviewers_and_leaves_when_it_does_no_better(
    copywriter, merchandiser, reviewer
):
    from generation.copy.limits import kind_limit
    from generation.copy.writer import banks_order, normalised
    from generation.services import copy_ranking
    from generation.services.copy_grounding import copy_banks, copy_said_in, copy_vocabulary
    from generation.services.copy_plans import product_plans

    product = Category.objects.get(name="Sneaker").products.first()
    job = write([product], kind="title", variants=4, model=copywriter, user=merchandiser, seed=5)
    items = list(job.items.all())
    assert len(items) == 4
    plans = product_plans(
        product, kind="title", said_in=copy_said_in(), vocabulary=copy_vocabulary(), banks=copy_banks()
    )
    order = banks_order(
        plans=plans,
        bank=copy_banks()["en"],
        kind="title",
        style="plain",
        limit=kind_limit("title", "en"),
        seed=min(item.seed for item in items),
    )
    items.sort(key=lambda item: order[normalised(item.text)])
    # Given a reviewer who approves what the banks put last and rejects what they put first
    reason = RejectionReason.objects.first()
    for item in items[:2]:
        review.generated_item_reject(item=item, reviewer=reviewer, reason=reason)
    for item in items[2:]:
        review.generated_item_approve(item=item, reviewer=reviewer)
    figures = copy_ranking.copy_ranker_agreement(*copywriting.copywriter_load(copywriter), category_names=["Sneaker"])
    assert figures["pairs"] == 4 and figures["banks"] == 0.0 and 0.0 <= figures["ranker"] <= 1.0
    assert copy_ranking.copywriter_ranks(copywriter)  # four pairs are no verdict
    out = io.StringIO()
    call_command("copy_ranker_check", copywriter.name, stdout=out)
    assert "4 pairs" in out.getvalue() and "the banks' order in 0.0%" in out.getvalue(), out.getvalue()

    # With a verdict that its ranking does no better than the banks' order, it writes in the banks' order
    copywriter.metrics |= {"approval_pairs": 40, "approval_ranker": 0.45, "approval_banks": 0.5}
    copywriter.save(update_fields=["metrics"])
    assert not copy_ranking.copywriter_ranks(copywriter)
    again = write([product], kind="title", variants=2, model=copywriter, seed=9)
    assert "in the banks' order: reviewers agreed with" in again.phase and again.items.count() == 2
