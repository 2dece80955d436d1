"""The copy model on a tiny corpus: it learns, its control tokens change how it ranks texts, and a checkpoint
ranks as the model did."""

import pytest

from generation.copy.sampling import score_texts
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


def test_the_control_tokens_change_how_it_ranks(trained):
    """Ranking: a text the model learnt for its controls scores above the same text under other controls."""
    score = lambda controls, texts: score_texts(trained.model, trained.tokenizer, controls, texts)  # noqa: E731
    bag, sneaker = {"kind": "title", "category": "Bag"}, {"kind": "title", "category": "Sneaker"}
    assert score(bag, ["Roomy tote bag"])[0] > score(sneaker, ["Roomy tote bag"])[0]
    dress = score({"kind": "title", "category": "Dress"}, ["红色连衣裙", "Roomy tote bag"])
    assert dress[0] > dress[1]


def test_a_checkpoint_scores_as_the_model_did(trained):
    controls, texts = {"kind": "title", "category": "Bag"}, ["Small leather bag", "Fast white sneaker", "连衣裙"]
    model, tokenizer = model_from_state(state_of(trained))
    assert score_texts(model, tokenizer, controls, texts) == pytest.approx(
        score_texts(trained.model, trained.tokenizer, controls, texts), abs=1e-6
    )
    assert score_texts(model, tokenizer, controls, []) == []


def test_an_abort_stops_the_loop_and_a_budget_is_required():
    result = training_loop(examples=CORPUS, config=SMALL, max_steps=1000, abort_fn=lambda: True)
    assert (result.stopped, result.step) == ("aborted", 0)
    with pytest.raises(ValueError, match="budget"):
        training_loop(examples=CORPUS, config=SMALL)
