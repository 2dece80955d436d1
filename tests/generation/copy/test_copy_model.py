"""The copy model on a tiny corpus: it learns, it obeys its control tokens, and a seed reproduces a text."""

import pytest

from generation.copy.sampling import write_variants
from generation.copy.tokenizer import Tokenizer, control_tokens
from generation.copy.training_loop import CopyTrainConfig, model_from_state, state_of, training_loop

CORPUS = [
    ({"kind": "title", "category": "Bag"}, "Roomy tote bag"),
    ({"kind": "title", "category": "Bag"}, "Small leather bag"),
    ({"kind": "title", "category": "Sneaker"}, "Fast white sneaker"),
    ({"kind": "title", "category": "Sneaker"}, "Light running sneaker"),
    ({"kind": "title", "category": "Dress"}, "红色连衣裙"),
] * 8
SMALL = CopyTrainConfig(embed_dim=32, hidden=96, layers=1, batch_size=32, lr=1e-2)


@pytest.fixture(scope="module")
def trained():
    return training_loop(examples=CORPUS, config=SMALL, max_steps=250, progress_every_seconds=0)


def test_the_tokenizer_keeps_controls_whole_and_decodes_text_only():
    tokenizer = Tokenizer.build(CORPUS)
    assert "<category:Bag>" in tokenizer.tokens and "连" in tokenizer.tokens
    ids = tokenizer.encode({"kind": "title", "category": "Bag"}, "Roomy")
    assert tokenizer.decode(ids) == "Roomy"
    assert control_tokens({"kind": "title", "category": "Bag", "tone": ""}) == ["<category:Bag>", "<kind:title>"]


def test_training_lowers_the_loss(trained):
    losses = [point["loss"] for point in trained.history]
    assert trained.step == 250 and trained.stopped == "budget"
    assert losses[-1] < 0.5 * losses[0]


def test_the_control_tokens_change_what_it_writes(trained):
    bags = write_variants(trained.model, trained.tokenizer, {"kind": "title", "category": "Bag"}, count=6, seed=1)
    sneakers = write_variants(
        trained.model, trained.tokenizer, {"kind": "title", "category": "Sneaker"}, count=6, seed=1
    )
    dresses = write_variants(trained.model, trained.tokenizer, {"kind": "title", "category": "Dress"}, count=3, seed=1)
    assert sum(text.endswith("bag") for text in bags) >= 5
    assert sum(text.endswith("sneaker") for text in sneakers) >= 5
    assert sum("连衣裙" in text for text in dresses) >= 2


def test_a_seed_reproduces_the_texts_and_a_checkpoint_the_model(trained):
    controls = {"kind": "title", "category": "Bag"}
    first = write_variants(trained.model, trained.tokenizer, controls, count=4, seed=7, temperature=1.5)
    assert write_variants(trained.model, trained.tokenizer, controls, count=4, seed=7, temperature=1.5) == first
    assert write_variants(trained.model, trained.tokenizer, controls, count=4, seed=8, temperature=1.5) != first
    model, tokenizer = model_from_state(state_of(trained))
    assert write_variants(model, tokenizer, controls, count=4, seed=7, temperature=1.5) == first


def test_an_abort_stops_the_loop_and_a_budget_is_required():
    result = training_loop(examples=CORPUS, config=SMALL, max_steps=1000, abort_fn=lambda: True)
    assert (result.stopped, result.step) == ("aborted", 0)
    with pytest.raises(ValueError, match="budget"):
        training_loop(examples=CORPUS, config=SMALL)
