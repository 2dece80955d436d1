"""The assistant's learned understanding as a registered version: trained from the shop's vocabulary, stored with
its figures, served to the storefront, and first trained by the nightly schedule once a copywriter is active."""

import pytest

from catalog.models import Category
from generation.assistant.intent_model import IntentModel
from generation.models import Family, GenerativeModel, TrainingJob
from generation.services import registry
from generation.services.understanding import UNDERSTANDING_NAME, active_understanding
from generation.services.understanding_training import understanding_train
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    for sku, category, colour in (("S1", "Shirts", "Navy Blue"), ("S2", "Shirts", "Black"), ("H1", "Handbags", "Red")):
        make_product(sku=sku, category=category, attributes={"colour": colour, "gender": "Men"})


def test_training_registers_an_active_version_with_its_figures_and_the_storefront_serves_it(shop):
    assert active_understanding() is None  # the rules answer alone
    first = understanding_train(name=UNDERSTANDING_NAME, categories=[])
    assert first.family == Family.INTENT and first.state == GenerativeModel.State.ACTIVE
    figures = first.metrics
    assert figures["held_out_intent_right"] > figures["held_out_rules_right"], figures
    assert figures["examples"] > 500 and figures["reviewed_questions"] == 0
    served = active_understanding()
    assert isinstance(served, IntentModel) and served.labels == first.config["labels"]
    second = understanding_train(name=UNDERSTANDING_NAME, categories=[])
    assert (second.version, second.state) == (2, GenerativeModel.State.CANDIDATE)


def test_the_nightly_schedule_trains_the_first_understanding_with_the_copywriter(
    shop, django_capture_on_commit_callbacks
):
    assert not [j for j in registry.retraining_enqueue_due() if j.family == Family.INTENT]  # no copywriter yet
    copywriter = GenerativeModel.objects.create(
        name="copywriter", version=1, family=Family.COPY, state=GenerativeModel.State.ACTIVE, checkpoint="x.pt"
    )
    copywriter.categories.set(Category.objects.all())
    with django_capture_on_commit_callbacks():
        created = registry.retraining_enqueue_due()
    assert [(j.name, j.family) for j in created] == [(UNDERSTANDING_NAME, Family.INTENT)]
    assert not registry.retraining_enqueue_due()  # one is queued already
    TrainingJob.objects.all().delete()
    version = understanding_train(name=UNDERSTANDING_NAME, categories=[])
    assert version not in registry.models_due_for_retraining()
    make_product(sku="W1", category="Watches", attributes={"colour": "Black"})  # the shop's words changed
    assert version in registry.models_due_for_retraining()
