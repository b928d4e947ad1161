"""Write and verify the hash chain.

``record`` must be called inside the transaction of the change it describes (the action
functions do), so the change and its audit row commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from secession.web.apps.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical(entry: AuditEntry) -> str:
    """Canonical JSON of the entry's content (sorted keys, no spaces, UTC timestamp).

    Raises ``ValueError`` for a row edited into values that cannot be read back (a date
    that is not a date, details that are not JSON)."""
    if entry.created_at is None:
        raise ValueError(f"entry {entry.seq}: its timestamp cannot be read")
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "community_id": entry.community_id,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": json.loads(entry.data),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another transaction created it first
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def hold() -> None:
    """Take the log's append lock now, for the rest of the transaction.

    Every action that records takes this lock at its first :func:`record`, so a
    transaction that locks rows *before* recording could wait for one that records first
    and then wants the same rows (a deadlock on PostgreSQL). Such a transaction calls
    ``hold()`` first: the lock order is then always the log, then the rows.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.hold must be called inside the action's transaction")
    _locked_head()


def record(
    action: str,
    *,
    actor: Any = None,
    community: Any = None,
    target: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the action's transaction")
    head = _locked_head()
    entry = AuditEntry(
        seq=head.seq + 1,
        # microsecond precision survives every backend's round trip
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        community_id=getattr(community, "pk", None),
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=json.dumps(data or {}, sort_keys=True, separators=(",", ":"), default=str),
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(head.hash, entry)
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


def _hash_matches(row: AuditEntry) -> bool:
    try:
        return entry_hash(row.prev_hash, row) == row.hash
    except ValueError:  # its data was edited into text that is not JSON
        return False


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`: ``ok``, entries checked, the first broken one and why."""

    ok: bool
    checked: int
    head_hash: str
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def verify() -> VerifyResult:
    """Recompute the chain in storage order; name the first entry that does not fit.

    Detects an edited row (its hash no longer matches its content), a deleted row (a gap
    in the sequence or a previous-hash mismatch, or a chain shorter than the head says),
    and reordered rows (sequence numbers out of storage order).
    """
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    rows = AuditEntry.objects.order_by("id").iterator(chunk_size=2000)
    for row in rows:
        problem = ""
        if row.seq != expected_seq:
            problem = f"sequence number {row.seq} where {expected_seq} was expected"
        elif row.prev_hash != expected_prev:
            problem = "its previous-hash does not match the entry before it"
        elif not _hash_matches(row):
            problem = "its content does not match its hash (edited)"
        if problem:
            return VerifyResult(False, checked, expected_prev, row.seq, row.id, problem)
        expected_prev, expected_seq = row.hash, row.seq + 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != expected_prev):
        return VerifyResult(
            False,
            checked,
            expected_prev,
            checked + 1,
            None,
            f"the log ends at entry {checked} but the head records {head.seq} entries "
            "(entries at the end were deleted)",
        )
    return VerifyResult(True, checked, expected_prev)
