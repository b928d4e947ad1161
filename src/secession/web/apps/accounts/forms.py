"""Account forms."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from secession.web.apps.accounts.passwords import MAX_PASSWORD, TOO_LONG


def password_field(
    label: str | None = None,
    autocomplete: str = "new-password",
    required_message=_("Type your password."),
    **kw,
):
    return forms.CharField(
        label=label,
        max_length=MAX_PASSWORD,
        error_messages={"max_length": TOO_LONG, "required": required_message},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kw,
    )


def username_field(required_message) -> forms.CharField:
    return forms.CharField(
        label=_("Username"),
        max_length=150,
        error_messages={"required": required_message},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class RegisterForm(forms.Form):
    username = username_field(_("Choose a username."))
    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    password = password_field(
        _("Password"),
        required_message=_("Choose a password."),
        help_text=format_lazy(
            _("At least 8 characters, at most {max}, not a common password."),
            max=f"{MAX_PASSWORD:,}",
        ),
    )
    password_again = password_field(
        _("Password (again)"),
        required_message=_("Type the same password again, to be sure of it."),
    )

    def clean(self):
        """One plain error for the second password: missing, or not the same as the first
        (compared only when both were typed, so a blank one is never also "different")."""
        data = super().clean()
        first, again = data.get("password"), data.get("password_again")
        if first and again and first != again:
            self.add_error(
                "password_again", _("The two passwords are not the same: type them again.")
            )
        return data


class LoginForm(forms.Form):
    username = username_field(_("Type your username."))
    password = password_field(_("Password"), autocomplete="current-password")


class PasswordForm(forms.Form):
    old_password = password_field(_("Current password"), "current-password")
    new_password = password_field(_("New password"))


class DeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
