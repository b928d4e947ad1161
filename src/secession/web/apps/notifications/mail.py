"""Email notices of votes: opened, closing tomorrow (reminder), result out.

Messages go through Django's email backend (SMTP configured from ``SECESSION_EMAIL_*``;
console locally). Each is written in the language its recipient chose (``User.language``,
kept when they switch language or save their notices). They are sent after the action's
transaction commits, and a failing mail server is logged, never raised: a vote or a close
never fails because of email.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from secession.web.apps.notifications.models import Reminder
from secession.web.apps.notifications.tokens import make_token
from secession.web.apps.proposals.models import Ballot, Eligibility, Proposal, Status

log = logging.getLogger(__name__)

#: notice -> the preference field that turns it off
NOTICES = {"opened": "on_open", "reminder": "on_reminder", "result": "on_result"}
REMINDER_AHEAD = timedelta(days=1)


def absolute(path: str) -> str:
    return settings.SECESSION_SITE_URL.rstrip("/") + path


def recipients(proposal: Proposal, notice: str) -> QuerySet:
    """The electorate of ``proposal`` with an address who have not turned ``notice`` off;
    for reminders, only those who have not voted and have not been reminded."""
    in_electorate = Eligibility.objects.filter(proposal=proposal, person=OuterRef("pk"))
    people = (
        get_user_model()
        .objects.filter(Exists(in_electorate), is_active=True)
        .exclude(email="")
        .exclude(**{f"notice_preference__{NOTICES[notice]}": False})
    )
    if notice == "reminder":
        voted = Ballot.objects.filter(proposal=proposal, voter=OuterRef("pk"))
        reminded = Reminder.objects.filter(proposal=proposal, person=OuterRef("pk"))
        people = people.exclude(Exists(voted)).exclude(Exists(reminded))
    return people.order_by("pk")


def language_of(person) -> str:
    """The language ``person`` chose (their emails are in it), else the site's default."""
    code = getattr(person, "language", "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def message(proposal: Proposal, notice: str, person) -> EmailMessage:
    """``notice`` about ``proposal`` for ``person``, subject and body in their language."""
    with translation.override(language_of(person)):
        return _message(proposal, notice, person)


def _message(proposal: Proposal, notice: str, person) -> EmailMessage:
    unsubscribe = absolute(reverse("notifications:unsubscribe", args=[make_token(person)]))
    context = {
        "p": proposal,
        "person": person,
        "url": absolute(proposal.get_absolute_url()),
        "unsubscribe": unsubscribe,
        "preferences": absolute(reverse("accounts:account")),
    }
    subject = render_to_string(f"notifications/{notice}_subject.txt", context).strip()
    body = render_to_string(f"notifications/{notice}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[person.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )


def send(proposal_id: int, notice: str) -> int:
    """Send ``notice`` about the proposal to its recipients now; returns how many were
    sent (0 when the mail server fails: the failure is logged)."""
    proposal = Proposal.objects.select_related("community").get(pk=proposal_id)
    people = recipients(proposal, notice)
    if notice == "reminder":
        with transaction.atomic():  # mark first: a reminder goes once, even if mail fails
            people = list(people.select_for_update(of=("self",)))  # PostgreSQL: not the outer join
            Reminder.objects.bulk_create(
                [Reminder(proposal=proposal, person=p) for p in people], ignore_conflicts=True
            )
    messages = [message(proposal, notice, person) for person in people]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except (OSError, smtplib.SMTPException):
        log.exception("could not send %s notices of proposal %s", notice, proposal_id)
        return 0


def send_after_commit(proposal: Proposal, notice: str) -> None:
    """Queue ``notice`` for when the current transaction commits (nothing if it rolls back)."""
    pk = proposal.pk
    transaction.on_commit(lambda: send(pk, notice))


def send_reminders(now=None) -> dict[int, int]:
    """Remind, once, everyone who can still vote on a proposal closing within a day;
    returns ``{proposal id: reminders sent}`` (run by ``send_reminders`` from a scheduler)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(
        status=Status.OPEN, closes_at__gt=now, closes_at__lte=now + REMINDER_AHEAD
    ).order_by("closes_at")
    return {pk: send(pk, "reminder") for pk in due.values_list("pk", flat=True)}
