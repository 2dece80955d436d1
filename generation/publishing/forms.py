from django import forms

from catalog.models import Category
from generation.models import ExportFormat
from generation.publishing.mapping import SOURCES, TARGETS, mapping_complete


class ExportForm(forms.Form):
    """Which format, and which products: each part given narrows the selection."""

    format = forms.ChoiceField(choices=ExportFormat.choices, initial=ExportFormat.SHOPIFY)
    category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"), required=False, empty_label="any")
    query = forms.CharField(max_length=100, required=False, label="Search", help_text="words of the SKU or title")
    skus = forms.CharField(max_length=20_000, required=False, label="SKUs", help_text="comma-separated")
    approved_since = forms.DateField(required=False, help_text="products with copy or images approved since")
    copy_job = forms.IntegerField(min_value=1, required=False, label="Copy job", help_text="its approved copy")
    sampling_job = forms.IntegerField(min_value=1, required=False, label="Sampling job", help_text="its images")

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

    chinese = forms.BooleanField(required=False, label="Write the Chinese copy as a second file")
    media_base_url = forms.URLField(required=False, label="Media URL", assume_scheme="https")
    product_url = forms.CharField(max_length=300, required=False, label="Product page address")
    vendor = forms.CharField(max_length=100, required=False)
    currency = forms.CharField(max_length=3, initial="USD")

    def __init__(self, *args, platform: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform
        choices = [(source, label) for source, label in SOURCES.items()]
        for field, (label, _default) in TARGETS[platform].items():
            self.fields[f"map_{field}"] = forms.ChoiceField(choices=choices, label=label, required=False)

    @classmethod
    def of(cls, channel) -> "ChannelForm":
        mapping = mapping_complete(channel.platform, channel.mapping)
        initial = {f"map_{field}": source for field, source in mapping.items()}
        initial |= {name: getattr(channel, name) for name in ("chinese", "media_base_url", "product_url", "vendor")}
        return cls(platform=channel.platform, initial=initial | {"currency": channel.currency}, prefix=channel.platform)

    def mapping(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(f"map_{field}", "") for field in TARGETS[self.platform]}
