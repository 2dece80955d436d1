"""Sampling jobs: a person asks for N images per category; a worker makes them and streams them into the
review queue in growing chunks, so the first ones are there within a second of a warm worker starting."""

import functools

from catalog.models import Category
from generation.gan.sampling import sample
from generation.models import GeneratedItem, GenerativeModel, JobStatus, SamplingJob
from generation.services.items import generated_items_store
from generation.services.job_lifecycle import (
    JobCancelled,
    job_claim,
    job_fail,
    job_finish,
    job_heartbeat,
    job_stop_if_cancelled,
)
from generation.services.judging import generated_items_judge
from generation.services.models import load_generator
from generation.services.references import catalog_reference

# The first chunk is small so the first items reach the queue at once; later ones grow for throughput.
FIRST_CHUNK, LARGEST_CHUNK = 8, 256


@functools.lru_cache(maxsize=4)
def _generator(model_id: int):
    """A registered version never changes, so its network is loaded once per worker process."""
    return load_generator(GenerativeModel.objects.get(pk=model_id))


def sampling_job_run(*, job_id: int) -> SamplingJob | None:
    """Runs a queued job, or resumes a redelivered one: items already made are kept and not made again."""
    job = job_claim(SamplingJob, job_id)
    if job is None:
        return None
    try:
        _make_items(job)
    except JobCancelled:
        job_finish(job, JobStatus.CANCELLED, phase="cancelled; the items made so far stay in review")
    except Exception as exc:
        job_fail(job, exc)
        raise
    else:
        job_finish(job, JobStatus.SUCCEEDED, progress=1.0, phase="")
    job.refresh_from_db()
    return job


def _plan(job: SamplingJob) -> list[tuple[str, int]]:
    """(category, seed) of every item; seeds run on across categories, so each item has its own."""
    return [
        (name, job.seed + done * job.per_category + i)
        for done, name in enumerate(job.category_names)
        for i in range(job.per_category)
    ]


def _make_items(job: SamplingJob) -> None:
    model = job.model
    categories = {c.name: c for c in Category.objects.filter(name__in=model.category_names)}

    def phase(what: str, done: int, total: int) -> None:
        job_heartbeat(job, phase=f"{what} {done:,}/{total:,}" if total > 1 else what)

    ref = catalog_reference(
        categories=list(categories.values()),
        resolution=model.resolution,
        image_width=model.image_width,
        channels=model.channels,
        phase=phase,
    )
    generator = _generator(model.pk)
    plan = _plan(job)
    made = set(GeneratedItem.objects.filter(job=job).values_list("seed", flat=True))
    todo = [(name, seed) for name, seed in plan if seed not in made]
    done, chunk = len(plan) - len(todo), FIRST_CHUNK
    while todo:
        job_stop_if_cancelled(job)
        part, todo = todo[:chunk], todo[chunk:]
        images = sample(
            generator, [model.category_names.index(n) for n, _ in part], [s for _, s in part], job.truncation
        )
        items = [
            GeneratedItem(
                model=model,
                job=job,
                category=categories[name],
                seed=seed,
                truncation=job.truncation,
                generated_by=job.created_by,
            )  # fmt: skip
            for name, seed in part
        ]
        generated_items_judge(items=items, images=images, ref=ref)
        generated_items_store(items=items, images=images)
        done += len(part)
        job_heartbeat(job, progress=done / len(plan), phase=f"made {done:,} of {len(plan):,}")
        chunk = min(chunk * 2, LARGEST_CHUNK)
