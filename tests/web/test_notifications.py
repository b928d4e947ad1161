"""Email notices through a real SMTP server (aiosmtpd on a free local port): a vote opens,
the electorate is told, the link opens the vote; unsubscribe stops the next one; choices;
reminders once; results; a mail server that is down never fails the action."""

from __future__ import annotations

import email
import io
import re
import socket
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from secession.web.apps.notifications.models import Preference, Reminder
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.models import Proposal

from .factories import CommunityFactory, UserFactory, add_member

SITE = "http://testserver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        self.messages.clear()


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SECESSION_SITE_URL = SITE
    yield handler
    controller.stop()


@pytest.fixture
def town(db):
    founder = UserFactory(username="founder", email="founder@example.org")
    town = CommunityFactory(name="Pine Town", founder=founder)
    add_member(town, UserFactory(username="member", email="member@example.org"))
    add_member(town, UserFactory(username="silent"))  # no address: never mailed
    return town


def person(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def body(message: Message) -> str:
    return message.get_payload(decode=True).decode()


def link(message: Message, pattern: str) -> str:
    found = re.search(rf"{re.escape(SITE)}({pattern})", body(message))
    assert found, body(message)
    return found.group(1)


def test_vote_opens_link_opens_the_vote_and_unsubscribe_stops_the_next(
    town, inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = make_proposal(town, person=person("founder"), kind="resolution", title="Bells")
    assert sorted(m["To"] for m in inbox.messages) == ["founder@example.org", "member@example.org"]
    notice = inbox.to("member@example.org")[0]
    assert notice["Subject"] == "Vote open in Pine Town: Bells"
    assert "Voting closes on" in body(notice)
    c = Client()
    c.force_login(person("member"))
    page = c.get(link(notice, r"/proposals/\d+/")).content.decode()
    assert "Bells" in page and "Cast my vote" in page
    assert link(notice, r"/proposals/\d+/") == proposal.get_absolute_url()

    stop = link(notice, r"/notices/stop/[^/\s]+/")
    assert "".join(notice["List-Unsubscribe"].split()) == f"<{SITE}{stop}>"  # folded
    anonymous = Client()  # no login needed; a GET only asks
    assert "Stop all email notices" in anonymous.get(stop).content.decode()
    assert not Preference.objects.filter(person=person("member")).exists()
    done = anonymous.post(stop).content.decode()
    assert "will receive no more email notices" in done

    inbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_proposal(town, person=person("founder"), kind="resolution", title="Second")
    assert [m["To"] for m in inbox.messages] == ["founder@example.org"]


def test_a_forged_or_cut_token_is_refused_in_words(town):
    r = Client().get("/notices/stop/1:forged/")
    assert r.status_code == 404 and "This link is not valid" in r.content.decode()
    assert Client().post("/notices/stop/1:forged/").status_code == 404
    assert not Preference.objects.exists()


def test_result_notice_and_choices_from_the_account_page(
    town, inbox, django_capture_on_commit_callbacks
):
    member = Client()
    member.force_login(person("member"))
    assert "Email notices" in member.get("/accounts/me/").content.decode()
    r = member.post(
        "/notices/preferences/",
        {"email": "new@example.org", "on_open": "on"},  # opening only: no result
        follow=True,
    )
    assert "Your choice of email notices is saved." in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = make_proposal(town, person=person("founder"), kind="resolution", title="Fee")
        for name in ("founder", "member", "silent"):
            cast_vote(proposal, person=person(name), choice="yes")  # the last closes it
    results = [m for m in inbox.messages if m["Subject"].startswith("Passed")]
    assert [m["To"] for m in results] == ["founder@example.org"]
    assert "Result: passed" in body(results[0])
    assert [m["Subject"] for m in inbox.to("new@example.org")] == ["Vote open in Pine Town: Fee"]
    exported = member.get("/accounts/me/export.json").json()["notices"]
    assert exported["email"] == "new@example.org"
    assert (exported["on_open"], exported["on_reminder"], exported["on_result"]) == (
        True,
        False,
        False,
    )


def test_choices_need_an_address_and_a_login(town):
    member = Client()
    member.force_login(person("silent"))
    for body, reason in [
        ({"on_open": "on"}, "give an email address to receive notices"),
        ({"email": "not an address"}, "Type a whole email address, such as name@example.org."),
    ]:
        r = member.post("/notices/preferences/", body)
        html = r.content.decode()
        assert r.status_code == 400 and reason in html  # the account page, shown again
        # at its field: the input is marked invalid and points at its own error list
        field = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field and "id_email_error" in field
        assert 'id="id_email_error"' in html and 'href="#id_email"' in html  # summary link
    assert not Preference.objects.filter(person=person("silent")).exists()
    r = Client().post("/notices/preferences/", {"email": "x@example.org"})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    r = member.get("/notices/preferences/")
    assert r.status_code == 405 and 'href="/accounts/me/"' in r.content.decode()


def test_reminder_once_to_those_who_have_not_voted(town, inbox):
    proposal = make_proposal(town, person=person("founder"), kind="resolution", title="Soon")
    later = make_proposal(town, person=person("founder"), kind="resolution", title="Later")
    cast_vote(proposal, person=person("founder"), choice="no")
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() + timedelta(hours=12))
    inbox.clear()
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert f"proposal {proposal.pk}: 1 reminder(s) sent" in out.getvalue()
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [
        ("member@example.org", "Voting closes tomorrow in Pine Town: Soon")
    ]
    out = io.StringIO()
    call_command("send_reminders", stdout=out)  # idempotent
    assert "0 reminder(s) sent for 1 proposal(s)" in out.getvalue()
    assert len(inbox.messages) == 1
    assert Reminder.objects.filter(proposal=proposal).count() == 1
    assert not Reminder.objects.filter(proposal=later).exists()  # closes in 7 days


def test_mail_server_down_never_fails_the_vote(
    town, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        proposal = make_proposal(town, person=person("founder"), kind="resolution", title="Down")
        for name in ("founder", "member", "silent"):
            cast_vote(proposal, person=person(name), choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.passed
    assert "could not send opened notices" in caplog.text
    assert "could not send result notices" in caplog.text
