"""A password validator Django lacks: a maximum length (a megabyte password is refused
with a sentence, before hashing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

#: the longest password accepted (pages, API, validator)
MAX_PASSWORD = 1024
TOO_LONG = f"A password can be at most {MAX_PASSWORD:,} characters long."


class MaximumLengthValidator:
    def __init__(self, max_length: int = MAX_PASSWORD) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"A password can be at most {self.max_length:,} characters long.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"At most {self.max_length:,} characters."
