"""Unsubscribe tokens: the person's id signed with the site's secret key (Django's
``signing``, HMAC-SHA256), so the one link in every email works without logging in and
cannot be forged for someone else."""

from __future__ import annotations

from django.core import signing

SALT = "secession.notifications.unsubscribe"


def make_token(person) -> str:
    return signing.Signer(salt=SALT).sign(str(person.pk))


def person_id(token: str) -> int | None:
    """The id in a valid token, else ``None``."""
    try:
        return int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
