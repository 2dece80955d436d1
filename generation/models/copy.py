from django.db import models
from django.utils.translation import gettext_lazy as _


class CopyTerm(models.Model):
    """An admin's addition to the grounding vocabularies shipped in generation/copy/vocab/*.json."""

    class Field(models.TextChoices):
        COLOUR = "colour", _("Colour")
        TONE = "tone", _("Tone")
        MATERIAL = "material", _("Material")
        AUDIENCE = "audience", _("Audience")
        CATEGORY = "category", _("Category")
        COMPOUND = "compound", _("compound (names nothing checked)")

    term = models.CharField(max_length=100, unique=True, help_text=_("as written, any language; matched case-blind"))
    field = models.CharField(max_length=16, choices=Field.choices)
    value = models.CharField(
        max_length=100, blank=True, help_text=_('the canonical value ("navy", a category name); empty for a compound')
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field", "term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.field} {self.value}".strip()


class CopyStyle(models.Model):
    """A tone preset an admin saved beside the built-in ones (plain, premium, playful): it writes from its base
    style's phrases and its own (copy phrases of this style), under its own rules."""

    class Base(models.TextChoices):
        PLAIN = "plain"
        PREMIUM = "premium"
        PLAYFUL = "playful"

    name = models.SlugField(max_length=40, unique=True)
    instructions = models.CharField(max_length=300, help_text=_("how this voice writes, said to the copy endpoint"))
    base = models.CharField(
        max_length=16,
        choices=Base.choices,
        default=Base.PLAIN,
        help_text=_("the built-in style whose phrases it starts from"),
    )
    exclamation = models.BooleanField(default=False, help_text=_("may its texts exclaim?"))
    max_sentence_length = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("longest sentence: words in English, characters in Chinese")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CopyField(models.Model):
    """Where copy says one of the catalog's fields, in every style: never (a price, an internal code), in long
    descriptions only (care), or in any kind. Fields without a row are said anywhere, except the defaults
    (`generation.copy.planning.DEFAULT_SAID_IN`: price never, care in long descriptions) this table overrides."""

    class SaidIn(models.TextChoices):
        NEVER = "never", _("never")
        LONG = "long", _("in long descriptions only")
        ANY = "any", _("in any kind of copy")

    field = models.CharField(max_length=40, unique=True, help_text=_("an attribute's name as the catalog has it"))
    said_in = models.CharField(max_length=8, choices=SaidIn.choices, default=SaidIn.NEVER)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field"]
        verbose_name = "copy field"

    def __str__(self) -> str:
        return f"{self.field}: {self.get_said_in_display()}"


class CopyPhrase(models.Model):
    """An admin's addition to the phrase banks shipped in generation/copy/vocab/<language>/phrases.json."""

    class Part(models.TextChoices):
        TEMPLATE = "template", _("template of a kind of copy")
        LEAD = "lead", _("lead-in of the style (states no fact)")
        CLOSE = "close", _("sign-off of the style (states no fact)")
        ADJ = "adj", _("adjective of a fact")
        TAG = "tag", _("short benefit of a fact")
        SENTENCE = "sentence", _("sentence of a fact")
        ITEM = "item", _("item of a fact in a long description's list (a notch collar)")

    language = models.CharField(max_length=8, choices=[("en", "English"), ("zh", "中文")])
    style = models.SlugField(max_length=40, help_text=_("plain, premium, playful or a preset's name"))
    part = models.CharField(max_length=16, choices=Part.choices)
    key = models.CharField(
        max_length=100, blank=True,
        help_text=_("a template's kind (title, ad_headline…); a fact's field=value (season=cold weather) or field=*"),
    )  # fmt: skip
    text = models.CharField(
        max_length=300, help_text=_("slots such as {noun} {adjs} {tag1} {sentences}; {value} in field=*")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "style", "part", "key"]

    def __str__(self) -> str:
        return f"{self.language} {self.style} {self.part} {self.key}: {self.text}"
