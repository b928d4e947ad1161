"""Moving an existing hash chain into the Merkle tree (audit migrations 0002-0004): no entry
lost or changed, the old head kept in the log, a broken chain refused."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from secession.transparency.merkle import leaf_hash, root_of
from secession.web.apps.audit.leaf import leaf_bytes
from secession.web.apps.audit.log import head, verify
from secession.web.apps.audit.models import AuditEntry

SRC = Path(__file__).resolve().parents[2] / "src"  # this code, in the subprocesses too
#: a database made by commit 6dfa099's own actions, as SQL text (data/make_pre_merkle_db.py)
OLD_DB = Path(__file__).parent / "data" / "pre_merkle.sql"
GENESIS = "0" * 64


def _old_hash(prev: str, seq, created_at, actor_id, action, community_id, target, data) -> str:
    """The entry hash of the old log (commit 6dfa099's ``audit.log.entry_hash``)."""
    payload = {
        "seq": seq,
        "created_at": created_at.astimezone(UTC).isoformat(),
        "actor_id": actor_id,
        "action": action,
        "community_id": community_id,
        "target_type": target[0],
        "target_id": target[1],
        "data": json.loads(data),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()


def _run(args, env):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the old database is a SQLite file")
def test_a_database_made_by_the_old_code_migrates_and_verifies(tmp_path):
    db = tmp_path / "db.sqlite3"
    with sqlite3.connect(db) as made:
        made.executescript(OLD_DB.read_text(encoding="utf-8"))
    with sqlite3.connect(db) as old:
        before = old.execute(
            "SELECT seq, created_at, actor_id, action, target_id, data FROM audit_auditentry "
            "ORDER BY seq"
        ).fetchall()
        ((old_size, old_head),) = old.execute("SELECT seq, hash FROM audit_audithead")
    assert old_size == len(before) == 36
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECESSION_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "secession.web.config.settings_dev",
        "SECESSION_WEB_DIR": str(tmp_path),
        "SECESSION_DATA": os.environ.get("SECESSION_DATA", ""),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    migrated = _run([sys.executable, "-m", "django", "migrate", "--no-input"], env)
    assert migrated.returncode == 0, migrated.stderr
    assert "audit.0003_chain_to_merkle... OK" in migrated.stdout
    with sqlite3.connect(db) as new:
        after = new.execute(
            "SELECT seq, created_at, actor_id, action, target_id, data FROM audit_auditentry "
            "ORDER BY seq"
        ).fetchall()
    assert after[:36] == before  # every entry kept, unchanged
    marker = after[36]
    assert marker[3] == "audit.migrated"
    details = json.loads(marker[5])
    assert details["chain_head"] == old_head and details["entries"] == 36
    assert details["broken"] is None
    cli = [sys.executable, "-c", "from secession.cli import main; main()"]
    check = _run([*cli, "audit", "verify"], env)
    assert check.returncode == 0, check.stderr
    assert "audit log ok: 37 entries" in check.stdout and "tables agree" in check.stdout
    signed = _run([*cli, "audit", "head"], env)
    assert signed.returncode == 0 and json.loads(signed.stdout)["tree_size"] == 37
    assert (tmp_path / "audit_signing_key.pem").stat().st_mode & 0o777 == 0o600


ACTIONS = [("test.one", {"a": 1}), ("test.two", {"b": "é"}), ("test.three", {})] * 7


@pytest.fixture
def old_schema(transactional_db):
    """The audit tables as the old code had them (migration 0001), empty; put back after."""
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    apps = executor.loader.project_state([("audit", "0001_initial")]).apps
    yield apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _write_old_chain(apps, *, tamper_at: int | None = None) -> str:
    Entry, Head = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditHead")
    prev, start = GENESIS, datetime(2026, 11, 1, tzinfo=UTC)
    for i, (action, data) in enumerate(ACTIONS, start=1):
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        when = start + timedelta(minutes=i, microseconds=i)
        digest = _old_hash(prev, i, when, 7, action, 3, ("community", "3"), text)
        Entry.objects.create(
            seq=i,
            created_at=when,
            actor_id=7,
            action=action,
            community_id=3,
            target_type="community",
            target_id="3",
            data=text if i != tamper_at else '{"a":2}',
            prev_hash=prev,
            hash=digest,
        )
        prev = digest
    Head.objects.update_or_create(pk=1, defaults={"seq": len(ACTIONS), "hash": prev})
    return prev


def _migrate_forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_old_chain_becomes_the_first_leaves(old_schema):
    old_head = _write_old_chain(old_schema)
    _migrate_forward()
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [(e.seq, e.action) for e in entries[:-1]] == [
        (i, a) for i, (a, _) in enumerate(ACTIONS, start=1)
    ]
    assert json.loads(entries[1].data) == {"b": "é"}
    marker = entries[-1]
    assert marker.action == "audit.migrated" and json.loads(marker.data)["chain_head"] == old_head
    leaves = [leaf_hash(leaf_bytes(e)) for e in entries]
    assert [e.leaf_hash for e in entries] == [h.hex() for h in leaves]
    assert head().size == len(ACTIONS) + 1 and head().root == root_of(leaves).hex()
    result = verify(tables=False)
    assert result.ok, result.problems


def test_a_broken_old_chain_stops_the_migration(old_schema, monkeypatch):
    _write_old_chain(old_schema, tamper_at=4)
    with pytest.raises(RuntimeError, match=r"broken at entry 4 .*edited"):
        _migrate_forward()
    monkeypatch.setenv("SECESSION_AUDIT_ACCEPT_BROKEN_CHAIN", "1")
    _migrate_forward()
    marker = AuditEntry.objects.get(action="audit.migrated")
    assert json.loads(marker.data)["broken"].startswith("entry 4 ")
    assert verify(tables=False).ok  # carried over as it was, and said so in the log
