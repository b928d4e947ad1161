"""A password validator Django lacks: a maximum length (a megabyte password is refused
with a sentence, before hashing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: the longest password accepted (pages, API, validator)
MAX_PASSWORD = 1024
TOO_LONG = format_lazy(
    _("A password can be at most {max} characters long."), max=f"{MAX_PASSWORD:,}"
)


class MaximumLengthValidator:
    def __init__(self, max_length: int = MAX_PASSWORD) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                gettext("A password can be at most {max} characters long.").format(
                    max=f"{self.max_length:,}"
                ),
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return gettext("At most {max} characters.").format(max=f"{self.max_length:,}")
