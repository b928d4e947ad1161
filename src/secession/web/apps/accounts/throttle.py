"""Brute-force limit: count failed logins per (username, client address) and lock out.

After ``LOGIN_FAILURE_LIMIT`` failures the pair is locked for ``LOGIN_LOCKOUT_SECONDS``;
during the lockout even the right password is refused. A success clears the pair's counter.
An address is also locked after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures over all usernames
(guessing many accounts). Behind a reverse proxy set ``LOGIN_CLIENT_IP_HEADER`` (production:
``SECESSION_CLIENT_IP_HEADER``, e.g. ``HTTP_X_FORWARDED_FOR``) so addresses are the clients'.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from secession.web.apps.accounts.models import LoginFailure, RegistrationCount


class LockedOut(Exception):
    """Too many failed logins; ``until`` says when attempts are allowed again."""

    def __init__(self, until) -> None:
        super().__init__(
            gettext("too many failed logins; try again after {time} UTC").format(
                time=f"{until:%H:%M}"
            )
        )
        self.until = until


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind a reverse proxy the last hop of
    the header named by ``LOGIN_CLIENT_IP_HEADER`` (the address the proxy saw)."""
    header = getattr(settings, "LOGIN_CLIENT_IP_HEADER", "")
    if header:
        hops = [h.strip() for h in request.META.get(header, "").split(",") if h.strip()]
        if hops:
            return hops[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


ANY_USERNAME = ""  # the per-address counter (usernames are never empty)


def _keys(request: HttpRequest, username: str) -> list[tuple[dict[str, str], int]]:
    """The counters a login attempt touches, with their limits: the (username, address)
    pair, and the address across all usernames (guessing many accounts from one place)."""
    address = client_address(request)
    return [
        ({"username": username.strip().lower()[:150], "address": address}, _limit()),
        ({"username": ANY_USERNAME, "address": address}, _address_limit()),
    ]


def _limit() -> int:
    return settings.LOGIN_FAILURE_LIMIT


def _address_limit() -> int:
    return getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 10 * settings.LOGIN_FAILURE_LIMIT)


def check_login(request: HttpRequest, username: str, password: str):
    """Return the user for valid credentials, ``None`` for wrong ones; raise when locked.

    The attempt is counted (under a row lock) *before* the password is checked, so
    parallel guesses cannot slip past the limit; a success then takes its count back.
    """
    keys = _keys(request, username)
    now = timezone.now()
    with transaction.atomic():
        records = []
        for key, limit in keys:
            record, _ = LoginFailure.objects.select_for_update().get_or_create(
                **key, defaults={"last_failure_at": now}
            )
            if record.locked_until and record.locked_until > now:
                raise LockedOut(record.locked_until)
            records.append((record, limit))
        for record, limit in records:
            if record.locked_until and record.locked_until <= now:
                record.failures = 0  # lockout over: start counting again
                record.locked_until = None
            record.failures += 1
            record.last_failure_at = now
            if record.failures >= limit:
                record.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
            record.save()
    user = authenticate(request, username=username, password=password)
    if user is not None:
        with transaction.atomic():
            LoginFailure.objects.filter(**keys[0][0]).delete()
            address = LoginFailure.objects.select_for_update().filter(**keys[1][0]).first()
            if address is not None:
                address.failures = max(0, address.failures - 1)
                if address.failures < keys[1][1]:
                    address.locked_until = None
                address.save()
    return user


class TooManyRegistrations(Exception):
    """The address registered ``REGISTRATION_LIMIT`` accounts in the current window."""

    def __init__(self, until) -> None:
        super().__init__(
            gettext(
                "too many accounts were registered from your address; try again after {time} UTC"
            ).format(time=f"{until:%H:%M}")
        )
        self.until = until


def reserve_registration(request: HttpRequest) -> RegistrationCount:
    """Count one registration for the client's address, or raise
    :class:`TooManyRegistrations`. Counted under a row lock before the account is made
    (parallel requests cannot slip past); :func:`release_registration` gives it back when
    the registration then fails."""
    now = timezone.now()
    window = timedelta(seconds=settings.REGISTRATION_WINDOW_SECONDS)
    with transaction.atomic():
        row, _ = RegistrationCount.objects.select_for_update().get_or_create(
            address=client_address(request), defaults={"window_started_at": now}
        )
        if row.window_started_at + window <= now:
            row.window_started_at, row.count = now, 0
        if row.count >= settings.REGISTRATION_LIMIT:
            raise TooManyRegistrations(row.window_started_at + window)
        row.count += 1
        row.save()
    return row


def release_registration(row: RegistrationCount) -> None:
    with transaction.atomic():
        RegistrationCount.objects.filter(pk=row.pk, count__gt=0).update(count=models.F("count") - 1)
