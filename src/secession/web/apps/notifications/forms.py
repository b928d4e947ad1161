from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        error_messages={"invalid": _("Type a whole email address, such as name@example.org.")},
    )
    on_open = forms.BooleanField(label=_("When a vote opens to me"), required=False)
    on_reminder = forms.BooleanField(
        label=_("A day before a vote I have not cast closes"), required=False
    )
    on_result = forms.BooleanField(
        label=_("When the result of a vote I could cast is out"), required=False
    )
