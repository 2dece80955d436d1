"""The first run with the demo catalog: the first trainings are queued once, never with the switch off, and the
versions they register lead to a copy job and a sampling job, so the review queue fills without a click; in
Chromium, a reviewer then finds images and copy in the queue."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.services.demo import demo_catalog_load, demo_users_ensure
from generation.models import FirstRun, GeneratedItem, TrainingJob
from generation.services import first_run
from tests.browser import log_in
from tests.factories import make_product

TINY_BUDGETS = {"image": {"steps": 20}, "copy": {"steps": 20}}


@pytest.fixture
def demo_catalog(settings):
    settings.FIRST_RUN_BUDGETS = TINY_BUDGETS
    demo_catalog_load(source=settings.DEMO_FALLBACK_DIR, limit=60)
    demo_users_ensure()


@pytest.mark.django_db
def test_the_first_jobs_are_queued_once_and_not_with_the_switch_off(demo_catalog, settings, capsys,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    settings.STUDIO_FIRST_JOBS = False
    call_command("start_first_jobs")
    assert not FirstRun.objects.exists() and not TrainingJob.objects.exists()

    settings.STUDIO_FIRST_JOBS = True
    with django_capture_on_commit_callbacks(execute=False):
        call_command("start_first_jobs")
    out = capsys.readouterr().out
    assert "First run" in out and "minutes" in out
    run = FirstRun.objects.get()
    assert run.copy_training.family == "copy" and run.image_training is None  # one step after the other
    assert sorted(run.copy_training.categories.values_list("name", flat=True)) == sorted(first_run.FIRST_CATEGORIES)
    assert run.copy_training.started_by.username == "merchandiser" and run.estimated_seconds > 0

    with django_capture_on_commit_callbacks(execute=False):
        call_command("start_first_jobs")  # a second `make run`
    assert TrainingJob.objects.count() == 1 and capsys.readouterr().out == ""


@pytest.mark.django_db
def test_no_first_jobs_without_the_demo_catalog(settings):
    settings.STUDIO_FIRST_JOBS = True
    assert first_run.first_run_start() is None and not TrainingJob.objects.exists()


@pytest.mark.django_db
def test_each_registered_version_leads_to_its_job_and_the_queue_fills(demo_catalog, celery_eager, merch_client,
                                                                       django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        run = first_run.first_run_start()
    run.refresh_from_db()
    assert run.copy_training.status == run.image_training.status == "succeeded"
    assert run.copy.created_at < run.image_training.created_at  # the copy first: it is ready sooner
    assert run.copy.status == run.sampling.status == "succeeded", (run.copy.error, run.sampling.error)
    copy = GeneratedItem.objects.filter(kind="copy", review_state="pending")
    images = GeneratedItem.objects.filter(kind="image", review_state="pending")
    assert copy.count() >= 8 and images.count() == len(first_run.FIRST_CATEGORIES) * first_run.SAMPLES_PER_CATEGORY
    assert set(copy.values_list("copy_kind", flat=True)) == {"title"}
    # Every step done: the jobs page no longer says "Getting started".
    assert "Getting started" not in merch_client.get(reverse("generation:job_list")).content.decode()


@pytest.mark.django_db
def test_the_jobs_page_says_what_the_first_run_does_and_how_long_it_takes(demo_catalog, merch_client,
                                                                           django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        first_run.first_run_start()
    page = merch_client.get(reverse("generation:job_list")).content.decode()
    assert "Getting started" in page and "train a copywriter" in page and "minutes</strong> left" in page
    assert page.count("waiting for the step before") == 3


@pytest.mark.integration
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fresh_first_run_fills_the_review_queue_for_a_reviewer(
    demo_catalog, celery_worker_process, browser_page, live_server, settings
):
    assert first_run.first_run_start() is not None
    deadline = time.monotonic() + 240
    while not (GeneratedItem.objects.filter(kind="copy").exists() and GeneratedItem.objects.filter(kind="image")
               .count() >= len(first_run.FIRST_CATEGORIES) * first_run.SAMPLES_PER_CATEGORY):  # fmt: skip
        assert time.monotonic() < deadline, celery_worker_process.log.read_text()[-3000:]
        time.sleep(0.5)
    page = browser_page
    log_in(page, live_server.url, "reviewer", "studio-review", "/review/?kind=copy")
    page.wait_for_selector("#current-copy:not([hidden])")
    assert page.locator("#copy-text").inner_text() in set(GeneratedItem.objects.values_list("text", flat=True))
    page.goto(f"{live_server.url}/review/?kind=image")
    page.wait_for_selector("#current-image:not([hidden])")
    assert int(page.locator("#nav-review .badge").inner_text()) == GeneratedItem.objects.count()


@pytest.mark.django_db
def test_with_the_fashion_shop_the_first_run_takes_its_four_largest_categories(settings, capsys):
    settings.STUDIO_FIRST_JOBS, settings.FIRST_RUN_BUDGETS = True, TINY_BUDGETS
    for category, count in (("Tshirts", 5), ("Shirts", 4), ("Casual Shoes", 3), ("Watches", 2), ("Belts", 1)):
        for n in range(count):
            make_product(category=category, sku=f"FP-{category[:2]}{n}", title=f"{category} {n}")
    make_product(category="Dress", sku="OWN-1", title="A shop's own dress")  # not the demo's
    call_command("start_first_jobs")
    run = FirstRun.objects.get()
    assert sorted(run.copy_training.categories.values_list("name", flat=True)) == [
        "Casual Shoes", "Shirts", "Tshirts", "Watches",
    ]  # fmt: skip
    assert "Tshirts" in capsys.readouterr().out
