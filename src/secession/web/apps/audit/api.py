"""Audit endpoints: read the log (public; private account entries as their leaf hash only),
its signed head, and inclusion and consistency proofs (RFC 9162) to check it against."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from secession.web.apiauth import reader, require
from secession.web.apps.audit import log
from secession.web.apps.audit.keys import SigningKeyError
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.audit.present import (
    actor_names,
    entry_row,
    visible_entries,
)
from secession.web.apps.audit.tree import TreeSizeError

router = Router(tags=["audit"])

BIG = 2**63 - 1  # what a database integer holds: larger numbers are refused with a 422


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """A parameter out of range or not a number (Django Ninja's validation errors)."""

    detail: list[dict]


class EntryOut(Schema):
    seq: int
    private: bool  # an account's own event: its content is shown to that account only
    readable: bool  # false: private and not yours, or its stored details were tampered with
    created_at: str | None
    actor_id: int | None
    actor: str
    action: str
    community_id: int | None
    target_type: str
    target_id: str
    data: dict | None
    raw_data: str | None  # the stored text, when it is not a JSON object (tampered)
    leaf: str | None  # the canonical JSON whose SHA-256(0x00 || leaf) is leaf_hash
    leaf_hash: str


class HeadOut(Schema):
    origin: str
    tree_size: int
    root_hash: str
    checkpoint: str  # C2SP signed note: origin, size, base64 root; then the signature
    verifier_key: str
    key_id: str
    public_key: str
    algorithm: str
    last_entry_at: str | None


class InclusionOut(Schema):
    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    path: list[str]


class ConsistencyOut(Schema):
    first: int
    second: int
    path: list[str]


@router.get("", response={200: list[EntryOut], 422: InvalidOut}, auth=None)
def entries(
    request,
    community_id: int | None = Query(None, ge=0, le=BIG),
    after: int = Query(0, ge=0, le=BIG),
    limit: int = Query(500, ge=1, le=1000),
):
    """Entries in order (``after``: last seq already read; at most ``limit``, up to 1000)."""
    who = reader(request)
    require(who, "audit.view_log")
    rows = AuditEntry.objects.filter(seq__gt=after)
    if community_id is not None:
        rows = rows.filter(community_id=community_id)
    rows = list(rows.order_by("seq")[:limit])
    names = actor_names(rows)
    return [entry_row(r, ok, names) for r, ok in visible_entries(rows, who)]


@router.get("/head", response={200: HeadOut, 503: ErrorOut}, auth=None)
def head(request):
    """The current signed tree head (keep it: ``secession audit verify --against`` proves
    later that the log still extends it)."""
    require(reader(request), "audit.view_log")
    try:
        return log.signed_head()
    except SigningKeyError as exc:
        raise HttpError(503, f"this site cannot sign its log's head: {exc}") from None


@router.get(
    "/proof/inclusion", response={200: InclusionOut, 400: ErrorOut, 422: InvalidOut}, auth=None
)
def inclusion(
    request, seq: int = Query(..., ge=1, le=BIG), tree_size: int | None = Query(None, ge=0, le=BIG)
):
    """Proof that entry ``seq`` is in the tree of ``tree_size`` entries (default: now)."""
    require(reader(request), "audit.view_log")
    try:
        proof = log.inclusion_proof(seq, tree_size)
    except TreeSizeError as exc:
        raise HttpError(400, str(exc)) from None
    return {
        "seq": proof.seq,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "leaf_hash": proof.leaf_hash.hex(),
        "path": [h.hex() for h in proof.path],
    }


@router.get(
    "/proof/consistency", response={200: ConsistencyOut, 400: ErrorOut, 422: InvalidOut}, auth=None
)
def consistency(
    request, first: int = Query(..., ge=0, le=BIG), second: int | None = Query(None, ge=0, le=BIG)
):
    """Proof that the tree of ``second`` entries (default: now) extends that of ``first``."""
    require(reader(request), "audit.view_log")
    try:
        second = log.head().size if second is None else second
        path = log.consistency_proof(first, second)
    except TreeSizeError as exc:
        raise HttpError(400, str(exc)) from None
    return {"first": first, "second": second, "path": [h.hex() for h in path]}
