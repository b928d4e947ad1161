from __future__ import annotations

from django import forms

from secession.web.apps.translations.actions import MAX_TEXT


class TranslationForm(forms.Form):
    language = forms.CharField(
        label="Language",
        max_length=35,
        help_text="A language tag (BCP 47): es for Spanish, pt-BR for Brazilian Portuguese, "
        "fr, de, ar, zh-Hans…",
    )
    text = forms.CharField(
        label="Translation",
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=MAX_TEXT,
        help_text="The whole text, translated. The original stays the voted text.",
    )
