from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Category
from generation.models import ExportFormat, Platform
from generation.publishing.mapping import SOURCES, TARGETS, mapping_complete

# The platforms' fields as the page names them (mapping.TARGETS has the platforms' own names).
TARGET_LABELS = {
    "Title": _("Title"),
    "Description": _("Description"),
    "SEO title": _("SEO title"),
    "SEO description": _("SEO description"),
    "Image alt text": _("Image alt text"),
    "Name": _("Name"),
    "Short description": _("Short description"),
    "title": _("Title"),
    "description": _("Description"),
}
# How the page names each source of copy (mapping.SOURCES).
SOURCE_LABELS = {
    "title": _("its title"),
    "description": _("its description"),
    "description_short": _("its newest approved short description"),
    "description_long": _("its newest approved long description"),
    "ad_headline": _("its newest approved ad headline"),
    "ad_description": _("its newest approved ad description"),
    "": _("nothing"),
}


class ExportForm(forms.Form):
    """Which format, and which products: each part given narrows the selection."""

    format = forms.ChoiceField(choices=ExportFormat.choices, initial=ExportFormat.SHOPIFY, label=_("Format"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("name"), required=False, empty_label=_("any"), label=_("Category")
    )
    query = forms.CharField(max_length=100, required=False, label=_("Search"), help_text=_("words of the SKU or title"))
    skus = forms.CharField(max_length=20_000, required=False, label="SKU", help_text=_("comma-separated"))
    approved_since = forms.DateField(
        required=False, label=_("Approved since"), help_text=_("products with copy or images approved since")
    )
    copy_job = forms.IntegerField(min_value=1, required=False, label=_("Copy job"), help_text=_("its approved copy"))
    sampling_job = forms.IntegerField(min_value=1, required=False, label=_("Sampling job"), help_text=_("its images"))

    def selection(self) -> dict:
        data = self.cleaned_data
        chosen = {
            "category": data["category"].pk if data["category"] else None,
            "query": data["query"],
            "skus": data["skus"],
            "approved_since": data["approved_since"].isoformat() if data["approved_since"] else "",
            "copy_job": data["copy_job"],
            "sampling_job": data["sampling_job"],
        }
        return {name: value for name, value in chosen.items() if value not in (None, "")}


class ChannelForm(forms.Form):
    """One platform's channel: a choice of copy per field the platform takes copy in, then its addresses."""

    chinese = forms.BooleanField(required=False, label=_("Write the Chinese copy as a second file"))
    media_base_url = forms.URLField(required=False, label=_("Media URL"), assume_scheme="https")
    product_url = forms.CharField(max_length=300, required=False, label=_("Product page address"))
    vendor = forms.CharField(max_length=100, required=False, label=_("Vendor"))
    currency = forms.CharField(max_length=3, initial="USD", label=_("Currency"))

    def __init__(self, *args, platform: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform
        self.platform_label = Platform(platform).label
        choices = [(source, SOURCE_LABELS[source]) for source in SOURCES]
        for field, (label, _default) in TARGETS[platform].items():
            label = TARGET_LABELS.get(label, label)
            self.fields[f"map_{field}"] = forms.ChoiceField(choices=choices, label=label, required=False)

    @classmethod
    def of(cls, channel) -> "ChannelForm":
        mapping = mapping_complete(channel.platform, channel.mapping)
        initial = {f"map_{field}": source for field, source in mapping.items()}
        initial |= {name: getattr(channel, name) for name in ("chinese", "media_base_url", "product_url", "vendor")}
        return cls(platform=channel.platform, initial=initial | {"currency": channel.currency}, prefix=channel.platform)

    def mapping(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(f"map_{field}", "") for field in TARGETS[self.platform]}
