"""Characters of the catalog's own copy, plus control tokens that say what to write.

Character level, so English and Chinese need no word list and no downloaded vocabulary. A request becomes a
prompt of control tokens (<kind:title>, <category:Sneaker>, <tone:dark>, <style:premium>, <lang:en>, ...)
and the model writes the text after it."""

from dataclasses import dataclass, field

PAD, BOS, SEP, EOS, UNK = "<pad>", "<bos>", "<sep>", "<eos>", "<unk>"
SPECIALS = (PAD, BOS, SEP, EOS, UNK)


def control_tokens(controls: dict[str, str]) -> list[str]:
    """{"kind": "title", "category": "Sneaker", ...} -> ["<kind:title>", "<category:Sneaker>", ...], in key order."""
    return [f"<{key}:{value}>" for key, value in sorted(controls.items()) if value not in (None, "")]


@dataclass
class Tokenizer:
    tokens: list[str] = field(default_factory=lambda: list(SPECIALS))

    def __post_init__(self):
        self.index = {token: i for i, token in enumerate(self.tokens)}

    @classmethod
    def build(cls, examples: list[tuple[dict[str, str], str]]) -> "Tokenizer":
        """Every character and every control token of the corpus, in a stable order."""
        controls = sorted({token for fields, _ in examples for token in control_tokens(fields)})
        characters = sorted({char for _, text in examples for char in text})
        return cls([*SPECIALS, *controls, *characters])

    @property
    def size(self) -> int:
        return len(self.tokens)

    def id(self, token: str) -> int:
        return self.index.get(token, self.index[UNK])

    def prompt(self, controls: dict[str, str]) -> list[int]:
        return [self.index[BOS], *(self.id(t) for t in control_tokens(controls)), self.index[SEP]]

    def encode(self, controls: dict[str, str], text: str) -> list[int]:
        """The training sequence: prompt, text, end."""
        return [*self.prompt(controls), *(self.id(c) for c in text), self.index[EOS]]

    def decode(self, ids: list[int]) -> str:
        """Text characters only: control and special tokens are dropped."""
        return "".join(t for t in (self.tokens[i] for i in ids) if t not in SPECIALS and not is_control(t))


def is_control(token: str) -> bool:
    return len(token) > 2 and token.startswith("<") and token.endswith(">") and ":" in token
