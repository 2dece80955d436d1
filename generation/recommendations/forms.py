from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product
from generation.recommendations.models import RecommendationRule


class RuleForm(forms.Form):
    action = forms.ChoiceField(choices=RecommendationRule.Action.choices, label=_("Action"))
    sku = forms.CharField(required=False, max_length=64, label=_("Product SKU"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("name"),
        required=False,
        label=_("Category"),
        help_text=_("or a whole category"),
    )
    placement = forms.ChoiceField(choices=RecommendationRule.Placement.choices, label=_("Placement"))
    starts_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Starts at")
    )
    ends_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Ends at")
    )

    def clean(self):
        data = super().clean()
        sku, category = (data.get("sku") or "").strip(), data.get("category")
        if bool(sku) == bool(category):
            raise forms.ValidationError(_("Name a product by its SKU or pick a category: one of the two."))
        if sku:
            data["product"] = Product.objects.filter(sku=sku).first()
            if data["product"] is None:
                self.add_error("sku", _("No product has the SKU %(sku)s.") % {"sku": sku})
        return data


class PreviewForm(forms.Form):
    sku = forms.CharField(required=False, max_length=64, label=_("Product SKU"))
    user = forms.CharField(required=False, max_length=64, label=_("Shopper id"))


class PairingForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"), label=_("Category"))
    goes_with = forms.ModelChoiceField(queryset=Category.objects.order_by("name"), label=_("Goes with"))
    weight = forms.FloatField(min_value=0.1, max_value=10, initial=1.0, label=_("Weight"))
