from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secession.web.apps.translations.actions import MAX_TEXT


class TranslationForm(forms.Form):
    language = forms.CharField(
        label=_("Language"),
        max_length=35,
        help_text=_(
            "A language tag (BCP 47): es for Spanish, pt-BR for Brazilian Portuguese, fr, de, "
            "ar, zh-Hans…"
        ),
    )
    text = forms.CharField(
        label=_("Translation"),
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=MAX_TEXT,
        help_text=_("The whole text, translated. The original stays the voted text."),
    )
