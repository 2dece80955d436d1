"""The studio's first run with the demo catalog: without a click, a short copywriter training and a copy job from
the version it registers, then a short image training and a sampling job from its version, so a newcomer finds
copy (in a few minutes) and images (in about ten) to review. One step after the other, so that one worker does
each as soon as it can. Queued once (a FirstRun row says it was), never with STUDIO_FIRST_JOBS off."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category, Product
from catalog.services.demo_fashion import SKU_PREFIX as FASHION_SKU_PREFIX
from generation.models import CopyJob, Family, FirstRun, Job, JobStatus, TrainingJob
from generation.services.jobs import copy_job_create, measuring_seconds, sampling_job_create, training_job_create

FIRST_CATEGORIES = ("Sneaker", "Bag", "Trouser", "Dress")  # Fashion-MNIST's; the fashion shop's largest four
FIRST_CATEGORY_COUNT = 4
SAMPLES_PER_CATEGORY = 8
COPY_PRODUCTS_PER_CATEGORY, COPY_VARIANTS = 4, 2
WRITING_SECONDS = 30  # a sampling job and a copy job of this size, on a warm worker


def _budget_seconds(budget: dict) -> float:
    return budget.get("minutes", 0) * 60


def first_run_categories() -> list[Category]:
    """Fashion-MNIST's four first categories, or the fashion shop's four largest; none without a demo catalog."""
    grey = Category.objects.filter(name__in=FIRST_CATEGORIES, products__sku__startswith="FM-").distinct()
    if grey:
        return list(grey)
    shop = Category.objects.filter(products__sku__startswith=FASHION_SKU_PREFIX).annotate(shown=Count("products"))
    return list(shop.order_by("-shown", "name")[:FIRST_CATEGORY_COUNT])


def first_run_start() -> FirstRun | None:
    """Queues the first jobs when this is the first run with the demo catalog; None when it is not (or the
    switch is off). Started in the demo merchandiser's name when there is one."""
    if not settings.STUDIO_FIRST_JOBS:
        return None
    categories = first_run_categories()
    if not categories:
        return None
    user = get_user_model().objects.filter(username="merchandiser").first()
    budgets = settings.FIRST_RUN_BUDGETS
    with transaction.atomic():
        run, created = FirstRun.objects.select_for_update().get_or_create(pk=1)
        if not created:
            return None
        run.copy_training = training_job_create(
            name="first-copywriter", family=Family.COPY, categories=categories, user=user, **budgets["copy"]
        )
        run.estimated_seconds = round(
            _budget_seconds(budgets["copy"]) + measuring_seconds(family=Family.COPY)
            + _budget_seconds(budgets["image"]) + measuring_seconds(family=Family.IMAGE) + 2 * WRITING_SECONDS
        )  # fmt: skip
        run.save()
    return run


def first_run_follow_up(*, job: TrainingJob) -> None:
    """After a first-run training registered its version: the copy job or the sampling job that uses it."""
    if job.result_id is None:
        return
    with transaction.atomic():
        run = FirstRun.objects.select_for_update().filter(Q(copy_training=job) | Q(image_training=job)).first()
        if run is None:
            return
        model = job.result
        if run.image_training_id == job.pk and run.sampling_id is None:
            run.sampling = sampling_job_create(
                model=model, category_names=model.category_names, per_category=SAMPLES_PER_CATEGORY,
                user=job.started_by,
            )  # fmt: skip
        if run.copy_training_id == job.pk and run.copy_id is None:
            products = []
            for category in job.categories.all():
                products += Product.objects.filter(category=category, status=Product.Status.ACTIVE).order_by("id")[
                    :COPY_PRODUCTS_PER_CATEGORY
                ]
            run.copy = copy_job_create(
                products=products, kind="title", style="playful", language="en", variants=COPY_VARIANTS, model=model,
                user=job.started_by,
            )  # fmt: skip
        run.save(update_fields=["sampling", "copy"])


def first_run_copy_done(*, job: CopyJob) -> None:
    """After the first run's copy job ended (written or not): the image training, the next step."""
    with transaction.atomic():
        run = FirstRun.objects.select_for_update().filter(copy=job, image_training__isnull=True).first()
        if run is None:
            return
        run.image_training = training_job_create(
            name="first-images", family=Family.IMAGE, categories=list(run.copy_training.categories.all()),
            user=run.copy_training.started_by, **settings.FIRST_RUN_BUDGETS["image"],
        )  # fmt: skip
        run.save(update_fields=["image_training"])


@dataclass
class FirstRunStep:
    what: str
    job: Job | None
    url_name: str

    @property
    def status(self) -> str:
        return self.job.status if self.job else "waiting"

    @property
    def status_label(self) -> str:
        return self.job.get_status_display() if self.job else _("waiting")


def first_run_progress() -> dict | None:
    """What the first run is doing, for the jobs page: its steps and the time left, until all have ended."""
    run = FirstRun.objects.select_related("copy_training", "image_training", "sampling", "copy").first()
    if run is None:
        return None
    steps = [
        FirstRunStep(_("train a copywriter on the demo catalog's copy"), run.copy_training, "generation:job_detail"),
        FirstRunStep(_("write playful titles for review"), run.copy, "generation:copy_job_detail"),
        FirstRunStep(_("train an image model on %(categories)s") % {"categories": ", ".join(c.name for c in run.copy_training.categories.all())},
                     run.image_training, "generation:job_detail"),
        FirstRunStep(_("generate images for review"), run.sampling, "generation:sampling_detail"),
    ]  # fmt: skip
    if all(step.job is not None and not step.job.is_active for step in steps):
        return None
    elapsed = (timezone.now() - run.created_at).total_seconds()
    failed = [step for step in steps if step.status in (JobStatus.FAILED, JobStatus.CANCELLED)]
    return {"steps": steps, "minutes_left": math.ceil(max(0, run.estimated_seconds - elapsed) / 60), "failed": failed}
