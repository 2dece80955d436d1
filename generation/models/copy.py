from django.db import models


class CopyTerm(models.Model):
    """An admin's addition to the grounding vocabularies shipped in generation/copy/vocab/*.json."""

    class Field(models.TextChoices):
        COLOUR = "colour"
        TONE = "tone"
        MATERIAL = "material"
        AUDIENCE = "audience"
        CATEGORY = "category"
        COMPOUND = "compound", "compound (names nothing checked)"

    term = models.CharField(max_length=100, unique=True, help_text="as written, any language; matched case-blind")
    field = models.CharField(max_length=16, choices=Field.choices)
    value = models.CharField(
        max_length=100, blank=True, help_text='the canonical value ("navy", a category name); empty for a compound'
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field", "term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.field} {self.value}".strip()


class CopyStyle(models.Model):
    """A tone preset an admin saved beside the built-in ones (plain, premium, playful)."""

    name = models.SlugField(max_length=40, unique=True)
    instructions = models.CharField(max_length=300, help_text="how this voice writes, said to the copywriter")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
