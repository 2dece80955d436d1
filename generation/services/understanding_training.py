"""Trains the assistant's learned understanding and registers it as a version with its figures: the share of
held-out paraphrases (a fifth of the templates' fillings, never trained on) whose kind it reads right, beside the
rules' alone. A job of the job runner (family "intent"); the nightly schedule retrains it with the copywriter."""

import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from catalog.models import Category
from generation.assistant.intent_model import intent_accuracy, train_intent_model
from generation.models import Family, GenerativeModel
from generation.services.models import next_version, version_store
from generation.services.references import PhaseFn, no_phase
from generation.services.shop_vocabulary import shop_vocabulary
from generation.services.understanding import understanding_examples, understood_by_rules

HELD_OUT_SHARE = 0.2
REVIEWED_WEIGHT = 3  # a reviewer's correction counts as this many generated paraphrases


def understanding_train(
    *,
    name: str,
    categories: list[Category],
    seed: int = 0,
    user=None,
    progress_fn: Callable[[dict], None] | None = None,
    phase_fn: PhaseFn = no_phase,
    **_budget,
) -> GenerativeModel:
    """Seconds, not minutes: the budget of a training job does not bind it."""
    phase_fn("reading the shop's vocabulary and the reviewed answers", 0, 1)
    trained_until = timezone.now()
    shop = shop_vocabulary()
    generated, reviewed = understanding_examples(shop, seed=seed)
    rng, held_out, training = random.Random(seed), [], []
    for examples, weight in ((generated, 1), (reviewed, REVIEWED_WEIGHT)):
        for example in examples:  # a reviewed question is held out whole, never also trained on
            (held_out if rng.random() < HELD_OUT_SHARE else training).extend([example] * weight)

    def understood(example):
        return understood_by_rules(example, shop)

    phase_fn("training", 0, 1)
    model = train_intent_model(training, understood, seed=seed)
    if progress_fn:
        progress_fn({"fraction": 1.0, "step": len(training), "loss": 0.0, "elapsed": 0.0})
    phase_fn("measuring", 0, 1)
    model.figures = {
        "held_out_intent_right": round(intent_accuracy(model, held_out, understood), 4),
        "held_out_rules_right": round(intent_accuracy(None, held_out, understood), 4),
        "examples": len(training),
        "reviewed_questions": len(reviewed),
        "labels": len(model.labels),
    }
    return _register(name, model, categories, trained_until, user)


@transaction.atomic
def _register(name, model, categories, trained_until, user) -> GenerativeModel:
    version, state = next_version(name, Family.INTENT)
    registered = GenerativeModel(
        name=name,
        version=version,
        family=Family.INTENT,
        state=state,
        metrics=model.figures,
        steps=model.figures["examples"],
        trained_on_photos_until=trained_until,
        created_by=user,
        config={"labels": model.labels},
    )
    version_store(registered, model.to_bytes(), "npz", categories)
    return registered
