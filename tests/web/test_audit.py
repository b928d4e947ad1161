"""The audit log: every action a leaf of a Merkle tree; tampering is found by `audit verify`."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection, transaction
from django.test import Client

from secession.transparency.merkle import root_of
from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.audit.leaf import leaf_text
from secession.web.apps.audit.log import head, record, verify
from secession.web.apps.audit.models import AppendOnlyError, AuditEntry, AuditHead, AuditNode
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals.actions import cast_vote, make_proposal

from .factories import UserFactory, add_member

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def history(community, founder):
    """A small real history: found, join, propose, vote, leave."""
    bob = add_member(community, UserFactory(username="bob"))
    proposal = make_proposal(community, person=founder, kind="resolution", title="Plant trees")
    cast_vote(proposal, person=bob, choice="yes")
    leave_community(community, person=bob)
    return list(AuditEntry.objects.order_by("seq"))


def test_actions_are_chained_in_order(history, founder):
    actions = [e.action for e in history]
    assert actions == [
        "community.founded",
        "membership.joined",
        "rules.installed",
        "constitution.adopted",
        "membership.joined",
        "proposal.opened",
        "vote.cast",
        "membership.left",
    ]
    assert [e.seq for e in history] == list(range(1, 9))
    # Recompute the leaves and the root independently of the module's own helpers.
    leaves = []
    for e in history:
        text = leaf_text(e)
        assert json.loads(text)["seq"] == e.seq and text.isascii()
        assert e.leaf_hash == hashlib.sha256(b"\x00" + text.encode()).hexdigest()
        leaves.append(bytes.fromhex(e.leaf_hash))
    assert head().size == 8 and head().root == root_of(leaves).hex()
    assert history[0].actor_id == founder.pk
    result = verify()
    assert result.ok and result.checked == 8 and result.root == head().root, result.problems


def test_verify_command_ok(history, cli):
    r = cli("audit", "verify")
    assert r.exit_code == 0, r.output
    assert "audit log ok: 8 entries" in r.stdout
    assert (
        "tables agree (accounts, memberships, proposals, constitutions, verifiable, registry, "
        "alliances, translations)" in r.stdout
    )


def _sql(query: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def test_edited_row_is_named(history, cli):
    target = history[4]
    data = json.loads(target.data)
    data["role"] = "leader"
    _sql(f"UPDATE {TABLE} SET data = %s WHERE id = %s", [json.dumps(data), target.id])
    r = cli("audit", "verify")
    assert r.exit_code == 6
    assert "broken at entry 5" in r.stderr and "edited" in r.stderr


def test_row_edited_into_invalid_json_is_named(history, cli):
    _sql(f"UPDATE {TABLE} SET data = %s WHERE id = %s", ["not json{", history[2].id])
    r = cli("audit", "verify")
    assert r.exit_code == 6
    assert "broken at entry 3" in r.stderr and "edited" in r.stderr


# Rows whose details were edited into text that is not a JSON object.
UNREADABLE = ["not json{", "[1, 2]"]


def _client(who: str, users: dict) -> tuple[Client, dict]:
    """A client reading as ``who``: anonymous, a session login, or an API token."""
    client, headers = Client(), {}
    if who.startswith("session:"):
        client.force_login(users[who.split(":")[1]])
    elif who.startswith("token:"):
        headers["HTTP_AUTHORIZATION"] = "Bearer " + create_token(users[who.split(":")[1]])
    return client, headers


READERS = ["anonymous", "session:founder", "session:outsider", "token:founder", "token:outsider"]


@pytest.mark.parametrize("text", UNREADABLE)
@pytest.mark.parametrize("who", READERS)
def test_log_page_marks_an_unreadable_row(history, founder, outsider, who, text):
    _sql(f"UPDATE {TABLE} SET data = %s WHERE id = %s", [text, history[2].id])
    client, headers = _client(who, {"founder": founder, "outsider": outsider})
    r = client.get("/audit/", **headers)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Chain" not in html  # the page verifies nothing itself
    row = html.split('id="entry-3"')[1].split("</li>")[0]
    assert "Unreadable (tampered)" in row and text.replace('"', "&quot;") in row
    assert html.count("Unreadable (tampered)") == 1  # the other seven rows as usual
    assert all(f'id="entry-{seq}"' in html for seq in range(1, 9))


@pytest.mark.parametrize("text", UNREADABLE)
@pytest.mark.parametrize("who", READERS)
def test_log_api_returns_an_unreadable_row_raw(history, founder, outsider, who, text):
    _sql(f"UPDATE {TABLE} SET data = %s WHERE id = %s", [text, history[2].id])
    client, headers = _client(who, {"founder": founder, "outsider": outsider})
    r = client.get("/api/audit", **headers)
    assert r.status_code == 200
    rows = r.json()
    assert [row["seq"] for row in rows] == list(range(1, 9))
    bad = rows[2]
    assert bad["readable"] is False and bad["data"] is None and bad["raw_data"] == text
    assert all(row["readable"] and row["raw_data"] is None for row in rows if row is not bad)
    assert rows[-1]["data"] == {"role": "member"}  # bob left: details as stored
    assert bad["leaf_hash"] == history[2].leaf_hash
    if bad["leaf"] is not None:  # readers see that the shown leaf no longer gives its hash
        assert hashlib.sha256(b"\x00" + bad["leaf"].encode()).hexdigest() != bad["leaf_hash"]
    assert client.get("/api/audit/verify", **headers).status_code == 404  # not on requests


def test_edited_actor_is_named(history, cli):
    target = history[6]  # the vote
    _sql(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [history[0].actor_id, target.id])
    r = cli("audit", "verify")
    assert r.exit_code == 6 and "broken at entry 7" in r.stderr


def test_deleted_middle_row_is_named(history, cli):
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [history[2].id])
    r = cli("audit", "verify")
    assert r.exit_code == 6
    assert "broken at entry 4" in r.stderr and "where 3 was expected" in r.stderr


def test_deleted_last_row_is_found(history, cli):
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [history[-1].id])
    r = cli("audit", "verify")
    assert r.exit_code == 6
    assert "broken at entry 8" in r.stderr and "deleted" in r.stderr


def test_reordered_rows_are_named(history, cli):
    a, b = history[2], history[3]
    cols = ["seq", "created_at", "actor_id", "action", "community_id", "target_type"]
    cols += ["target_id", "data", "salt", "leaf_hash"]
    # swap the full content of two neighbouring rows (each row stays self-consistent)
    for row in (a, b):  # free the unique seq values first
        _sql(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE id = %s", [row.id])
    for row, other in ((a, b), (b, a)):
        values = [getattr(other, c) for c in cols]
        sets = ", ".join(f"{c} = %s" for c in cols)
        _sql(f"UPDATE {TABLE} SET {sets} WHERE id = %s", [*values, row.id])
    assert verify().broken_id == a.id
    r = cli("audit", "verify")
    assert r.exit_code == 6
    assert "broken at entry 4" in r.stderr and f"row id {a.id}" in r.stderr


def test_rows_cannot_be_changed_through_the_orm(history):
    entry = history[0]
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditNode.objects.all().delete()
    assert verify().ok


def test_first_record_is_the_first_leaf(db):
    with transaction.atomic():
        entry = record("test.entry", data={"x": 1})
    assert entry.seq == 1 and entry.salt == ""
    assert AuditHead.objects.get().root == entry.leaf_hash  # a tree of one leaf


@pytest.mark.django_db(transaction=True)
def test_record_requires_the_action_transaction():
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record("test.entry")
    assert AuditEntry.objects.count() == 0


def test_failed_action_leaves_no_audit_row(community, outsider):
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017
        make_proposal(community, person=outsider, kind="resolution", title="x")
    assert AuditEntry.objects.count() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite stores any text in a date")
def test_row_with_an_unreadable_timestamp_is_named_everywhere(history, founder, cli):
    _sql(f"UPDATE {TABLE} SET created_at = %s WHERE id = %s", ["garbage", history[4].id])
    r = cli("audit", "verify")
    assert r.exit_code == 6 and "broken at entry 5" in r.stderr and "Traceback" not in r.output
    client, headers = _client("token:founder", {"founder": founder})
    page = client.get("/audit/")
    assert page.status_code == 200 and "entry-5" in page.content.decode()
    api = client.get("/api/audit", **headers)
    assert api.status_code == 200 and [row["seq"] for row in api.json()] == list(range(1, 9))
    assert api.json()[4]["created_at"] is None
