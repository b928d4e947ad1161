"""`secession backup` and `secession restore`: a documented archive, restored into an empty
database (SQLite, and PostgreSQL when the suite runs there), the log checked after."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from secession.web.apps.audit.log import head
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.proposals.actions import cast_vote, make_proposal

from .factories import UserFactory, add_member

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def story(community, founder):
    people = [add_member(community, UserFactory(username=f"p{i}")) for i in range(3)]
    secret = make_proposal(
        community,
        person=founder,
        kind="declare_independence",
        title="Go",
        payload={"from_name": "Old Country"},
    )
    for person, choice in zip([founder, *people], ["yes", "yes", "no", "yes"], strict=True):
        cast_vote(secret, person=person, choice=choice)
    public = make_proposal(community, person=founder, kind="resolution", title="Trees")
    cast_vote(public, person=people[0], choice="no")
    return community


@pytest.fixture
def archive(story, cli, tmp_path):
    path = tmp_path / "backup.zip"
    r = cli("backup", path)
    assert r.exit_code == 0, r.output
    assert f"log head {head().size} entries" in r.stdout
    return path


def test_the_archive_is_the_documented_format(archive):
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "secession-backup" and manifest["version"] == 1
        assert manifest["vendor"] == connection.vendor
        assert "0004_drop_hash_chain" in manifest["migrations"]["audit"]
        tables = {t["model"]: t for t in manifest["tables"]}
        entries = tables["audit.auditentry"]
        assert entries["rows"] == AuditEntry.objects.count() == manifest["audit_head"]["tree_size"]
        data = z.read(entries["file"])
        assert hashlib.sha256(data).hexdigest() == entries["sha256"]
        first = json.loads(data.splitlines()[0])
        row = AuditEntry.objects.order_by("pk").first()
        assert dict(zip(entries["columns"], first, strict=True))["created_at"] == (
            row.created_at.isoformat()  # microseconds kept: the leaves depend on them
        )
        assert {"proposals.secretballotpaper", "accounts.user", "sessions.session"} <= set(tables)


def test_a_backup_never_overwrites_a_file(archive, cli):
    r = cli("backup", archive)
    assert r.exit_code == 9 and "already exists" in r.stderr


def test_restoring_into_a_database_that_holds_data_is_refused(archive, cli):
    before = AuditEntry.objects.count()
    r = cli("restore", archive)
    assert r.exit_code == 9 and "already holds data" in r.stderr and "Traceback" not in r.output
    assert AuditEntry.objects.count() == before


def _rewrite(archive: Path, out: Path, edit) -> None:
    """Copy ``archive`` with ``edit(member, bytes) -> bytes`` applied and checksums fixed."""
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        members = {t["file"]: edit(t["file"], z.read(t["file"])) for t in manifest["tables"]}
    for table in manifest["tables"]:
        table["sha256"] = hashlib.sha256(members[table["file"]]).hexdigest()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            z.writestr(name, data)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a zip"), "not a ZIP file"),
        (lambda p: zipfile.ZipFile(p, "w").close(), "no manifest.json"),
        (lambda p: _write(p, {"format": "other"}), "is not a secession-backup archive"),
        (lambda p: _write(p, {"format": "secession-backup", "version": 2}), "version 2"),
    ],
)
def test_a_bad_archive_is_a_clear_error(db, cli, tmp_path, make, message):
    path = tmp_path / "bad.zip"
    make(path)
    r = cli("restore", path)
    assert r.exit_code == 9 and message in r.stderr and "Traceback" not in r.output


def _write(path: Path, manifest: dict) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))


def test_an_altered_member_fails_its_checksum(archive, cli, tmp_path):
    with zipfile.ZipFile(archive) as z:
        manifest = z.read("manifest.json")
        members = {n: z.read(n) for n in z.namelist() if n != "manifest.json"}
    out = tmp_path / "altered.zip"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", manifest)
        for name, data in members.items():
            z.writestr(name, data.replace(b'"yes"', b'"no"'))
    r = cli("restore", out)
    assert r.exit_code == 9 and "does not match its checksum" in r.stderr


# -- into a fresh database, by the real command ------------------------------------------


@pytest.fixture
def target(tmp_path):
    """A new empty database for a restore: a SQLite file, or (when the suite runs on
    PostgreSQL) a new schema of the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    schema = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
    s = connection.settings_dict
    yield (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        f"?options=-c%20search_path%3D{schema}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")


def _secession(args, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECESSION_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "secession.web.config.settings_dev",
        "SECESSION_WEB_DIR": str(tmp_path / "site"),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-c", "from secession.cli import main; main()", *map(str, args)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_checks_the_log(story, cli, tmp_path, target):
    kept = tmp_path / "older-head.json"
    assert cli("audit", "head", "--out", kept).exit_code == 0
    from django.contrib.auth import get_user_model

    later = get_user_model().objects.get(username="p1")  # the log grows after that head
    cast_vote(story.proposals.get(kind="resolution"), person=later, choice="yes")
    archive = tmp_path / "backup.zip"
    assert cli("backup", archive).exit_code == 0
    size, root = head().size, head().root
    r = _secession(["restore", archive, "--against", kept, "--database-url", target], tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"{size} log entries, root {root}" in r.stdout and str(kept) in r.stdout
    assert "tables agree" in r.stdout
    assert "copy the old key file" in r.stderr  # the new site made its own key
    again = _secession(["audit", "verify", "--database-url", target], tmp_path)
    assert again.returncode == 0 and f"root {root}" in again.stdout, again.stderr
    twice = _secession(["restore", archive, "--database-url", target], tmp_path)
    assert twice.returncode == 9 and "already holds data" in twice.stderr
    if target.startswith("sqlite"):
        with sqlite3.connect(target.removeprefix("sqlite:///")) as db:
            (papers,) = db.execute("SELECT COUNT(*) FROM proposals_secretballotpaper").fetchone()
        assert papers == 4


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_archive_does_not_pass_the_backups_signed_head(story, cli, tmp_path, target):
    archive = tmp_path / "backup.zip"
    assert cli("backup", archive).exit_code == 0
    vote = AuditEntry.objects.filter(action="vote.cast", data='{"choice":"no"}').get()

    def edit(member, data):
        """Turn the public 'no' into 'yes' in the log and the ballot, leaf hash recomputed."""
        if member == "tables/proposals.ballot.jsonl":
            return data.replace(b'"no"]', b'"yes"]')
        if member != "tables/audit.auditentry.jsonl":
            return data
        lines = []
        for line in data.splitlines():
            row = json.loads(line)
            if row[0] == vote.pk:
                entry = AuditEntry(**dict(zip(_columns(archive), row, strict=True)))
                entry.data = '{"choice":"yes"}'
                from secession.web.apps.audit.leaf import entry_leaf_hash

                entry.created_at = vote.created_at
                row = [
                    entry.data if c == "data" else entry_leaf_hash(entry) if c == "leaf_hash" else v
                    for c, v in zip(_columns(archive), row, strict=True)
                ]
            lines.append(json.dumps(row).encode())
        return b"\n".join(lines) + b"\n"

    forged = tmp_path / "forged.zip"
    _rewrite(archive, forged, edit)
    r = _secession(["restore", forged, "--database-url", target], tmp_path)
    assert r.returncode == 6, r.stdout + r.stderr
    assert "does not verify" in r.stderr and "do not use this database" in r.stderr


def _columns(archive):
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
    return next(t["columns"] for t in manifest["tables"] if t["model"] == "audit.auditentry")
