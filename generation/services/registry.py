"""The model registry: promoting versions, and retraining when a model's categories got new photos. (A worker
promotes a better candidate on its own: models.candidate_promote_if_better.)"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from catalog.models import Product, ProductImage
from generation.models import (
    Family,
    FeatureExtractor,
    GeneratedItem,
    GenerativeModel,
    ModelAuditEvent,
    ReviewDecision,
    TrainingJob,
)
from generation.recommendations.snapshot import serving_changed
from generation.services.jobs import training_job_create
from generation.services.understanding import UNDERSTANDING_NAME


@transaction.atomic
def generative_model_promote(
    *, model: GenerativeModel, user=None, kind=ModelAuditEvent.Kind.PROMOTED
) -> GenerativeModel:
    """Makes `model` the active version of its name; the version active before is retired. Both changes
    are audited; `user` None is the schedule."""
    replaced = (
        GenerativeModel.objects.select_for_update()
        .filter(name=model.name, state=GenerativeModel.State.ACTIVE)
        .exclude(pk=model.pk)
    )
    for previous in replaced:
        _state_set(previous, GenerativeModel.State.RETIRED, ModelAuditEvent.Kind.RETIRED, user)
    _state_set(model, GenerativeModel.State.ACTIVE, kind, user)
    return model


@transaction.atomic
def generative_model_retire(*, model: GenerativeModel, user=None) -> GenerativeModel:
    _state_set(model, GenerativeModel.State.RETIRED, ModelAuditEvent.Kind.RETIRED, user)
    return model


def _state_set(model: GenerativeModel, state: str, kind: str, user) -> None:
    ModelAuditEvent.objects.create(model=model, kind=kind, from_state=model.state, acting_user=user)
    model.state = state
    model.save(update_fields=["state"])


def models_due_for_retraining() -> list[GenerativeModel]:
    """Active versions with new data since they were trained: photos for an image model, approved copy for
    the copywriter."""
    due = []
    for model in (
        GenerativeModel.objects.filter(state=GenerativeModel.State.ACTIVE)
        .exclude(family=Family.RECS)  # its own schedule
        .prefetch_related("categories")
    ):
        categories = model.categories.all()
        if model.family == Family.INTENT:
            # What it learns from: the reviewers' decisions on answers, and the shop's words (its products).
            if _understanding_due(model):
                due.append(model)
            continue
        if model.family == Family.COPY:
            newer = GeneratedItem.objects.filter(
                kind=GeneratedItem.Kind.COPY, review_state=GeneratedItem.ReviewState.APPROVED,
                product__category__in=categories,
            )  # fmt: skip
            since = "decided_at__gt"
        else:
            newer = ProductImage.objects.filter(source=ProductImage.Source.PHOTO, product__category__in=categories)
            since = "created_at__gt"
        if model.trained_on_photos_until is not None:
            newer = newer.filter(**{since: model.trained_on_photos_until})
        if newer.exists():
            due.append(model)
    return due


def _understanding_due(model: GenerativeModel) -> bool:
    since = model.trained_on_photos_until
    if since is None:
        return True
    reviewed = ReviewDecision.objects.filter(item__kind=GeneratedItem.Kind.ANSWER, created_at__gt=since)
    return reviewed.exists() or Product.objects.filter(updated_at__gt=since).exists()


def _retraining_budget(model: GenerativeModel) -> dict:
    """The understanding trains in seconds, whatever its budget: one step stands for it."""
    return {"steps": 1} if model.family == Family.INTENT else {"minutes": settings.GENERATION_RETRAIN_MINUTES}


def retraining_enqueue_due() -> list[TrainingJob]:
    """The nightly task: one training job per model due, unless one for that name is already queued or running;
    the assistant's first understanding with the first active copywriter (its schedule)."""
    created = []
    copywriter = GenerativeModel.objects.filter(family=Family.COPY, state=GenerativeModel.State.ACTIVE).first()
    if copywriter is not None and not GenerativeModel.objects.filter(family=Family.INTENT).exists():
        if not TrainingJob.objects.filter(name=UNDERSTANDING_NAME, status__in=TrainingJob.ACTIVE_STATUSES).exists():
            created.append(
                training_job_create(
                    name=UNDERSTANDING_NAME,
                    categories=list(copywriter.categories.all()),
                    family=Family.INTENT,
                    steps=1,
                )
            )
    for model in models_due_for_retraining():
        if TrainingJob.objects.filter(name=model.name, status__in=TrainingJob.ACTIVE_STATUSES).exists():
            continue
        created.append(
            training_job_create(
                name=model.name,
                categories=list(model.categories.all()),
                family=model.family,
                engine=model.engine,  # a VAE is retrained as a VAE
                **_retraining_budget(model),
                device=model.config.get("device", "auto"),
            )  # fmt: skip
        )
    return created


@transaction.atomic
def feature_extractors_retire(*, category_names: set[str]) -> int:
    """Removes the metrics classifiers trained only on these categories (their photos changed): the next
    measurement trains one on the photos as they are now, and figures measured before name a reference that
    no longer matches, so they are never compared with the new ones."""
    retired = [e for e in FeatureExtractor.objects.all() if set(e.category_names) <= category_names]
    for extractor in retired:
        transaction.on_commit(lambda name=extractor.weights.name: default_storage.delete(name))
        extractor.delete()  # with the visual encoder go its image features: similar items wait for new ones
    if retired:
        serving_changed(catalog=True)
    return len(retired)
