"""Audit endpoints: read the log (public) and verify the chain."""

from __future__ import annotations

from ninja import Router, Schema

from secession.web.apiauth import After, Id, reader, require
from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.audit.present import actor_names, entry_data

router = Router(tags=["audit"])


class EntryOut(Schema):
    seq: int
    created_at: str | None  # null: the stored date was edited into something unreadable
    actor_id: int | None
    actor: str
    action: str
    community_id: int | None
    target_type: str
    target_id: str
    data: dict | None
    readable: bool
    raw_data: str | None
    prev_hash: str
    hash: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    head_hash: str
    broken_seq: int | None
    reason: str


@router.get("", response=list[EntryOut], auth=None)
def entries(request, community_id: Id | None = None, after: After = 0, limit: Id = 500):
    """Entries in order (``after``: last seq already read; at most ``limit``)."""
    require(reader(request), "audit.view_log")
    rows = AuditEntry.objects.filter(seq__gt=after)
    if community_id is not None:
        rows = rows.filter(community_id=community_id)
    rows = list(rows.order_by("seq")[: max(1, min(limit, 5000))])
    names = actor_names(rows)
    return [_entry(r, names) for r in rows]


def _entry(r: AuditEntry, names: dict[int | None, str]) -> dict:
    """One row; ``readable`` false (``data`` null, ``raw_data`` the stored text) when its
    details are not a JSON object, i.e. the row was tampered with."""
    data = entry_data(r)
    return {
        "seq": r.seq,
        "created_at": r.created_at.isoformat() if r.created_at is not None else None,
        "actor_id": r.actor_id,
        "actor": names.get(r.actor_id, ""),
        "action": r.action,
        "community_id": r.community_id,
        "target_type": r.target_type,
        "target_id": r.target_id,
        "data": data,
        "readable": data is not None,
        "raw_data": None if data is not None else r.data,
        "prev_hash": r.prev_hash,
        "hash": r.hash,
    }


@router.get("/verify", response=VerifyOut, auth=None)
def verify_chain(request):
    require(reader(request), "audit.view_log")
    result = verify()
    return {
        "ok": result.ok,
        "checked": result.checked,
        "head_hash": result.head_hash,
        "broken_seq": result.broken_seq,
        "reason": result.reason,
    }
