"""Verifiable ballot endpoints under /api/verifiable/{proposal_id}: the election's state,
the bulletin board (paginated), what a vote page needs, and the posts of trustees and
voters (each checked before it reaches the board)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status

from secession.ballots.board import FORMAT, VERSION
from secession.web.apiauth import AUTH, After, Id, person, reader, require
from secession.web.apps.verifiable import actions
from secession.web.apps.verifiable.models import Election
from secession.web.apps.verifiable.present import election_summary

router = Router(tags=["verifiable ballots"])
MAX_PAGE = 1000


class TrusteeOut(Schema):
    index: int
    name: str
    record: bool = Field(description="public record (commitments, proofs) posted")
    shares: bool = Field(description="sealed shares for the other trustees posted")
    decrypted: bool = Field(description="decryption share of the tally posted")


class ElectionOut(Schema):
    """An election: phase setup (trustees making the key), voting, counting (waiting for
    the trustees' decryption) or decided, and its counts once decided."""

    proposal: int
    election: str
    question: str
    options: list[str]
    phase: str
    threshold: int
    trustees: list[TrusteeOut]
    ballots: int
    audits: int
    entries: int
    counts: dict[str, int] | None


class BoardPage(Schema):
    format: str
    version: int
    offset: int
    total: int
    next: int | None = Field(description="offset of the next page, null on the last")
    entries: list[dict]


class ContextOut(Schema):
    manifest: dict
    trustees: list[dict]
    key: dict


class Posted(Schema):
    position: int
    type: str
    tracker: str | None = None


class AuditOut(Schema):
    tracker: str
    choices: list[str]


class TrackerOut(Schema):
    position: int
    type: str = Field(description="ballot (cast) or audit (revealed, not counted)")


class SharesOut(Schema):
    trustee: int
    data: dict


def _election(proposal_id: int) -> Election:
    return get_object_or_404(Election.objects.select_related("proposal"), proposal_id=proposal_id)


@router.get("/{proposal_id}", response=ElectionOut, auth=None)
def election(request, proposal_id: Id):
    """The election of a verifiable proposal: phase, trustees' progress, counts."""
    e = _election(proposal_id)
    require(reader(request), "verifiable.view_election", e)
    return election_summary(e)


@router.get("/{proposal_id}/board", response=BoardPage, auth=None)
def board(request, proposal_id: Id, offset: After = 0, limit: Id = 100):
    """The bulletin board's entries from ``offset`` (at most 1,000 a page); the whole board
    as one file is at /verifiable/{proposal_id}/board.json."""
    e = _election(proposal_id)
    require(reader(request), "verifiable.view_election", e)
    offset, limit = max(0, offset), min(max(1, limit), MAX_PAGE)
    rows = list(
        e.entries.filter(position__gte=offset)
        .order_by("position")
        .values_list("data", flat=True)[:limit]
    )
    end = offset + len(rows)
    return {
        "format": FORMAT,
        "version": VERSION,
        "offset": offset,
        "total": e.length,
        "next": end if end < e.length else None,
        "entries": rows,
    }


@router.get("/{proposal_id}/context", response=ContextOut, auth=None)
def context(request, proposal_id: Id):
    """What a voter's device needs to encrypt: the manifest, the trustee records and the
    key entry (the device checks the key against the trustees' proofs)."""
    e = _election(proposal_id)
    require(reader(request), "verifiable.view_election", e)
    entries = actions.entries_of(e, *actions.SETUP_KINDS)
    keys = [x for x in entries if x["type"] == "key"]
    if not keys:
        raise actions.NotReady(_("the trustees have not all posted their records yet"))
    return {
        "manifest": entries[0],
        "trustees": [x for x in entries if x["type"] == "trustee"],
        "key": keys[0],
    }


@router.get("/{proposal_id}/trackers/{tracker}", response=TrackerOut, auth=None)
def find_tracker(request, proposal_id: Id, tracker: str):
    """Find a ballot on the board by its tracker (as the voter was shown it)."""
    e = _election(proposal_id)
    require(reader(request), "verifiable.view_election", e)
    row = get_object_or_404(e.entries, tracker=tracker.strip().lower())
    return {"position": row.position, "type": row.kind}


@router.get("/{proposal_id}/shares", response=list[SharesOut], auth=None)
def shares(request, proposal_id: Id):
    """The trustees' sealed shares files (each share readable only by its recipient)."""
    e = _election(proposal_id)
    require(reader(request), "verifiable.view_election", e)
    return [{"trustee": s.trustee, "data": s.data} for s in e.shares.all()]


@router.post("/{proposal_id}/trustee-record", response={201: Posted}, auth=AUTH)
def post_record(request, proposal_id: Id, data: dict = Body(...)):
    """A trustee posts its public record (``secession trustee keygen --public``)."""
    entry = actions.post_trustee_record(_election(proposal_id), person=person(request), data=data)
    return Status(201, {"position": entry.position, "type": entry.kind})


@router.post("/{proposal_id}/shares", response={201: SharesOut}, auth=AUTH)
def post_shares(request, proposal_id: Id, data: dict = Body(...)):
    """A trustee posts its sealed shares (``secession trustee shares``)."""
    row = actions.post_shares(_election(proposal_id), person=person(request), data=data)
    return Status(201, {"trustee": row.trustee, "data": row.data})


@router.post("/{proposal_id}/ballots", response={201: Posted}, auth=AUTH)
def cast(request, proposal_id: Id, data: dict = Body(...)):
    """Cast the caller's encrypted ballot (its proofs are checked first)."""
    entry = actions.cast_ballot(_election(proposal_id), person=person(request), data=data)
    return Status(201, {"position": entry.position, "type": entry.kind, "tracker": entry.tracker})


@router.post("/{proposal_id}/audits", response={201: AuditOut}, auth=AUTH)
def audit(request, proposal_id: Id, data: dict = Body(...)):
    """Post a Benaloh audit: the ballot with its nonces revealed; it is never counted."""
    e = _election(proposal_id)
    choices = actions.audit_ballot(e, person=person(request), data=data)
    return Status(
        201,
        {"tracker": data["ballot"]["tracker"], "choices": [actions.OPTIONS[c] for c in choices]},
    )


@router.post("/{proposal_id}/decryptions", response={201: Posted}, auth=AUTH)
def post_decryption(request, proposal_id: Id, data: dict = Body(...)):
    """A trustee posts its decryption share of the tally (``secession trustee decrypt``)."""
    entry = actions.post_decryption(_election(proposal_id), person=person(request), data=data)
    return Status(201, {"position": entry.position, "type": entry.kind})
