# ruff: noqa: RUF012
"""Move an existing hash chain into the Merkle tree without losing an entry.

The old chain is verified first (each entry's SHA-256 of the previous hash and its
canonical JSON, as the old code computed it); a broken chain stops the migration, naming
the entry, unless ``SECESSION_AUDIT_ACCEPT_BROKEN_CHAIN=1`` says to carry it over as it is
(the ``audit.migrated`` entry then records that). Every entry keeps its number and content
and becomes a leaf; one ``audit.migrated`` entry is appended holding the old chain's head
hash, so anyone who noted that hash can find it in the new log. The functions here are
frozen copies: later changes to the app do not change what this migration did.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC

from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
STRIDE = 4
CHUNK = 2000


def _old_canonical(e) -> str:
    payload = {
        "seq": e.seq,
        "created_at": e.created_at.astimezone(UTC).isoformat(),
        "actor_id": e.actor_id,
        "action": e.action,
        "community_id": e.community_id,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "data": json.loads(e.data),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _old_hash(prev: str, e) -> str:
    return hashlib.sha256((prev + _old_canonical(e)).encode("utf-8")).hexdigest()


def _leaf_hash(e) -> str:
    payload = {
        "seq": e.seq,
        "created_at": e.created_at.astimezone(UTC).isoformat(),
        "actor_id": e.actor_id,
        "action": e.action,
        "community_id": e.community_id,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "data": json.loads(e.data),
    }
    if e.salt:
        payload["salt"] = e.salt
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(b"\x00" + text.encode("ascii")).hexdigest()


class _Frontier:
    def __init__(self):
        self.size, self.hashes, self.completed = 0, [], []

    def append(self, leaf: bytes) -> None:
        self.completed = []
        self.hashes.append(leaf)
        index, level = self.size, 0
        while index & 1:
            right, left = self.hashes.pop(), self.hashes.pop()
            self.hashes.append(hashlib.sha256(b"\x01" + left + right).digest())
            index, level = index >> 1, level + 1
            self.completed.append((level, index, self.hashes[-1]))
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return hashlib.sha256(b"").digest()
        acc = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            acc = hashlib.sha256(b"\x01" + h + acc).digest()
        return acc


def _problem(row, expected_seq: int, prev: str) -> str:
    if row.seq != expected_seq:
        return f"sequence number {row.seq} where {expected_seq} was expected"
    if row.prev_hash != prev:
        return "its previous-hash does not match the entry before it"
    try:
        if _old_hash(prev, row) != row.hash:
            return "its content does not match its hash (edited)"
    except (ValueError, AttributeError):
        return "its content cannot be read back (edited)"
    return ""


def forward(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Node = apps.get_model("audit", "AuditNode")
    Head = apps.get_model("audit", "AuditHead")
    db = schema_editor.connection.alias
    accept_broken = os.environ.get("SECESSION_AUDIT_ACCEPT_BROKEN_CHAIN") == "1"
    frontier, prev, broken = _Frontier(), GENESIS, ""
    table = Entry._meta.db_table
    updates, nodes = [], []

    def flush():
        if updates:
            with schema_editor.connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET leaf_hash = %s WHERE id = %s", updates)
            updates.clear()
        if nodes:
            Node.objects.using(db).bulk_create(nodes)
            nodes.clear()

    for row in Entry.objects.using(db).order_by("id").iterator(chunk_size=CHUNK):
        problem = _problem(row, frontier.size + 1, prev)
        if problem and not broken:
            broken = f"entry {row.seq} (row id {row.id}): {problem}"
            if not accept_broken:
                raise RuntimeError(
                    f"the audit log's hash chain is broken at {broken}; the migration to the "
                    "Merkle tree stops so that nothing tampered with is signed. Investigate "
                    "(restore a backup), or set SECESSION_AUDIT_ACCEPT_BROKEN_CHAIN=1 to carry "
                    "the log over as it is (recorded in the audit.migrated entry)"
                )
        if row.seq != frontier.size + 1:
            raise RuntimeError(
                f"the audit log's entries are not numbered 1, 2, 3, ... (entry {row.seq} at "
                f"position {frontier.size + 1}): they cannot become a tree in that order"
            )
        leaf = _leaf_hash(row)
        updates.append((leaf, row.id))
        frontier.append(bytes.fromhex(leaf))
        nodes.extend(
            Node(level=lv, index=ix, hash=h.hex())
            for lv, ix, h in frontier.completed
            if lv % STRIDE == 0
        )
        prev = row.hash
        if len(updates) >= CHUNK:
            flush()
    flush()
    head = Head.objects.using(db).filter(pk=1).first()
    old_head = {"size": head.size, "hash": head.root} if head else None
    if head is not None and (head.size != frontier.size or head.root != prev) and not broken:
        broken = (
            f"the old head records {head.size} entries ending in {head.root}, the chain has "
            f"{frontier.size} ending in {prev}"
        )
        if not accept_broken:
            raise RuntimeError(
                f"the audit log's hash chain does not match its head: {broken}; set "
                "SECESSION_AUDIT_ACCEPT_BROKEN_CHAIN=1 to carry it over as it is"
            )
    if frontier.size == 0:  # nothing recorded yet: the first record makes the head
        Head.objects.using(db).all().delete()
        return
    marker = Entry(
        seq=frontier.size + 1,
        created_at=timezone.now(),
        actor_id=None,
        action="audit.migrated",
        community_id=None,
        target_type="",
        target_id="",
        data=json.dumps(
            {
                "from": "SHA-256 hash chain",
                "to": "RFC 9162 Merkle tree",
                "entries": frontier.size,
                "chain_head": prev,
                "old_head": old_head,
                "broken": broken or None,
            },
            sort_keys=True,
            separators=(",", ":"),
        ),
        salt="",
        prev_hash=prev,
        hash=hashlib.sha256(f"audit.migrated:{prev}".encode()).hexdigest(),
    )
    marker.leaf_hash = _leaf_hash(marker)
    marker.save(using=db)
    frontier.append(bytes.fromhex(marker.leaf_hash))
    Node.objects.using(db).bulk_create(
        [
            Node(level=lv, index=ix, hash=h.hex())
            for lv, ix, h in frontier.completed
            if lv % STRIDE == 0
        ]
    )
    Head.objects.using(db).update_or_create(
        pk=1,
        defaults={
            "size": frontier.size,
            "root": frontier.root().hex(),
            "frontier": ",".join(h.hex() for h in frontier.hashes),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_merkle_schema")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
