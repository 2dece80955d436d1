"""What the answerer gives back: value objects, stored and shown by the Django side."""

from dataclasses import asdict, dataclass, field

ANSWER, HANDOFF = "answer", "handoff"


@dataclass(frozen=True)
class Citation:
    """A product field and its value, or an article and the passage quoted from it."""

    source: str  # "product" or "article"
    sku: str = ""
    field: str = ""
    value: str = ""
    slug: str = ""
    quote: str = ""

    def as_dict(self) -> dict:
        if self.source == "product":
            return {"source": "product", "sku": self.sku, "field": self.field, "value": self.value}
        return {"source": "article", "slug": self.slug, "quote": self.quote}

    @classmethod
    def from_dict(cls, data: dict) -> "Citation":
        return cls(**{key: str(value) for key, value in data.items() if key in cls.__dataclass_fields__})


@dataclass
class Answer:
    action: str  # ANSWER, or HANDOFF: a person must handle it
    text: str  # what the shopper sees
    citations: list[Citation] = field(default_factory=list)
    products: list[str] = field(default_factory=list)  # SKUs suggested, best first
    confidence: float = 0.0
    language: str = "en"
    kind: str = ""  # product_fact, policy, search, like_this, handoff, unknown, saved
    reason: str = ""  # why it was handed off: person, order, payment, account, complaint, outside, missing
    missing: str = ""  # what would have answered it: "field:material", "article:gift wrapping", "products:…"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["citations"] = [citation.as_dict() for citation in self.citations]
        return data
