"""Writing copy with the model: a batch of variants for one request, reproducible from its seed."""

import torch

from generation.copy.model import CopyLanguageModel
from generation.copy.tokenizer import EOS, SPECIALS, Tokenizer, is_control


@torch.no_grad()
def write_variants(
    model: CopyLanguageModel, tokenizer: Tokenizer, controls: dict[str, str], *, count: int, seed: int,
    temperature: float = 0.8, max_chars: int = 200,
) -> list[str]:  # fmt: skip
    """`count` texts for the controls. The same seed gives the same texts; a text stops at the model's end
    token or at `max_chars`."""
    model.eval()
    generator = torch.Generator().manual_seed(int(seed))
    # The model may only write characters and the end: never a prompt token.
    allowed = torch.tensor([t == EOS or (t not in SPECIALS and not is_control(t)) for t in tokenizer.tokens])
    eos = tokenizer.id(EOS)
    prompt = torch.tensor([tokenizer.prompt(controls)] * count)
    logits, state = model(prompt)
    logits = logits[:, -1]
    written: list[list[int]] = [[] for _ in range(count)]
    finished = torch.zeros(count, dtype=torch.bool)
    for _ in range(max_chars):
        logits = logits.masked_fill(~allowed, float("-inf"))
        chosen = torch.multinomial(torch.softmax(logits / temperature, dim=-1), 1, generator=generator)
        for row in range(count):
            if not finished[row]:
                if chosen[row, 0].item() == eos:
                    finished[row] = True
                else:
                    written[row].append(chosen[row, 0].item())
        if finished.all():
            break
        output, state = model(chosen, state)
        logits = output[:, -1]
    return [tokenizer.decode(ids).strip() for ids in written]
