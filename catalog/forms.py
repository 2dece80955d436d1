from django import forms


class CatalogImportForm(forms.Form):
    csv_file = forms.FileField(
        label="Products CSV", help_text="Columns: sku, title, category, and optionally description, status, image."
    )
    images = forms.FileField(
        label="Images (zip)", required=False, help_text="Files matched by the image column, or named after the SKU."
    )


class CatalogFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    category = forms.IntegerField(required=False, min_value=1)
    status = forms.CharField(required=False, max_length=16)
