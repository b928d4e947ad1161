"""Registration is throttled per address (429 with a clear message, pages and API);
passwords are capped at 1,024 characters (a sentence at the field and in the API); the
Argon2 hash is computed outside any database transaction."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from secession.web.apps.accounts import actions
from secession.web.apps.accounts.models import RegistrationCount, User

from .factories import PASSWORD, UserFactory


def register(n: int, address: str = "203.0.113.7", password: str = PASSWORD):
    return Client(REMOTE_ADDR=address).post(
        "/api/accounts/register",
        json.dumps({"username": f"person-{address}-{n}", "password": password}),
        content_type="application/json",
    )


@override_settings(REGISTRATION_LIMIT=3)
def test_registration_is_limited_per_address(db):
    assert [register(i).status_code for i in range(3)] == [201, 201, 201]
    refused = register(3)
    assert refused.status_code == 429
    assert "too many accounts were registered from your address" in refused.json()["detail"]
    assert register(4, address="198.51.100.9").status_code == 201  # another address
    # the page says the same, at the top of the form, with status 429
    page = Client(REMOTE_ADDR="203.0.113.7").post(
        "/accounts/register/",
        {"username": "page-person", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert page.status_code == 429 and b"Too many accounts were registered" in page.content
    assert not User.objects.filter(username="page-person").exists()
    # the window passes: registering works again
    RegistrationCount.objects.filter(address="203.0.113.7").update(
        window_started_at=timezone.now() - timedelta(hours=2)
    )
    assert register(5).status_code == 201


@override_settings(REGISTRATION_LIMIT=2)
def test_a_refused_registration_does_not_count(db):
    assert register(0, password="short").status_code == 400  # too short: refused
    assert register(1).status_code == 201
    assert register(2).status_code == 201
    assert register(3).status_code == 429


def test_a_megabyte_password_is_refused_with_a_sentence(db):
    huge = "x" * (1024 * 1024)
    reply = register(0, password=huge)
    assert reply.status_code == 400
    assert reply.json()["detail"] == "A password can be at most 1,024 characters long."
    assert register(1, password="p" * 1024 + "!").status_code == 400
    assert register(2, password="correct-horse-" + "b" * 1000).status_code == 201  # 1,014
    # the page shows it at the password field
    page = Client().post(
        "/accounts/register/", {"username": "big", "password": huge, "password_again": huge}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "A password can be at most 1,024 characters long." in html
    own = html[html.index('id="id_password_error"') :]  # the field's own error list
    assert "at most 1,024 characters long" in own.split("</ul>", 1)[0]
    assert 'aria-describedby="id_password_helptext id_password_error"' in html


def test_long_passwords_at_login_and_change(db):
    ada = UserFactory(username="ada")
    huge = "y" * 100_000
    token = Client().post(
        "/api/accounts/token",
        json.dumps({"username": "ada", "password": huge}),
        content_type="application/json",
    )
    assert token.status_code == 401
    from secession.web.apps.accounts.tokens import create_token

    change = Client().post(
        "/api/accounts/me/password",
        json.dumps({"old_password": PASSWORD, "new_password": huge}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_token(ada)}",
    )
    assert change.status_code == 400 and "at most 1,024" in change.json()["detail"]
    form = Client().post("/accounts/login/", {"username": "ada", "password": huge})
    assert b"A password can be at most 1,024 characters long." in form.content


@pytest.mark.django_db(transaction=True)
def test_passwords_are_hashed_outside_any_transaction(monkeypatch):
    """Hashing (Argon2 in production) holds no database lock: on SQLite a transaction
    takes the write lock at BEGIN, so a hash inside it would stall every other writer."""
    seen = []
    real = actions.make_password

    def watched(password, *args, **kwargs):
        seen.append(transaction.get_connection().in_atomic_block)
        return real(password, *args, **kwargs)

    monkeypatch.setattr(actions, "make_password", watched)
    user = actions.register_person(username="outside", password=PASSWORD)
    actions.change_password(
        user, person=user, old_password=PASSWORD, new_password="another-long-passphrase"
    )
    assert seen == [False, False]
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_argon2_is_the_hasher_of_every_setting_but_the_tests():
    from secession.web.config import settings as base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert base.AUTH_PASSWORD_VALIDATORS[-1]["NAME"].endswith("MaximumLengthValidator")
