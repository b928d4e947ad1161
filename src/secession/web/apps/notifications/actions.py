"""Notification actions: choose notices (and the address), stop them all."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext

from secession.web.apps.accounts.actions import choose_language
from secession.web.apps.audit.log import record
from secession.web.apps.notifications import events
from secession.web.apps.notifications.models import Preference


def set_preferences(
    *,
    person,
    email: str,
    on_open: bool,
    on_reminder: bool,
    on_result: bool,
    language: str = "",
) -> Preference:
    """Store ``person``'s address and choice of notices (audited without the address);
    ``language`` (one of ``LANGUAGES``), when given, is the language their emails use."""
    if not person.has_perm("notifications.change_preferences"):
        raise PermissionDenied(gettext("log in to choose your notices"))
    email = email.strip()
    if email:
        validate_email(email)
    elif on_open or on_reminder or on_result:
        raise ValidationError(gettext("give an email address to receive notices"))
    with transaction.atomic():
        person.email = email
        person.save(update_fields=["email"])
        if language:
            choose_language(person=person, language=language)
        pref, _ = Preference.objects.update_or_create(
            person=person,
            defaults={"on_open": on_open, "on_reminder": on_reminder, "on_result": on_result},
        )
        record(
            events.PREFERENCES_CHANGED,
            actor=person,
            data={"open": on_open, "reminder": on_reminder, "result": on_result},
        )
    return pref


def unsubscribe(*, person) -> Preference:
    """Stop every notice to ``person`` (from the signed link in an email)."""
    with transaction.atomic():
        pref, _ = Preference.objects.update_or_create(
            person=person, defaults={"on_open": False, "on_reminder": False, "on_result": False}
        )
        record(events.UNSUBSCRIBED, actor=person, data={})
    return pref
