"""The recommender's versions, without the training's heavy imports (the web starts a training here): a
training job on demand or nightly, and the rule by which a new version replaces the active one."""

from catalog.models import Category
from generation.models import Family, GenerativeModel, ModelAuditEvent, TrainingJob
from generation.recommendations.models import ShopperEvent
from generation.services.jobs import training_job_create
from generation.services.registry import generative_model_promote

RECOMMENDER_NAME = "recommender"
# What the selection of a shop's model may take (the cheap candidates and the baselines are always measured),
# and the final fit on every event.
RECS_BUDGET_MINUTES = 20


def recommender_promote_if_better(*, model: GenerativeModel) -> bool:
    """A version serves only if it is no worse than popularity on its own split (the selection makes sure of it:
    popularity is one of its candidates), and beats the active version by its lift over popularity (figures of
    two versions come from two splits, so their ratios to the same-split baseline are what compares)."""
    figures = model.metrics
    if figures["recall_at_10"] < figures["baselines"]["popularity"]["recall_at_10"]:
        return False
    active = GenerativeModel.objects.filter(name=model.name, state=GenerativeModel.State.ACTIVE).first()
    if active is not None and (figures.get("lift_over_popularity") or 0) <= (
        active.metrics.get("lift_over_popularity") or 0
    ):
        return False
    generative_model_promote(model=model, kind=ModelAuditEvent.Kind.AUTO_PROMOTED, user=None)
    return True


def recommender_training_enqueue(*, user=None, nightly: bool = False) -> TrainingJob | None:
    """A training job, unless one is already queued or running; the nightly one only when events came in since
    the active version was trained."""
    if TrainingJob.objects.filter(family=Family.RECS, status__in=TrainingJob.ACTIVE_STATUSES).exists():
        return None
    if nightly:
        active = GenerativeModel.objects.filter(family=Family.RECS, state=GenerativeModel.State.ACTIVE).first()
        events = ShopperEvent.objects.all()
        if active is not None and active.trained_on_photos_until:
            events = events.filter(at__gt=active.trained_on_photos_until)
        if not events.exists():
            return None
    return training_job_create(
        name=RECOMMENDER_NAME, family=Family.RECS, categories=list(Category.objects.all()),
        minutes=RECS_BUDGET_MINUTES,
        user=user,
    )  # fmt: skip
