from django import forms
from django.utils.translation import gettext_lazy as _

from generation.storefront.models import LANGUAGES


class ArticleForm(forms.Form):
    slug = forms.SlugField(max_length=100, label=_("Slug"))
    title = forms.CharField(max_length=200, label=_("Title"))
    language = forms.ChoiceField(choices=[("", _("from the text")), *LANGUAGES], required=False, label=_("Language"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), help_text="Markdown", label=_("Text"))
    published = forms.BooleanField(required=False, label=_("Published"))


class ReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Reply"))
    hand_back = forms.BooleanField(required=False, label=_("then let the assistant answer again"))
