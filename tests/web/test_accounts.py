"""Accounts: registration, Argon2, brute-force lockout, export, deletion."""

from __future__ import annotations

import base64
import importlib
import json
import secrets

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.test import override_settings

from secession.web.apps.accounts.actions import (
    change_password,
    delete_account,
    export_data,
    register_person,
)
from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.proposals.actions import cast_vote, make_proposal

from .factories import PASSWORD, UserFactory, add_member


def test_argon2_is_first_in_every_settings_module(monkeypatch, tmp_path):
    monkeypatch.setenv("SECESSION_WEB_DIR", str(tmp_path))
    from secession.web.config import settings as base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    key = secrets.token_urlsafe(50)
    monkeypatch.setenv("SECESSION_SECRET_KEY", key)
    monkeypatch.setenv("SECESSION_ALLOWED_HOSTS", "vote.example.org, www.example.org")
    monkeypatch.setenv("SECESSION_AUDIT_SIGNING_KEY", base64.b64encode(b"s" * 32).decode())
    prod = importlib.import_module("secession.web.config.settings_production")
    prod = importlib.reload(prod)
    assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS >= 31536000 and not prod.DEBUG
    assert key == prod.SECRET_KEY
    assert prod.ALLOWED_HOSTS == ["vote.example.org", "www.example.org"]
    assert prod.SESSION_COOKIE_HTTPONLY and prod.SECURE_SSL_REDIRECT
    assert "django.middleware.csrf.CsrfViewMiddleware" in prod.MIDDLEWARE


def test_production_refuses_missing_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("SECESSION_WEB_DIR", str(tmp_path))
    monkeypatch.setenv("SECESSION_ALLOWED_HOSTS", "vote.example.org")
    monkeypatch.delenv("SECESSION_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECESSION_SECRET_KEY"):
        importlib.reload(importlib.import_module("secession.web.config.settings_production"))


def test_production_refuses_missing_hosts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECESSION_WEB_DIR", str(tmp_path))
    monkeypatch.setenv("SECESSION_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.delenv("SECESSION_ALLOWED_HOSTS", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECESSION_ALLOWED_HOSTS"):
        importlib.reload(importlib.import_module("secession.web.config.settings_production"))


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_register_hashes_with_argon2(db):
    user = register_person(username="ada", password=PASSWORD, display_name="Ada")
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.get().action == "account.registered"


def test_register_refuses_taken_name_and_weak_password(db):
    register_person(username="ada", password=PASSWORD)
    with pytest.raises(ValidationError, match="taken"):
        register_person(username="ADA", password=PASSWORD)
    with pytest.raises(ValidationError):
        register_person(username="bob", password="123")


@pytest.mark.parametrize(
    ("username", "display_name", "said"),
    [
        ("x" * 151, "", "at most 150 characters"),
        ("ada lovelace", "", "valid username"),
        ("ada", "y" * 121, "at most 120 characters"),
    ],
    ids=["long-username", "space-in-username", "long-display-name"],
)
def test_api_register_checks_the_model_fields(client, db, username, display_name, said):
    r = client.post(
        "/api/accounts/register",
        {"username": username, "password": PASSWORD, "display_name": display_name},
        content_type="application/json",
    )
    assert r.status_code == 400 and said in r.json()["detail"]
    assert not AuditEntry.objects.exists()


def test_register_page_shows_a_bad_username_on_the_form(client, db):
    r = client.post(
        "/accounts/register/",
        {"username": "ada lovelace", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert r.status_code == 200 and "valid username" in r.content.decode()


def test_change_password_only_own_and_with_old(db):
    ada, bob = UserFactory(username="ada"), UserFactory(username="bob")
    with pytest.raises(PermissionDenied):
        change_password(ada, person=bob, old_password=PASSWORD, new_password="another-pass-77")
    with pytest.raises(ValidationError, match="current password"):
        change_password(ada, person=ada, old_password="wrong", new_password="another-pass-77")
    change_password(ada, person=ada, old_password=PASSWORD, new_password="another-pass-77")
    ada.refresh_from_db()
    assert ada.check_password("another-pass-77")


def test_export_own_data_only(community, founder, outsider):
    p = make_proposal(community, person=founder, kind="resolution", title="Trees")
    cast_vote(p, person=founder, choice="yes")
    data = export_data(founder, person=founder)
    assert data["account"]["username"] == "founder"
    assert [m["community"] for m in data["memberships"]] == ["riverside"]
    assert data["proposals"][0]["title"] == "Trees"
    assert data["votes"][0]["choice"] == "yes"
    assert {e["action"] for e in data["audit_entries"]} >= {"community.founded", "vote.cast"}
    json.dumps(data)
    with pytest.raises(PermissionDenied):
        export_data(founder, person=outsider)


def test_delete_account_keeps_audit_entries(community, founder):
    bob = add_member(community, UserFactory(username="bob"))
    p = make_proposal(community, person=bob, kind="resolution", title="Bob's idea")
    cast_vote(p, person=bob, choice="yes")
    bob_id = bob.pk
    entries_before = AuditEntry.objects.filter(actor_id=bob_id).count()
    with pytest.raises(PermissionDenied):
        delete_account(bob, person=founder)
    delete_account(bob, person=bob)
    assert not get_user_model().objects.filter(pk=bob_id).exists()
    # joined, proposal.opened, vote.cast + left, account.deleted
    assert AuditEntry.objects.filter(actor_id=bob_id).count() == entries_before + 2
    assert verify().ok
    p.refresh_from_db()
    assert p.author is None and p.ballots.get().voter is None  # the public vote stays counted
    assert community.memberships.filter(person__isnull=True).count() == 1


def test_login_lockout_after_limit(client, db):
    UserFactory(username="ada")
    url = "/accounts/login/"
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        r = client.post(url, {"username": "ada", "password": "wrong"})
        assert r.status_code == 200 and b"Wrong username or password" in r.content
    r = client.post(url, {"username": "ada", "password": "wrong"})
    assert r.status_code == 200
    # now locked: even the right password is refused, for this address
    r = client.post(url, {"username": "ada", "password": PASSWORD})
    assert r.status_code == 429 and b"too many failed logins" in r.content
    # another address is not locked out
    r = client.post(url, {"username": "ada", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 302


def test_success_resets_failure_count(client, db):
    UserFactory(username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/accounts/logout/")
    r = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    assert r.status_code == 200  # counting starts again; not locked
    assert (
        client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
        == 302
    )


def test_api_token_endpoint_is_limited_too(client, db):
    UserFactory(username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        r = client.post(
            "/api/accounts/token",
            {"username": "ada", "password": "x"},
            content_type="application/json",
        )
        assert r.status_code == 401
    r = client.post(
        "/api/accounts/token",
        {"username": "ada", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 429


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=7)
def test_one_address_guessing_many_accounts_is_locked(client, db):
    for name in ("ada", "bob", "cy"):
        UserFactory(username=name)
    attempts = [("ada", 3), ("bob", 3), ("cy", 1)]  # 7 failures, none reaches 5 per name
    for name, n in attempts:
        for _ in range(n):
            r = client.post("/accounts/login/", {"username": name, "password": "wrong"})
            assert r.status_code == 200
    r = client.post("/accounts/login/", {"username": "cy", "password": PASSWORD})
    assert r.status_code == 429
    other = client.post(
        "/accounts/login/", {"username": "cy", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert other.status_code == 302


@override_settings(LOGIN_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_behind_a_proxy_the_forwarded_client_is_counted(client, db):
    UserFactory(username="ada")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "ada", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.5",
            **proxy,
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "ada", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    assert locked.status_code == 429
    # another client through the same proxy is not locked out by the first one
    r = client.post(
        "/accounts/login/",
        {"username": "ada", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **proxy,
    )
    assert r.status_code == 302


def test_export_holds_proposals_and_founded_communities(community, founder):
    make_proposal(community, person=founder, kind="resolution", title="Mine", body="Why")
    data = export_data(founder, person=founder)
    assert data["communities_founded"] == ["riverside"]
    [mine] = data["proposals"]
    assert (mine["title"], mine["body"], mine["status"]) == ("Mine", "Why", "open")


def test_export_lists_token_names_not_secrets(community, founder):
    from secession.web.apps.accounts.actions import issue_token

    secret = issue_token(founder, person=founder, name="phone")
    data = export_data(founder, person=founder)
    assert [t["name"] for t in data["api_tokens"]] == ["phone"]
    assert secret not in json.dumps(data)
    assert "account.token_created" in [e["action"] for e in data["audit_entries"]]
