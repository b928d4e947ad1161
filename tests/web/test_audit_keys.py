"""The signing key: generated (mode 0600) for a local setup, required and checked in
production, made by `secession audit keygen`; and anyone checking a published log over
its API (`secession audit verify --url`), against heads they kept."""

from __future__ import annotations

import importlib
import json
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from secession.transparency.checkpoint import write_new_key


def _production(monkeypatch, tmp_path, **env):
    monkeypatch.setenv("SECESSION_WEB_DIR", str(tmp_path))
    monkeypatch.setenv("SECESSION_SECRET_KEY", "k2Xv9-" * 10)  # strong enough for production
    monkeypatch.setenv("SECESSION_ALLOWED_HOSTS", "vote.example.org")
    for name in ("SECESSION_AUDIT_SIGNING_KEY", "SECESSION_AUDIT_SIGNING_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(importlib.import_module("secession.web.config.settings_production"))


def test_a_local_setup_generates_its_key_file_private(monkeypatch, tmp_path):
    monkeypatch.setenv("SECESSION_WEB_DIR", str(tmp_path))
    monkeypatch.delenv("SECESSION_AUDIT_SIGNING_KEY", raising=False)
    monkeypatch.delenv("SECESSION_AUDIT_SIGNING_KEY_FILE", raising=False)
    dev = importlib.reload(importlib.import_module("secession.web.config.settings_dev"))
    key = tmp_path / "audit_signing_key.pem"
    assert str(key) == dev.AUDIT_SIGNING_KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600 and b"PRIVATE KEY" in key.read_bytes()
    first = key.read_bytes()
    importlib.reload(importlib.import_module("secession.web.config.settings_dev"))
    assert key.read_bytes() == first  # kept, never replaced


def test_production_refuses_to_start_without_a_key(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="secession audit keygen"):
        _production(monkeypatch, tmp_path)


def test_production_refuses_a_key_others_can_read(monkeypatch, tmp_path):
    key = tmp_path / "key.pem"
    write_new_key(key)
    os.chmod(key, 0o644)
    with pytest.raises(ImproperlyConfigured, match=r"readable by others.*chmod 600"):
        _production(monkeypatch, tmp_path, SECESSION_AUDIT_SIGNING_KEY_FILE=str(key))
    os.chmod(key, 0o600)
    prod = _production(monkeypatch, tmp_path, SECESSION_AUDIT_SIGNING_KEY_FILE=str(key))
    assert str(key) == prod.AUDIT_SIGNING_KEY_FILE


@pytest.mark.parametrize("value", ["not a key", "c2hvcnQ="])
def test_production_refuses_a_key_that_is_not_ed25519(monkeypatch, tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="not an Ed25519 private key"):
        _production(monkeypatch, tmp_path, SECESSION_AUDIT_SIGNING_KEY=value)


def test_keygen_writes_a_private_key_and_never_overwrites(cli, tmp_path):
    path = tmp_path / "audit.pem"
    r = cli("audit", "keygen", path)
    assert r.exit_code == 0 and "SECESSION_AUDIT_SIGNING_KEY_FILE" in r.stdout
    assert path.stat().st_mode & 0o777 == 0o600
    again = cli("audit", "keygen", path)
    assert again.exit_code != 0 and "already exists" in again.stderr
    missing = cli("audit", "keygen", tmp_path / "no" / "such" / "dir.pem")
    assert missing.exit_code != 0 and "cannot write" in missing.stderr


def test_a_missing_head_file_is_a_clear_error(cli, tmp_path, db):
    r = cli("audit", "verify", "--against", tmp_path / "nope.json")
    assert r.exit_code != 0 and "cannot read the kept head" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    r = cli("audit", "verify", "--against", bad)
    assert r.exit_code == 6 and "bad.json" in r.stderr and "Traceback" not in r.output


# -- anyone, over the API ------------------------------------------------------------------


@pytest.fixture
def published(live_server, community, founder, cli, tmp_path):
    from secession.web.apps.proposals.actions import cast_vote, make_proposal

    from .factories import add_member

    people = [add_member(community) for _ in range(3)]
    proposal = make_proposal(community, person=founder, kind="resolution", title="Trees")
    for person in people:
        cast_vote(proposal, person=person, choice="yes")
    kept = tmp_path / "head.json"
    assert cli("audit", "head", "--out", kept).exit_code == 0
    return live_server.url, kept, proposal


def test_anyone_proves_the_published_log_extends_a_kept_head(published, cli, founder):
    from secession.web.apps.communities.actions import leave_community
    from secession.web.apps.communities.models import Community

    url, kept, _ = published
    first = cli("audit", "verify", "--url", url)
    assert first.exit_code == 0 and "the site's own key was trusted" in first.stderr
    leave_community(Community.objects.get(), person=founder)  # the log grows
    r = cli("audit", "verify", "--url", url, "--against", kept, "--full")
    assert r.exit_code == 0, r.output
    assert "consistency proof verified" in r.stdout and "entries recomputed" in r.stdout


def test_anyone_finds_a_rewritten_published_log(published, cli):
    from secession.web.apps.audit.models import AuditEntry

    from .test_audit_attacks import ENTRIES, _rebuild_tree, _sql

    url, kept, _ = published
    vote = AuditEntry.objects.filter(action="vote.cast").first()
    _sql(f"UPDATE {ENTRIES} SET data = %s WHERE id = %s", ['{"choice":"no"}', vote.id])
    _rebuild_tree()  # the server now signs the rewritten tree: the kept head still shows
    r = cli("audit", "verify", "--url", url, "--against", kept)
    assert r.exit_code == 6 and "no longer begins with what that head showed" in r.stderr
    full = cli("audit", "verify", "--url", url, "--against", kept, "--full")
    assert full.exit_code == 6


def test_an_unreachable_site_is_a_clear_error(cli):
    r = cli("audit", "verify", "--url", "http://127.0.0.1:9/")
    assert r.exit_code == 7 and "cannot reach" in r.stderr
    r = cli("audit", "verify", "--url", "ftp://example")
    assert r.exit_code == 7 and "not a site address" in r.stderr


def test_private_entries_keep_the_published_tree_checkable(published, cli, founder):
    from secession.web.apps.accounts.actions import issue_token

    url, kept, _ = published
    issue_token(founder, person=founder, name="laptop")
    r = cli("audit", "verify", "--url", url, "--against", kept, "--full")
    assert r.exit_code == 0, r.output
    assert json.loads(kept.read_text())["tree_size"] > 0
