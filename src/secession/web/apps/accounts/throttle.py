"""Brute-force limit: count failed logins per (username, client address) and lock out.

After ``LOGIN_FAILURE_LIMIT`` failures the pair is locked for ``LOGIN_LOCKOUT_SECONDS``;
during the lockout even the right password is refused. A success clears the counter.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from secession.web.apps.accounts.models import LoginFailure


class LockedOut(Exception):
    """Too many failed logins; ``until`` says when attempts are allowed again."""

    def __init__(self, until) -> None:
        super().__init__(f"too many failed logins; try again after {until:%H:%M} UTC")
        self.until = until


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(request: HttpRequest, username: str) -> dict[str, str]:
    return {"username": username.strip().lower()[:150], "address": client_address(request)}


def check_login(request: HttpRequest, username: str, password: str):
    """Return the user for valid credentials, ``None`` for wrong ones; raise when locked."""
    key = _key(request, username)
    now = timezone.now()
    record = LoginFailure.objects.filter(**key).first()
    if record and record.locked_until and record.locked_until > now:
        raise LockedOut(record.locked_until)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        LoginFailure.objects.filter(**key).delete()
        return user
    with transaction.atomic():
        record, _ = LoginFailure.objects.select_for_update().get_or_create(
            **key, defaults={"last_failure_at": now}
        )
        if record.locked_until and record.locked_until <= now:
            record.failures = 0  # lockout over: start counting again
            record.locked_until = None
        record.failures += 1
        record.last_failure_at = now
        if record.failures >= settings.LOGIN_FAILURE_LIMIT:
            record.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        record.save()
    return None
