"""Proposal data for pages and the API (one place, so both show the same things)."""

from __future__ import annotations

from contextlib import suppress

from django.core.exceptions import ValidationError

from secession.web.apps.accounts.people import person_name
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.actions import close_if_due, counts
from secession.web.apps.proposals.models import Proposal, Status
from secession.web.apps.proposals.result_words import stored_result_sentence
from secession.web.apps.proposals.rule_words import stored_rule_sentence
from secession.web.apps.proposals.voting import describe, describe_window

#: how many votes, participants or papers one page (and the proposal's API answer) lists
PAGE = 100


def ballot_page(proposal: Proposal, after: int = 0, limit: int = PAGE) -> list[dict]:
    """Ballots in the order cast, from after ballot id ``after`` (keyset: an index seek)."""
    rows = (
        proposal.ballots.filter(id__gt=after)
        .select_related("voter")
        .order_by("id")[: max(1, min(limit, 5000))]
    )
    return [
        {
            "id": b.pk,
            "voter": b.voter.username if b.voter else "removed account",
            "name": person_name(b.voter),
            "voted_at": b.voted_at.isoformat(),
            "choice": None if proposal.secret else b.choice,
        }
        for b in rows
    ]


def paper_page(proposal: Proposal, after: str = "", limit: int = PAGE) -> list[dict]:
    """Filled papers of a closed secret vote in key order, from after key ``after``."""
    if not proposal.secret or proposal.status != Status.CLOSED:
        return []
    rows = proposal.papers.exclude(choice="").order_by("id")
    if after:
        rows = rows.filter(id__gt=after)
    return [{"id": str(p.id), "choice": p.choice} for p in rows[: max(1, min(limit, 5000))]]


def proposal_data(proposal: Proposal) -> dict:
    """Everything public about a proposal. Secret votes: who took part, and (after close)
    the anonymous papers in key order; never a link between the two. Lists hold the first
    :data:`PAGE` entries (the API pages through the rest)."""
    proposal = close_if_due(proposal)
    closed = proposal.status == Status.CLOSED
    ballots = ballot_page(proposal)
    window = round((proposal.closes_at - proposal.opened_at).total_seconds() / 60)
    data = {
        "id": proposal.pk,
        "community": proposal.community.slug,
        "kind": proposal.kind,
        "kind_label": proposal.kind_label,
        "title": proposal.title,
        "body": proposal.body,
        "author": proposal.author.username if proposal.author else "removed account",
        "author_name": person_name(proposal.author),
        "payload": proposal.payload,
        "payload_text": payload_text(proposal),
        "rule": proposal.rule,
        "rule_text": describe(proposal.rule),
        "rule_sentence": stored_rule_sentence(proposal.rule, window_minutes=window),
        "window_text": describe_window(window),
        "secret": proposal.secret,
        "verifiable": proposal.verifiable,
        "electorate": proposal.electorate,
        "eligible": proposal.eligible_count,
        "electorate_digest": proposal.electorate_digest,
        "opened_at": proposal.opened_at.isoformat(),
        "closes_at": proposal.closes_at.isoformat(),
        "status": proposal.status,
        "closed_at": proposal.closed_at.isoformat() if proposal.closed_at else None,
        "passed": proposal.passed,
        "reasons": proposal.result.get("reasons", []) if closed else [],
        "totals": proposal.result.get("totals") if closed else None,
        "closed_because": proposal.result.get("closed_because", "") if closed else "",
        "result_sentence": stored_result_sentence(proposal.rule, proposal.result) if closed else "",
        "effect": proposal.result.get("effect", "") if closed else "",
        "voted": proposal.voted_count,
        "participants": [b["voter"] for b in ballots],
        "participant_names": [b["name"] for b in ballots],
        "public_votes": []
        if proposal.secret
        else [{"voter": b["voter"], "name": b["name"], "choice": b["choice"]} for b in ballots],
        "papers": paper_page(proposal),
    }
    if closed or not proposal.secret:
        data["counts"] = counts(proposal)
    else:
        data["counts"] = None  # secret and open: no running totals
    with suppress(ValidationError):  # a kind no app registers any more: common data only
        data.update(kinds.get(proposal.kind).details(proposal))
    return data


def payload_text(proposal: Proposal) -> str:
    """What ``proposal`` does if it passes, in words (for the page and the API)."""
    try:
        return kinds.get(proposal.kind).describe(proposal)
    except ValidationError:
        return f"A proposal of a kind this platform no longer offers ({proposal.kind})."
