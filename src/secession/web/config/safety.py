"""Refusals of unsafe production settings (raised while the settings load).

Production refuses to start without a strong secret key, with debug pages on, with a
wildcard or empty host list, or with a development key; ``secession serve --production``
then also runs ``manage.py check --deploy`` and refuses any warning it gives.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50  # Django's own deploy check (security.W009) asks for 50


class UnsafeSettings(ImproperlyConfigured):
    """A production setting that would make the site unsafe; the message says how to fix it."""


def check_secret(key: str) -> None:
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < 5:
        raise UnsafeSettings(
            f"SECESSION_SECRET_KEY must be a random string of at least {MIN_SECRET_LENGTH} "
            "characters in production (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')"
        )
    if key.startswith(("test-only", "django-insecure")):
        raise UnsafeSettings("SECESSION_SECRET_KEY is a development key; generate a new one")


def check_hosts(hosts: list[str]) -> None:
    if not hosts:
        raise UnsafeSettings(
            "SECESSION_ALLOWED_HOSTS must name the site's host names in production "
            "(comma-separated, e.g. vote.example.org)"
        )
    wild = [h for h in hosts if h in ("*", ".") or h.startswith("*")]
    if wild:
        raise UnsafeSettings(
            f"SECESSION_ALLOWED_HOSTS holds a wildcard ({', '.join(wild)}); name the site's "
            "host names instead"
        )


def check_debug(value: str) -> None:
    if value not in ("", "0"):
        raise UnsafeSettings(
            "SECESSION_DEBUG is set: debug pages show the server's code and settings to "
            "anyone; unset it in production"
        )
