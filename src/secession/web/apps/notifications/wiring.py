"""How the notifications app plugs into the apps below it (connected in ``ready()``):
notices when voting opens and when a result is out, and its section of the account page."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.accounts.exports import register_export
from secession.web.apps.accounts.sections import register_section
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.privacy import register_private_actions
from secession.web.apps.notifications import events
from secession.web.apps.notifications.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.notifications.forms import PreferencesForm
from secession.web.apps.notifications.mail import send_after_commit
from secession.web.apps.notifications.models import Preference, Reminder
from secession.web.apps.proposals.signals import proposal_closed, proposal_opened


def _opened(sender, *, proposal, **kwargs) -> None:
    send_after_commit(proposal, "opened")


def _closed(sender, *, proposal, **kwargs) -> None:
    send_after_commit(proposal, "result")


def preferences_form(user, data=None) -> PreferencesForm:
    pref = Preference.objects.filter(person=user).first() or Preference(person=user)
    initial = {
        "email": user.email,
        "on_open": pref.on_open,
        "on_reminder": pref.on_reminder,
        "on_result": pref.on_result,
    }
    return PreferencesForm(data, initial=initial)


def _account_section(request, form=None) -> str:
    return render_to_string(
        "notifications/section.html",
        {"form": form or getattr(request, "notice_form", None) or preferences_form(request.user)},
        request=request,
    )


def _export(user) -> dict:
    pref = Preference.objects.filter(person=user).first() or Preference(person=user)
    return {
        "email": user.email,
        "on_open": pref.on_open,
        "on_reminder": pref.on_reminder,
        "on_result": pref.on_result,
        "reminders_received": list(
            Reminder.objects.filter(person=user).values_list("proposal_id", flat=True)
        ),
    }


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    # a person's choice of notices is theirs: the audit log shows it to them alone
    register_private_actions((events.PREFERENCES_CHANGED, events.UNSUBSCRIBED))
    proposal_opened.connect(_opened, dispatch_uid="notifications.opened")
    proposal_closed.connect(_closed, dispatch_uid="notifications.closed")
    register_section("notices", 30, _account_section)
    register_export("notices", _export)
