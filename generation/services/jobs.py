"""Jobs as people ask for them: create a training, sampling or copy job; cancel or retry any job. A worker
runs them (job_runner.py, sampling.py, copywriting.py); this module stays free of PyTorch, as the web does."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Category, Product, ProductImage
from generation.copy.limits import KINDS
from generation.models import (
    CopyJob,
    CopyStyle,
    Engine,
    Family,
    GenerativeModel,
    Job,
    JobStatus,
    PhotoCheck,
    SamplingJob,
    TrainingJob,
)
from generation.services.job_lifecycle import job_enqueue
from retail_studio.celery import app as celery_app
from retail_studio.errors import StudioError

# One source for each limit: the forms, the API, these services and the templates read these.
# Training
MAX_BUDGET_MINUTES = 24 * 60
MAX_BUDGET_STEPS = 10_000_000
MAX_SEED = 2**31 - 1
# Sampling
MAX_PER_CATEGORY = 500
DIVERSITY_MIN, DIVERSITY_MAX = 0.05, 1.0
SAMPLING_MAX_SEED = 2**53  # seeds run on across a job's items and must stay exact in JSON
# Copy
# The built-in styles, as the copy endpoint is briefed; their phrases are the banks' (generation/copy/vocab/).
STYLES = {
    "plain": "plain and clear: say what it is and what it does for the shopper",
    "premium": "refined and calm, understated, never an exclamation mark",
    "playful": "lively and warm, short sentences; an exclamation is allowed",
}
LANGUAGES = {"en": "English", "zh": "中文"}
MAX_VARIANTS = 10
MAX_PRODUCTS_PER_JOB = 2000
COPY_MAX_SEED = 2**40  # each product's variants take seeds after the job's


@transaction.atomic
def training_job_create(
    *, name: str, categories: list[Category], minutes: float | None = None, steps: int | None = None,
    device: str = "auto", seed: int = 0, user=None, family: str = Family.IMAGE, engine: str = Engine.GAN,
) -> TrainingJob:  # fmt: skip
    if not categories:
        raise StudioError(gettext("Pick at least one category."))
    if (minutes is None) == (steps is None):
        raise StudioError(gettext("Give a budget in minutes or in steps."))
    if (minutes is not None and not 0 < minutes <= MAX_BUDGET_MINUTES) or (
        steps is not None and not 0 < steps <= MAX_BUDGET_STEPS
    ):
        raise StudioError(
            gettext(
                "The budget must be positive: at most %(max_budget_minutes)s minutes or %(max_budget_steps)s steps."
            )
            % {"max_budget_minutes": MAX_BUDGET_MINUTES, "max_budget_steps": f"{MAX_BUDGET_STEPS:,}"}
        )
    if not 0 <= seed <= MAX_SEED:
        raise StudioError(gettext("The seed must be between 0 and %(max_seed)s.") % {"max_seed": MAX_SEED})
    if engine not in Engine.values:
        raise StudioError(
            gettext("Unknown engine “%(engine)s”: one of %(choices)s.")
            % {"engine": engine, "choices": ", ".join(Engine.values)}
        )
    job = TrainingJob.objects.create(
        name=name,
        family=family,
        engine=engine if family == Family.IMAGE else Engine.GAN,
        budget_minutes=minutes,
        budget_steps=steps,
        device=device,
        seed=seed,
        started_by=user,
    )
    job.categories.set(categories)
    job_enqueue(job)
    return job


def job_cancel(*, job: Job) -> Job:
    """Cooperative: a running loop sees the flag within seconds and stops, keeping what it made (a training
    job its checkpoint, a sampling or copy job its items)."""
    with transaction.atomic():
        job = type(job).objects.select_for_update().get(pk=job.pk)
        if job.status == JobStatus.QUEUED:
            job.status, job.finished_at = JobStatus.CANCELLED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
        elif job.status == JobStatus.RUNNING:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
    return job


def job_retry(*, job: Job) -> Job:
    """Failed or cancelled jobs run again, resuming where they stopped (a checkpoint, the items made)."""
    with transaction.atomic():
        job = type(job).objects.select_for_update().get(pk=job.pk)
        if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            raise StudioError(gettext("A %(status)s job cannot be retried.") % {"status": job.get_status_display()})
        job.status, job.cancel_requested, job.attempts = JobStatus.QUEUED, False, 0
        job.error = job.traceback = ""
        job.finished_at = None
        job.save(update_fields=["status", "cancel_requested", "attempts", "error", "traceback", "finished_at"])
        job_enqueue(job)
    return job


@transaction.atomic
def sampling_job_create(
    *, model: GenerativeModel, category_names: list[str], per_category: int, seed: int = 0, truncation: float = 1.0,
    user=None,
) -> SamplingJob:  # fmt: skip
    unknown = sorted(set(category_names) - set(model.category_names))
    if not category_names or unknown:
        raise StudioError(
            gettext("%(model)s makes %(category_names)s; pick among those.")
            % {"model": model, "category_names": ", ".join(model.category_names)}
        )
    if not 1 <= per_category <= MAX_PER_CATEGORY:
        raise StudioError(
            gettext("Ask for 1 to %(max_per_category)s images per category.") % {"max_per_category": MAX_PER_CATEGORY}
        )
    if not DIVERSITY_MIN <= truncation <= DIVERSITY_MAX:
        raise StudioError(
            gettext("Diversity must be between %(diversity_min)s and %(diversity_max)s.")
            % {"diversity_min": DIVERSITY_MIN, "diversity_max": DIVERSITY_MAX}
        )
    if not 0 <= seed <= SAMPLING_MAX_SEED - per_category * len(category_names):
        raise StudioError(
            gettext("The seed must be between 0 and %(sampling_max_seed)s.")
            % {"sampling_max_seed": f"{SAMPLING_MAX_SEED:,}"}
        )
    job = SamplingJob.objects.create(
        model=model, category_names=category_names, per_category=per_category, seed=seed, truncation=truncation,
        created_by=user,
    )  # fmt: skip
    job_enqueue(job)
    return job


def variations_job_check(
    *, model: GenerativeModel, products: list[Product], count: int, diversity: float, seed: int
) -> None:
    """Raises StudioError, saying why, unless `model` can make `count` images from these products' photos."""
    if model.engine != Engine.VAE:
        raise StudioError(
            gettext("%(model)s is a %(engine)s: variations and blends need a VAE version.")
            % {"model": model, "engine": model.get_engine_display()}
        )
    if len(products) not in (1, 2) or len({p.pk for p in products}) != len(products):
        raise StudioError(gettext("Variations are of one product; a blend is between two."))
    if len({p.category_id for p in products}) > 1:
        raise StudioError(gettext("A blend is between two products of one category."))
    category = products[0].category.name
    if category not in model.category_names:
        raise StudioError(
            gettext("%(model)s makes %(category_names)s, not %(category)s.")
            % {"model": model, "category_names": ", ".join(model.category_names), "category": category}
        )
    if missing := [p.sku for p in products if not p.images.filter(source=ProductImage.Source.PHOTO).exists()]:
        raise StudioError(gettext("%(missing)s has no photo to start from.") % {"missing": ", ".join(missing)})
    if not 1 <= count <= MAX_PER_CATEGORY:
        raise StudioError(gettext("Ask for 1 to %(max_per_category)s images.") % {"max_per_category": MAX_PER_CATEGORY})
    if not 0.0 <= diversity <= DIVERSITY_MAX:
        raise StudioError(
            gettext("Diversity must be between 0 and %(diversity_max)s.") % {"diversity_max": DIVERSITY_MAX}
        )
    if not 0 <= seed <= SAMPLING_MAX_SEED - count:
        raise StudioError(
            gettext("The seed must be between 0 and %(sampling_max_seed)s.")
            % {"sampling_max_seed": f"{SAMPLING_MAX_SEED:,}"}
        )


@transaction.atomic
def variations_job_create(
    *, model: GenerativeModel, products: list[Product], count: int, diversity: float = 0.5, seed: int = 0, user=None
) -> SamplingJob:
    """A VAE version's images near one product's photo (variations: `diversity` 0 is the photo itself, 1 as
    varied as the category) or between two products' photos of one category (a blend), into the review queue."""
    variations_job_check(model=model, products=products, count=count, diversity=diversity, seed=seed)
    job = SamplingJob.objects.create(
        model=model,
        category_names=[products[0].category.name],
        per_category=count,
        seed=seed,
        truncation=diversity,
        created_by=user,
    )
    job.sources.set(products)
    job_enqueue(job)
    return job


PHOTO_CHECK_TASK = "generation.tasks.photo_check_task"


@transaction.atomic
def photo_check_request(*, model: GenerativeModel, user=None) -> PhotoCheck:
    """A check of the catalog's photos under a VAE version, run by a worker (sent by name: the web never imports
    the worker's PyTorch)."""
    if model.engine != Engine.VAE:
        raise StudioError(
            gettext("%(model)s is a %(engine)s: the photo check needs a VAE version.")
            % {"model": model, "engine": model.get_engine_display()}
        )
    check = PhotoCheck.objects.create(model=model, requested_by=user)
    transaction.on_commit(lambda: celery_app.signature(PHOTO_CHECK_TASK, args=[check.pk]).apply_async(), robust=True)
    return check


def copy_styles() -> dict[str, str]:
    """Style name -> how it writes: the built-in presets and those admins saved."""
    return STYLES | dict(CopyStyle.objects.values_list("name", "instructions"))


@transaction.atomic
def copy_job_create(
    *, products: list[Product], kind: str, style: str = "plain", language: str = "en", keywords: list[str] = (),
    banned: list[str] = (), variants: int = 3, seed: int = 0, model: GenerativeModel | None = None, user=None,
) -> CopyJob:  # fmt: skip
    """Queues the writing. Without a model the configured endpoint writes; with neither it is refused."""
    if kind not in KINDS:
        raise StudioError(gettext("Pick a kind of copy: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    styles = copy_styles()
    if style not in styles:
        raise StudioError(gettext("Pick a style: %(styles)s.") % {"styles": ", ".join(styles)})
    if language not in LANGUAGES:
        raise StudioError(gettext("Pick a language: %(languages)s.") % {"languages": ", ".join(LANGUAGES)})
    if not 1 <= variants <= MAX_VARIANTS:
        raise StudioError(gettext("Ask for 1 to %(max_variants)s variants.") % {"max_variants": MAX_VARIANTS})
    if not 1 <= len(products) <= MAX_PRODUCTS_PER_JOB:
        raise StudioError(
            gettext("Write for 1 to %(max_products_per_job)s products at a time.")
            % {"max_products_per_job": f"{MAX_PRODUCTS_PER_JOB:,}"}
        )
    if not 0 <= seed <= COPY_MAX_SEED:
        raise StudioError(
            gettext("The seed must be between 0 and %(copy_max_seed)s.") % {"copy_max_seed": f"{COPY_MAX_SEED:,}"}
        )
    if model is not None and model.family != Family.COPY:
        raise StudioError(gettext("%(model)s writes no copy.") % {"model": model})
    if model is None and not settings.COPY_ENDPOINT_URL:
        raise StudioError(gettext("No copywriter yet: train one under Jobs, or configure COPY_ENDPOINT_URL."))
    job = CopyJob.objects.create(
        model=model, kind=kind, style=style, language=language, keywords=[k for k in keywords if k.strip()],
        banned=[b for b in banned if b.strip()], variants=variants, seed=seed, created_by=user,
    )  # fmt: skip
    job.products.set(products)
    job_enqueue(job)
    return job


# How long measuring a new version takes after its training budget, until this machine has measured one: the
# image engine's first measurement of a category set also trains the metrics classifier.
DEFAULT_MEASURING_SECONDS = {Family.IMAGE: 150.0, Family.COPY: 20.0, Family.RECS: 10.0}
MEASURING_HISTORY = 5


def measuring_seconds(*, family: str) -> float:
    """What the last few finished jobs of the family took beyond their budget in minutes (the median), so an
    ETA says the whole time from the click to the registered version."""
    finished = TrainingJob.objects.filter(
        family=family, status=JobStatus.SUCCEEDED, budget_minutes__isnull=False, started_at__isnull=False
    ).order_by("-finished_at")[:MEASURING_HISTORY]
    beyond = sorted(
        max(0.0, (job.finished_at - job.started_at).total_seconds() - job.budget_minutes * 60) for job in finished
    )
    return beyond[len(beyond) // 2] if beyond else DEFAULT_MEASURING_SECONDS[family]
