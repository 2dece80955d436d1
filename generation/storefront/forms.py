from django import forms

from generation.storefront.models import LANGUAGES


class ArticleForm(forms.Form):
    slug = forms.SlugField(max_length=100)
    title = forms.CharField(max_length=200)
    language = forms.ChoiceField(choices=[("", "from the text"), *LANGUAGES], required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), help_text="Markdown")
    published = forms.BooleanField(required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    hand_back = forms.BooleanField(required=False, label="then let the assistant answer again")
