"""The copy model's training loop. Like the GAN's, it knows nothing of Django or Celery: the caller passes
`progress_fn` (a dict of figures every few seconds) and `abort_fn` (checked every step), and `sample_fn`
gets the model now and then so a job page can show what it writes so far."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch.nn import functional as F

from generation.copy.model import CopyLanguageModel, CopyModelConfig
from generation.copy.tokenizer import PAD, Tokenizer

Example = tuple[dict[str, str], str]  # (controls, text)


@dataclass
class CopyTrainConfig:
    embed_dim: int = 64
    hidden: int = 256
    layers: int = 2
    dropout: float = 0.1
    batch_size: int = 64
    lr: float = 3e-3
    max_tokens: int = 240  # longer sequences are cut: a long description teaches nothing new past this
    seed: int = 0


@dataclass
class CopyTrainResult:
    model: CopyLanguageModel
    tokenizer: Tokenizer
    config: CopyTrainConfig
    step: int
    seconds: float
    stopped: str  # "budget" or "aborted"
    history: list[dict] = field(default_factory=list)


def _batch(sequences: list[list[int]], prompt_lengths: list[int], pad: int) -> tuple[torch.Tensor, ...]:
    """Inputs, targets and a mask that keeps the loss on the text (and its end), not on the prompt."""
    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad, dtype=torch.long)
    mask = torch.zeros((len(sequences), width - 1), dtype=torch.bool)
    for row, (sequence, prompt) in enumerate(zip(sequences, prompt_lengths, strict=True)):
        ids[row, : len(sequence)] = torch.tensor(sequence)
        mask[row, prompt - 1 : len(sequence) - 1] = True
    return ids[:, :-1], ids[:, 1:], mask


def sequence_loss(model: CopyLanguageModel, inputs: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor):
    logits, _ = model(inputs)
    return F.cross_entropy(logits[mask], targets[mask])


def training_loop(
    *, examples: list[Example], config: CopyTrainConfig, max_steps: int | None = None,
    max_seconds: float | None = None, progress_fn: Callable[[dict], None] | None = None,
    abort_fn: Callable[[], bool] | None = None, sample_fn: Callable[[CopyLanguageModel, Tokenizer], None] | None = None,
    progress_every_seconds: float = 2.0, sample_every_seconds: float = 30.0,
) -> CopyTrainResult:  # fmt: skip
    if not examples:
        raise ValueError("There is no copy to learn from.")
    if max_steps is None and max_seconds is None:
        raise ValueError("Give a budget: max_steps or max_seconds.")
    torch.manual_seed(config.seed)
    order = random.Random(config.seed)
    tokenizer = Tokenizer.build(examples)
    encoded = []
    for controls, text in examples:
        prompt = len(tokenizer.prompt(controls))
        encoded.append((tokenizer.encode(controls, text)[: prompt + config.max_tokens], prompt))
    model = CopyLanguageModel(CopyModelConfig(
        tokenizer.size, config.embed_dim, config.hidden, config.layers, config.dropout
    ))  # fmt: skip
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    pad = tokenizer.id(PAD)
    history: list[dict] = []
    started = last_report = last_sample = time.monotonic()
    step, stopped, running = 0, "budget", None
    while True:
        elapsed = time.monotonic() - started
        if (max_steps is not None and step >= max_steps) or (max_seconds is not None and elapsed >= max_seconds):
            break
        if abort_fn and abort_fn():
            stopped = "aborted"
            break
        model.train()
        chosen = [encoded[order.randrange(len(encoded))] for _ in range(config.batch_size)]
        inputs, targets, mask = _batch([s for s, _ in chosen], [p for _, p in chosen], pad)
        loss = sequence_loss(model, inputs, targets, mask)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        now = time.monotonic()
        if now - last_report >= progress_every_seconds or step == max_steps:
            last_report = now
            fraction = step / max_steps if max_steps else min(1.0, (now - started) / max_seconds)
            point = {"step": step, "elapsed": round(now - started, 2), "loss": round(running, 4), "fraction": fraction}
            history.append(point)
            if progress_fn:
                progress_fn(point)
        if sample_fn and now - last_sample >= sample_every_seconds:
            last_sample = now
            sample_fn(model.eval(), tokenizer)
    model.eval()
    return CopyTrainResult(model, tokenizer, config, step, time.monotonic() - started, stopped, history)


def state_of(result: CopyTrainResult) -> dict:
    """What a registered copy model keeps: weights, tokens and shape (loaded with weights_only=True)."""
    return {"tokens": result.tokenizer.tokens, "model": result.model.state_dict(), "config": vars(result.model.config)}


def model_from_state(state: dict) -> tuple[CopyLanguageModel, Tokenizer]:
    model = CopyLanguageModel(CopyModelConfig(**state["config"]))
    model.load_state_dict(state["model"])
    return model.eval(), Tokenizer(list(state["tokens"]))
