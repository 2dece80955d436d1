"""Ranking copy with the model: how likely it finds each text for a request's control tokens."""

import torch
from torch.nn import functional as F

from generation.copy.model import CopyLanguageModel
from generation.copy.tokenizer import PAD, Tokenizer


@torch.no_grad()
def score_texts(
    model: CopyLanguageModel, tokenizer: Tokenizer, controls: dict[str, str], texts: list[str]
) -> list[float]:
    """The mean log-probability per character (and the end) of each text after the controls' prompt: higher is
    phrasing more like what the model learnt for this kind, style and language."""
    if not texts:
        return []
    model.eval()
    sequences = [tokenizer.encode(controls, text) for text in texts]
    prompt = len(tokenizer.prompt(controls))
    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), tokenizer.id(PAD), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        ids[row, : len(sequence)] = torch.tensor(sequence)
    logits, _ = model(ids[:, :-1])
    log_probs = F.log_softmax(logits, dim=-1).gather(2, ids[:, 1:, None])[..., 0]
    scores = []
    for row, sequence in enumerate(sequences):
        written = log_probs[row, prompt - 1 : len(sequence) - 1]
        scores.append(written.mean().item())
    return scores
