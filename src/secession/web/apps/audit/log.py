"""The audit log's public API: append, head, signed head, proofs, verification.

``record`` must be called inside the transaction of the change it describes (the action
functions do), so the change and its audit row commit or roll back together. Other apps
(the verifiable ballots' bulletin board among them) use only the names in ``__all__``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from secession.transparency import merkle
from secession.transparency.checkpoint import Checkpoint, head_document
from secession.web.apps.audit import keys, tree
from secession.web.apps.audit.leaf import entry_leaf_hash
from secession.web.apps.audit.models import AuditEntry, AuditHead, AuditNode
from secession.web.apps.audit.privacy import is_private
from secession.web.apps.audit.verify import VerifyResult, verify

__all__ = [
    "Head",
    "LogBrokenError",
    "VerifyResult",
    "consistency_proof",
    "head",
    "inclusion_proof",
    "record",
    "signed_head",
    "verify",
]

inclusion_proof = tree.inclusion_proof
consistency_proof = tree.consistency_proof


class LogBrokenError(RuntimeError):
    """The log cannot be appended to (its head row is missing while entries exist)."""


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        if AuditEntry.objects.exists():
            raise LogBrokenError(
                "the audit log's head row is missing while entries exist: nothing can be "
                "recorded until it is restored (run `secession audit verify`)"
            )
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1, root=merkle.EMPTY_ROOT.hex())
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
    frontier = merkle.Frontier.from_text(head.size, head.frontier)
    entry = AuditEntry(
        seq=head.size + 1,
        # microsecond precision survives every backend's round trip
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        community_id=getattr(community, "pk", None),
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=json.dumps(data or {}, sort_keys=True, separators=(",", ":"), default=str),
        salt=secrets.token_hex(16) if is_private(action) else "",
    )
    entry.leaf_hash = entry_leaf_hash(entry)
    entry.save()
    frontier.append(bytes.fromhex(entry.leaf_hash))
    nodes = tree.stored_node_rows(frontier)
    if nodes:
        AuditNode.objects.bulk_create(nodes)
    head.size, head.root, head.frontier = frontier.size, frontier.root().hex(), frontier.to_text()
    head.save(update_fields=["size", "root", "frontier"])
    return entry


@dataclass(frozen=True)
class Head:
    """The tree's size and root as stored (unsigned)."""

    size: int
    root: str


def head() -> Head:
    row = AuditHead.objects.filter(pk=1).first()
    if row is None:
        return Head(0, merkle.EMPTY_ROOT.hex())
    return Head(row.size, row.root)


def signed_head() -> dict[str, Any]:
    """The current head, signed (the JSON document ``secession audit head`` prints).

    Raises :class:`keys.SigningKeyError` when no signing key is configured."""
    current = head()
    signer = keys.signer()
    last = AuditEntry.objects.filter(seq=current.size).values_list("created_at", flat=True)
    when = next(iter(last), None)
    return head_document(
        signer,
        Checkpoint(signer.name, current.size, bytes.fromhex(current.root)),
        last_entry_at=when.isoformat() if when else None,
    )
