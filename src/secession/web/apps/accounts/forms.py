"""Account forms."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from secession.web.apps.accounts.passwords import MAX_PASSWORD, TOO_LONG


def password_field(label: str | None = None, autocomplete: str = "new-password", **kw):
    return forms.CharField(
        label=label,
        max_length=MAX_PASSWORD,
        error_messages={"max_length": TOO_LONG},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kw,
    )


class RegisterForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    password = password_field(
        _("Password"),
        help_text=format_lazy(
            _("At least 8 characters, at most {max}, not a common password."),
            max=f"{MAX_PASSWORD:,}",
        ),
    )
    password_again = password_field(_("Password (again)"))

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = password_field(_("Password"), autocomplete="current-password")


class PasswordForm(forms.Form):
    old_password = password_field("Current password", "current-password")
    new_password = password_field("New password")


class DeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password, to confirm",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
