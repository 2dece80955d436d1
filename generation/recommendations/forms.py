from django import forms

from catalog.models import Category, Product
from generation.recommendations.models import RecommendationRule


class RuleForm(forms.Form):
    action = forms.ChoiceField(choices=RecommendationRule.Action.choices)
    sku = forms.CharField(required=False, max_length=64, label="Product SKU")
    category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"), required=False,
                                      help_text="or a whole category")  # fmt: skip
    placement = forms.ChoiceField(choices=RecommendationRule.Placement.choices)
    starts_at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        data = super().clean()
        sku, category = (data.get("sku") or "").strip(), data.get("category")
        if bool(sku) == bool(category):
            raise forms.ValidationError("Name a product by its SKU or pick a category: one of the two.")
        if sku:
            data["product"] = Product.objects.filter(sku=sku).first()
            if data["product"] is None:
                self.add_error("sku", f"No product has the SKU {sku}.")
        return data


class PreviewForm(forms.Form):
    sku = forms.CharField(required=False, max_length=64, label="Product SKU")
    user = forms.CharField(required=False, max_length=64, label="Shopper id")


class PairingForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"))
    goes_with = forms.ModelChoiceField(queryset=Category.objects.order_by("name"))
    weight = forms.FloatField(min_value=0.1, max_value=10, initial=1.0)
