"""The stored tree: roots, inclusion and consistency proofs for every size, from the API,
checked with the RFC 9162 verifiers; signed heads; private entries; the page's cost."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction
from django.test import Client

from secession.transparency import merkle
from secession.transparency.checkpoint import Verifier
from secession.web.apps.accounts.actions import issue_token
from secession.web.apps.audit import tree
from secession.web.apps.audit.leaf import leaf_text
from secession.web.apps.audit.log import head, record, signed_head, verify
from secession.web.apps.audit.models import AuditEntry, AuditNode

N = 300  # past 256, so stored subtrees of two levels (16 and 256 leaves) are used
M = 120  # more than a page of the audit log


def _entries(n: int) -> list[bytes]:
    for i in range(n):
        with transaction.atomic():
            record("test.entry", data={"i": i, "text": "é" if i % 7 == 0 else "x"})
    return [
        bytes.fromhex(h)
        for h in AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)
    ]


@pytest.fixture
def many(db):
    return _entries(N)


@pytest.fixture
def some(db):
    return _entries(M)


def test_the_stored_tree_gives_the_rfc_root_and_proofs_at_every_size(many):
    assert AuditNode.objects.filter(level=8).count() == 1
    assert AuditNode.objects.count() == N // 16 + N // 256
    roots = [merkle.root_of(many[:m]) for m in range(N + 1)]
    assert head().root == roots[N].hex()
    for m in range(N + 1):
        assert tree.root_at(m) == roots[m]
        path = tree.consistency_proof(m, N)
        assert merkle.verify_consistency(m, N, roots[m], roots[N], path), m
    for seq in range(1, N + 1):
        proof = tree.inclusion_proof(seq)
        assert merkle.verify_inclusion(proof.leaf_hash, seq - 1, N, proof.path, roots[N])
    for size in (1, 17, 256, 257):
        for seq in (1, size // 2 + 1, size):
            proof = tree.inclusion_proof(seq, size)
            assert merkle.verify_inclusion(many[seq - 1], seq - 1, size, proof.path, roots[size])
    assert verify().ok


def test_a_proof_reads_a_bounded_number_of_rows(many, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        tree.inclusion_proof(N // 3)
    with django_assert_max_num_queries(4):
        tree.consistency_proof(77, N)


def test_the_api_proofs_verify_against_the_signed_head(some):
    client = Client()
    doc = client.get("/api/audit/head").json()
    verifier = Verifier.parse(doc["verifier_key"])
    checkpoint = verifier.open(doc["checkpoint"])
    assert checkpoint.size == M == doc["tree_size"] and checkpoint.root.hex() == doc["root_hash"]
    assert client.get("/api/audit/head").json()["checkpoint"] == doc["checkpoint"]  # stable
    proof = client.get("/api/audit/proof/inclusion", {"seq": 93}).json()
    rows = client.get("/api/audit", {"after": 92, "limit": 1}).json()
    leaf = rows[0]["leaf"].encode()
    assert hashlib.sha256(b"\x00" + leaf).hexdigest() == rows[0]["leaf_hash"] == proof["leaf_hash"]
    path = [bytes.fromhex(h) for h in proof["path"]]
    assert merkle.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), 92, M, path, checkpoint.root)
    old = tree.root_at(100)
    proof = client.get("/api/audit/proof/consistency", {"first": 100}).json()
    path = [bytes.fromhex(h) for h in proof["path"]]
    assert proof["second"] == M
    assert merkle.verify_consistency(100, M, old, checkpoint.root, path)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/audit/proof/inclusion", {"seq": M + 1}),
        ("/api/audit/proof/inclusion", {"seq": 0}),
        ("/api/audit/proof/inclusion", {"seq": 5, "tree_size": M + 9}),
        ("/api/audit/proof/consistency", {"first": 10, "second": 5}),
        ("/api/audit/proof/consistency", {"first": -1}),
        ("/api/audit/proof/inclusion", {"seq": "abc"}),
        ("/api/audit/proof/inclusion", {"seq": 2**70}),
        ("/api/audit", {"after": 2**70}),
        ("/api/audit", {"community_id": -(2**70)}),
        ("/api/audit", {"limit": 0}),
    ],
)
def test_proofs_of_what_the_log_does_not_hold_are_a_clear_400(some, url, params):
    r = Client().get(url, params)
    assert r.status_code in (400, 422) and r["Content-Type"].startswith("application/json")
    assert r.json()["detail"]


def test_the_head_without_a_key_is_a_clear_503(some, settings):
    settings.AUDIT_SIGNING_KEY, settings.AUDIT_SIGNING_KEY_FILE = "", ""
    r = Client().get("/api/audit/head")
    assert r.status_code == 503 and "secession audit keygen" in r.json()["detail"]
    page = Client().get("/audit/").content.decode()
    assert "Not signed: no audit signing key is configured" in page


def test_private_entries_show_only_their_hash_to_others(founder, outsider):
    issue_token(founder, person=founder, name="laptop")
    entry = AuditEntry.objects.get(action="account.token_created")
    assert len(entry.salt) == 32 and f'"salt":"{entry.salt}"' in leaf_text(entry)
    anonymous = Client().get("/api/audit").json()
    mine = Client()
    mine.force_login(founder)
    other = Client()
    other.force_login(outsider)
    for rows in (anonymous, other.get("/api/audit").json()):
        row = next(r for r in rows if r["seq"] == entry.seq)
        assert row["private"] and not row["readable"] and row["leaf"] is None
        assert row["action"] == "" and row["data"] is None and row["actor_id"] is None
        assert row["leaf_hash"] == entry.leaf_hash
        assert "laptop" not in json.dumps(rows)
    own = next(r for r in mine.get("/api/audit").json() if r["seq"] == entry.seq)
    assert own["action"] == "account.token_created" and own["data"] == {"name": "laptop"}
    assert hashlib.sha256(b"\x00" + own["leaf"].encode()).hexdigest() == entry.leaf_hash
    for client, sees in ((Client(), False), (other, False), (mine, True)):
        html = client.get("/audit/").content.decode()
        assert ("account.token_created" in html) is sees
        assert entry.leaf_hash in html or sees
    assert verify().ok


def test_the_page_costs_the_same_for_any_log_size(some, django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(12):
        r = client.get("/audit/")
    html = r.content.decode()
    assert f'id="entry-{M}"' in html and f'id="entry-{M - 99}"' in html
    assert f'id="entry-{M - 100}"' not in html and f"?before={M - 99}" in html
    older = client.get("/audit/", {"before": M - 99}).content.decode()
    assert f'id="entry-{M - 100}"' in older and "?after=" in older
    assert client.get("/audit/", {"before": "x' or 1=1"}).status_code == 200
    footer = client.get("/communities/").content.decode()
    assert f"{M} entries" in footer and head().root[:10] in footer


def test_signed_head_matches_the_tree(some):
    doc = signed_head()
    assert doc["tree_size"] == M and doc["root_hash"] == head().root
    assert doc["origin"].startswith("secession-audit/")
    assert doc["last_entry_at"] == AuditEntry.objects.get(seq=M).created_at.isoformat()


def test_the_data_export_carries_the_signed_head_and_each_leaf(founder):
    from secession.web.apps.accounts.actions import export_data

    issue_token(founder, person=founder, name="laptop")
    data = export_data(founder, person=founder)
    assert data["audit_head"]["tree_size"] == head().size
    Verifier.parse(data["audit_head"]["verifier_key"]).open(data["audit_head"]["checkpoint"])
    for e in data["audit_entries"]:
        assert hashlib.sha256(b"\x00" + e["leaf"].encode()).hexdigest() == e["leaf_hash"]
        proof = tree.inclusion_proof(e["seq"])
        path = proof.path
        root = bytes.fromhex(data["audit_head"]["root_hash"])
        assert merkle.verify_inclusion(
            bytes.fromhex(e["leaf_hash"]), e["seq"] - 1, head().size, path, root
        )
    assert "account.token_created" in [e["action"] for e in data["audit_entries"]]


def test_a_persons_choice_of_notices_is_private_to_them(founder, outsider):
    from secession.web.apps.notifications import actions as notices

    notices.set_preferences(
        person=founder, email="f@example.org", on_open=True, on_reminder=False, on_result=True
    )
    entry = AuditEntry.objects.get(action="notices.preferences_changed")
    assert entry.salt
    other = Client()
    other.force_login(outsider)
    row = next(r for r in other.get("/api/audit").json() if r["seq"] == entry.seq)
    assert row["private"] and not row["readable"] and row["data"] is None
    mine = Client()
    mine.force_login(founder)
    row = next(r for r in mine.get("/api/audit").json() if r["seq"] == entry.seq)
    assert row["readable"] and row["data"] == {"open": True, "reminder": False, "result": True}
