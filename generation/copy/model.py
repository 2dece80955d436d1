"""A small character-level language model: an embedding, a two-layer GRU and a projection. Small enough to
train on a CPU in minutes on a catalog of a few thousand products; the control tokens at the start of each
sequence condition everything it writes after them."""

from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class CopyModelConfig:
    vocab_size: int
    embed_dim: int = 64
    hidden: int = 256
    layers: int = 2
    dropout: float = 0.1


class CopyLanguageModel(nn.Module):
    def __init__(self, config: CopyModelConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.embed_dim)
        self.rnn = nn.GRU(
            config.embed_dim, config.hidden, num_layers=config.layers, batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )  # fmt: skip
        self.head = nn.Linear(config.hidden, config.vocab_size)

    def forward(self, ids: torch.Tensor, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """ids (B, T) -> logits (B, T, V) and the recurrent state, to continue from."""
        output, state = self.rnn(self.embed(ids), state)
        return self.head(output), state
