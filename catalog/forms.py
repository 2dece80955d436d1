from django import forms
from django.utils.translation import gettext_lazy as _


class CatalogImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("Products CSV"),
        help_text=_("Columns: sku, title, category, and optionally description, status, image."),
    )
    images = forms.FileField(
        label=_("Images (zip)"),
        required=False,
        help_text=_("Files matched by the image column, or named after the SKU."),
    )


class CatalogFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    category = forms.IntegerField(required=False, min_value=1)
    status = forms.CharField(required=False, max_length=16)
