from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from PIL import Image

from catalog.imaging import encode_png, store_image_file
from catalog.models import Category, ProductImage
from catalog.services.products import product_image_build
from generation.models import FeatureExtractor, GenerativeModel, ModelAuditEvent, TrainingJob
from generation.services import job_lifecycle, jobs, models, registry
from generation.services.references import catalog_reference
from tests.factories import make_product
from tests.generation.test_gan_commands import small_catalog

pytestmark = pytest.mark.django_db


def test_retraining_is_due_only_after_new_photos(trained, django_capture_on_commit_callbacks):
    assert registry.models_due_for_retraining() == []
    with django_capture_on_commit_callbacks(execute=False):
        assert registry.retraining_enqueue_due() == []
    make_product(category="Bag", title="New bag", image=Image.new("L", (28, 28), 99))
    assert registry.models_due_for_retraining() == [trained]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = registry.retraining_enqueue_due()
        assert registry.retraining_enqueue_due() == []  # one job per name at a time
    assert len(created) == 1 and len(callbacks) == 1
    job = created[0]
    assert job.started_by is None and set(job.categories.all()) == set(trained.categories.all())
    assert job.engine == "gan"


def test_a_vae_is_retrained_as_a_vae(trained, django_capture_on_commit_callbacks):
    GenerativeModel.objects.filter(pk=trained.pk).update(engine="vae")
    make_product(category="Bag", title="New bag", image=Image.new("L", (28, 28), 99))
    with django_capture_on_commit_callbacks(execute=False):
        [job] = registry.retraining_enqueue_due()
    assert (job.family, job.engine) == ("image", "vae")


def another_version(trained: GenerativeModel, version: int, **metrics) -> GenerativeModel:
    """A version of "demo" with the trained weights and the metrics given (the same reference unless given)."""
    model = GenerativeModel.objects.create(
        name="demo", version=version, resolution=28, channels=1, category_names=trained.category_names,
        metrics={"reference": trained.metrics["reference"]} | metrics, checkpoint=trained.checkpoint.name,
    )  # fmt: skip
    model.categories.set(trained.categories.all())
    return model


def test_automatic_promotion_needs_the_setting_and_a_better_fd(trained, settings):
    candidate = another_version(trained, 2, fd=trained.metrics["fd"] - 1)
    settings.GENERATION_AUTO_PROMOTE = False
    assert not models.candidate_promote_if_better(model=candidate)
    settings.GENERATION_AUTO_PROMOTE = True
    worse = another_version(trained, 3, fd=trained.metrics["fd"] + 1)
    assert not models.candidate_promote_if_better(model=worse)
    assert models.candidate_promote_if_better(model=candidate)
    states = dict(GenerativeModel.objects.values_list("version", "state"))
    assert states == {1: "retired", 2: "active", 3: "candidate"}
    events = list(
        ModelAuditEvent.objects.order_by("id").values_list("model__version", "kind", "from_state", "acting_user")
    )
    assert events == [(1, "retired", "active", None), (2, "auto_promoted", "candidate", None)]


def test_a_version_measured_under_another_reference_is_never_promoted_by_that_figure(trained, settings):
    """Given a candidate whose FD, measured with another feature extractor, looks far better than the active
    version's, when auto-promotion compares them, then the candidate is measured again under the current
    reference first; with the same weights it is no better, so it stays a candidate."""
    settings.GENERATION_AUTO_PROMOTE = True
    assert trained.metrics["reference"] and trained.metrics["feature_extractor"]
    candidate = another_version(trained, 2, fd=0.001, reference="999:elsewhere")
    assert not models.candidate_promote_if_better(model=candidate)
    candidate.refresh_from_db()
    assert candidate.metrics["reference"] == trained.metrics["reference"]
    assert candidate.metrics["fd"] == pytest.approx(trained.metrics["fd"])  # same weights, same reference
    assert candidate.state == "candidate" and GenerativeModel.objects.get(version=1).state == "active"


def test_the_feature_extractor_is_frozen_when_photos_arrive(trained, settings):
    """New photos change the held-out set, not the extractor: figures stay comparable by extractor."""
    before = FeatureExtractor.objects.get()
    make_product(category="Bag", title="New bag", split="test", image=Image.new("L", (28, 28), 99))
    ref = catalog_reference(
        categories=list(trained.categories.order_by("name")), resolution=28, image_width=28, channels=1
    )
    assert ref.extractor == before and FeatureExtractor.objects.count() == 1
    assert ref.id != trained.metrics["reference"]  # the held-out set changed: a figure to measure again


def test_reaper_requeues_jobs_whose_worker_went_quiet(django_capture_on_commit_callbacks, settings):
    small_catalog(per_category=2)
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.training_job_create(name="demo", categories=list(Category.objects.all()), steps=1)
    quiet = timezone.now() - timedelta(seconds=settings.GENERATION_JOB_STALE_SECONDS + 5)
    TrainingJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=quiet)
    fresh = jobs.training_job_create(name="other", categories=list(Category.objects.all()), steps=1)
    TrainingJob.objects.filter(pk=fresh.pk).update(status="running", heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert job_lifecycle.jobs_reap() == [f"TrainingJob #{job.pk}"]
    assert len(callbacks) == 1


def test_default_schedules_exist_for_beat():
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "generation.tasks.jobs_reap_task", "generation.tasks.retraining_enqueue_due_task",
        "catalog.tasks.thumbnails_missing_enqueue_task", "catalog.tasks.catalog_imports_reap_task",
        "catalog.tasks.product_files_orphaned_remove_task",
    } <= tasks  # fmt: skip


def test_registry_page_and_promotion_by_role(trained, client, reviewer, merchandiser):
    client.force_login(reviewer)
    body = client.get(reverse("generation:model_registry")).content.decode()
    assert "demo" in body and "Fréchet distance" in body and "Promote" not in body
    assert client.post(reverse("generation:model_state", args=[trained.pk]), {"action": "retire"}).status_code == 403
    client.force_login(merchandiser)
    client.post(reverse("generation:model_state", args=[trained.pk]), {"action": "retire"})
    trained.refresh_from_db()
    assert trained.state == "retired"
    event = ModelAuditEvent.objects.get()
    assert (event.model, event.kind, event.from_state, event.acting_user) == (
        trained,
        "retired",
        "active",
        merchandiser,
    )
    assert "Retired (active before) by merch" in client.get(reverse("generation:model_registry")).content.decode()


def test_audit_events_are_never_changed_or_deleted(trained, merchandiser):
    event = registry.generative_model_retire(model=trained, user=merchandiser).audit_events.get()
    event.kind = "promoted"
    with pytest.raises(ValueError, match="never changed"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()


def test_the_registry_shows_which_version_produced_each_published_image(
    trained, client, reviewer, django_capture_on_commit_callbacks
):
    """Given an image generated by v1 and published on a product, the registry lists it under v1 only."""
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.sampling_job_create(model=trained, category_names=["Bag"], per_category=2)
    item = job.items.first()
    product = make_product(category="Bag", title="Generated bag")
    with item.image.open("rb") as handle:
        image = encode_png(Image.open(handle))
    store_image_file(image)
    published = product_image_build(product=product, image=image)
    published.source, published.generated_item = ProductImage.Source.GENERATED, item
    published.save()
    v2 = GenerativeModel.objects.create(name="demo", version=2, resolution=28, channels=1, checkpoint="x.pt")

    client.force_login(reviewer)
    groups = client.get(reverse("generation:model_registry")).context["registry"]
    by_version = {model.version: model.published_items for model in groups["demo"]}
    assert by_version == {1: [item], 2: []} and v2.state == "candidate"
    body = client.get(reverse("generation:model_registry")).content.decode()
    assert f"{product.sku}, generated by demo v1 from seed {item.seed}" in body
