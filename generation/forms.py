from django import forms
from django.conf import settings
from django.db.models import BigIntegerField
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product
from catalog.selectors import categories_largest
from generation.copy.limits import KINDS, kind_limit
from generation.models import Engine, Family, GeneratedItem, JobStatus, RejectionReason
from generation.models.jobs import COPY_KIND_LABELS, STYLE_LABELS
from generation.selectors import ReviewFilters
from generation.services.jobs import (
    DIVERSITY_MAX,
    DIVERSITY_MIN,
    LANGUAGES,
    MAX_BUDGET_MINUTES,
    MAX_BUDGET_STEPS,
    MAX_PER_CATEGORY,
    MAX_VARIANTS,
    SAMPLING_MAX_SEED,
    copy_styles,
)
from retail_studio.errors import StudioError

PRESELECTED_CATEGORIES = 4
VAE_CHOICE = "image-vae"  # the form's one list of what a model makes: images of either engine, or copy


class TrainingJobForm(forms.Form):
    name = forms.SlugField(
        max_length=100, label=_("Name"), help_text=_("Versions of the same name are compared in the registry.")
    )
    family = forms.ChoiceField(
        choices=[
            (Family.IMAGE, _("images (GAN)")),
            (VAE_CHOICE, _("images (VAE: variations of a photo, blends)")),
            (Family.COPY, _("copy (the built-in copywriter)")),
        ],
        initial=Family.IMAGE,
        label=_("What it makes"),
        required=False,
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.order_by("name"), widget=forms.CheckboxSelectMultiple, label=_("Categories")
    )
    minutes = forms.FloatField(
        min_value=0.05, max_value=MAX_BUDGET_MINUTES, required=False, initial=5, label=_("Minutes")
    )
    steps = forms.IntegerField(min_value=1, max_value=MAX_BUDGET_STEPS, required=False, label=_("Steps"))
    device = forms.ChoiceField(
        choices=[("auto", _("auto")), ("cpu", "CPU"), ("cuda", "CUDA")], initial="auto", label=_("Device")
    )

    def __init__(self, *args, **kwargs):
        """Starts with every category ticked, or the catalog's largest few when it has many."""
        super().__init__(*args, **kwargs)
        self.fields["categories"].initial = [c.pk for c in categories_largest(PRESELECTED_CATEGORIES)]

    def clean(self):
        data = super().clean()
        if (data.get("minutes") is None) == (data.get("steps") is None):
            raise forms.ValidationError(_("Give a budget in minutes or in steps, not both."))
        data["family"] = data.get("family") or Family.IMAGE
        data["engine"] = Engine.VAE if data["family"] == VAE_CHOICE else Engine.GAN
        if data["family"] == VAE_CHOICE:
            data["family"] = Family.IMAGE
        return data


class VariationsForm(forms.Form):
    count = forms.IntegerField(min_value=1, max_value=MAX_PER_CATEGORY, initial=8)
    diversity = forms.FloatField(min_value=0.0, max_value=DIVERSITY_MAX, initial=0.5)
    seed = forms.IntegerField(min_value=0, max_value=SAMPLING_MAX_SEED, initial=0)
    blend_with = forms.CharField(max_length=64, required=False, help_text="another product's SKU: a blend instead")


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", _("Any status")), *JobStatus.choices], required=False)


class SamplingForm(forms.Form):
    categories = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple, label=_("Categories"))
    per_category = forms.IntegerField(
        min_value=1, max_value=MAX_PER_CATEGORY, initial=8, label=_("Images per category")
    )
    seed = forms.IntegerField(min_value=0, max_value=SAMPLING_MAX_SEED, initial=0, label=_("Seed"))
    truncation = forms.FloatField(
        min_value=DIVERSITY_MIN, max_value=DIVERSITY_MAX, initial=1.0, label=_("Diversity"),
        help_text=_("1 = as varied as the catalog; lower = more typical"),
    )  # fmt: skip

    def __init__(self, *args, category_names: list[str], chosen: list[str] | None = None, **kwargs):
        """Starts with `chosen` ticked, or every category the model knows."""
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(n, n) for n in category_names]
        self.fields["categories"].initial = [n for n in (chosen or category_names) if n in category_names]


class ReviewFilterForm(forms.Form):
    """The queue's filters, from the query string; an empty field filters nothing."""

    state = forms.ChoiceField(choices=[("", _("Any state")), *GeneratedItem.ReviewState.choices], required=False)
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *GeneratedItem.Kind.choices], required=False)
    category = forms.IntegerField(required=False, min_value=1)
    model = forms.IntegerField(required=False, min_value=1)
    job = forms.IntegerField(required=False, min_value=1)
    training_job = forms.IntegerField(required=False, min_value=1)
    possible_copy = forms.NullBooleanField(required=False)
    generated_by = forms.IntegerField(required=False, min_value=1)
    copy_job = forms.IntegerField(required=False, min_value=1)
    order = forms.ChoiceField(choices=[("oldest", _("Oldest first")), ("newest", _("Newest first"))], required=False)

    def __init__(self, data, *args, **kwargs):
        # The queue opens on what is pending; "state=" (any) must stay possible.
        data = data.copy()
        data.setdefault("state", GeneratedItem.ReviewState.PENDING)
        super().__init__(data, *args, **kwargs)

    def filters(self) -> ReviewFilters:
        if not self.is_valid():
            raise StudioError("; ".join(f"{field}: {' '.join(errors)}" for field, errors in self.errors.items()))
        data = dict(self.cleaned_data)
        data["newest_first"] = data.pop("order") == "newest"
        return ReviewFilters(**data)


class ReviewDecisionForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)
    text = forms.CharField(required=False, max_length=5000, strip=False, help_text="copy: the reviewer's edit")
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.filter(active=True), required=False)
    product = forms.ModelChoiceField(queryset=Product.objects.all(), required=False)
    new_product_title = forms.CharField(required=False, max_length=255)


class ReviewBulkForm(ReviewDecisionForm):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    ids = forms.CharField(required=False, help_text="comma-separated item ids; empty: the whole filtered query")
    spot_check = forms.CharField(required=False)

    def clean_ids(self) -> list[int]:
        try:
            ids = sorted({int(i) for i in self.cleaned_data["ids"].split(",") if i.strip()})
        except ValueError:
            raise forms.ValidationError(_("Item ids are numbers.")) from None
        # Ids are 64-bit; a larger number is refused here, not sent to the database's `IN`.
        if ids and not (1 <= ids[0] and ids[-1] <= BigIntegerField.MAX_BIGINT):
            raise forms.ValidationError(_("There is no item with such an id."))
        return ids


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


def _kind_choices() -> list[tuple[str, str]]:
    """Each kind with its limits in both languages, as the channels' settings make them."""
    limits = settings.COPY_LIMITS
    return [
        (
            kind,
            f"{COPY_KIND_LABELS[kind]} (≤ {kind_limit(kind, 'en', limits)}, 中文 ≤ {kind_limit(kind, 'zh', limits)})",
        )
        for kind in KINDS
    ]


class CopyRequestForm(forms.Form):
    """What to write, for a product (`product`), a selection (`products`) or a category's products (`category`)."""

    product = forms.ModelChoiceField(queryset=Product.objects.all(), required=False, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False, widget=forms.HiddenInput)
    # A selection in the catalog list: the ticked products' boxes belong to this form.
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    # Every choice in sight where the form is opened, as the generate form's categories are: radio buttons.
    kind = forms.ChoiceField(choices=_kind_choices, widget=forms.RadioSelect, initial="title")
    style = forms.ChoiceField(choices=[], widget=forms.RadioSelect, initial="plain")
    language = forms.ChoiceField(choices=list(LANGUAGES.items()), widget=forms.RadioSelect, initial="en")
    keywords = forms.CharField(required=False, help_text=_("to include, comma-separated"))
    banned = forms.CharField(required=False, help_text=_("never to use, comma-separated"))
    variants = forms.IntegerField(min_value=1, max_value=MAX_VARIANTS, initial=3)
    writer = forms.ChoiceField(choices=[])

    def __init__(self, *args, writers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["style"].choices = [(name, STYLE_LABELS.get(name, name)) for name in copy_styles()]
        self.fields["writer"].choices = writers

    def clean(self):
        data = super().clean()
        if not data.get("product") and not data.get("category") and not data.get("products"):
            raise forms.ValidationError(
                _("Say which products to write for: tick some, or pick a product or a category.")
            )
        data["keywords"], data["banned"] = _words(data.get("keywords", "")), _words(data.get("banned", ""))
        return data
