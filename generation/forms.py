from django import forms

from catalog.models import Category
from generation.models import TrainingJob


class TrainingJobForm(forms.Form):
    name = forms.SlugField(max_length=100, help_text="Versions of the same name are compared in the registry.")
    categories = forms.ModelMultipleChoiceField(queryset=Category.objects.order_by("name"))
    minutes = forms.FloatField(min_value=0.05, max_value=24 * 60, required=False, initial=5)
    steps = forms.IntegerField(min_value=1, max_value=10_000_000, required=False)
    device = forms.ChoiceField(choices=[("auto", "auto"), ("cpu", "cpu"), ("cuda", "cuda")], initial="auto")

    def clean(self):
        data = super().clean()
        if (data.get("minutes") is None) == (data.get("steps") is None):
            raise forms.ValidationError("Give a budget in minutes or in steps, not both.")
        return data


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *TrainingJob.Status.choices], required=False)


class SamplingForm(forms.Form):
    categories = forms.MultipleChoiceField(choices=[])
    per_category = forms.IntegerField(min_value=1, max_value=500, initial=8, label="Images per category")
    seed = forms.IntegerField(min_value=0, initial=0)
    truncation = forms.FloatField(
        min_value=0.05, max_value=1.0, initial=1.0, label="Diversity", help_text="1 = as varied as the catalog; lower = more typical"
    )

    def __init__(self, *args, category_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(n, n) for n in category_names]
