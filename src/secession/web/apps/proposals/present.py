"""Proposal data for pages and the API (one place, so both show the same things)."""

from __future__ import annotations

from contextlib import suppress

from django.core.exceptions import ValidationError

from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.actions import close_if_due, counts
from secession.web.apps.proposals.models import Proposal, Status
from secession.web.apps.proposals.voting import describe, describe_window


def proposal_data(proposal: Proposal) -> dict:
    """Everything public about a proposal. Secret votes: who took part, and (after close)
    the anonymous papers in key order; never a link between the two."""
    proposal = close_if_due(proposal)
    closed = proposal.status == Status.CLOSED
    ballots = proposal.ballots.select_related("voter").order_by("voted_at", "id")
    data = {
        "id": proposal.pk,
        "community": proposal.community.slug,
        "kind": proposal.kind,
        "kind_label": proposal.kind_label,
        "title": proposal.title,
        "body": proposal.body,
        "author": proposal.author.username if proposal.author else "removed account",
        "payload": proposal.payload,
        "payload_text": payload_text(proposal),
        "rule": proposal.rule,
        "rule_text": describe(proposal.rule),
        "window_text": describe_window(
            round((proposal.closes_at - proposal.opened_at).total_seconds() / 60)
        ),
        "secret": proposal.secret,
        "verifiable": proposal.verifiable,
        "electorate": proposal.electorate,
        "eligible": proposal.eligible.count(),
        "opened_at": proposal.opened_at.isoformat(),
        "closes_at": proposal.closes_at.isoformat(),
        "status": proposal.status,
        "closed_at": proposal.closed_at.isoformat() if proposal.closed_at else None,
        "passed": proposal.passed,
        "reasons": proposal.result.get("reasons", []) if closed else [],
        "totals": proposal.result.get("totals") if closed else None,
        "closed_because": proposal.result.get("closed_because", "") if closed else "",
        "effect": proposal.result.get("effect", "") if closed else "",
        "voted": ballots.count(),
        "participants": [b.voter.username if b.voter else "removed account" for b in ballots],
        "public_votes": []
        if proposal.secret
        else [
            {"voter": b.voter.username if b.voter else "removed account", "choice": b.choice}
            for b in ballots
        ],
        "papers": [
            {"id": str(p.id), "choice": p.choice}
            for p in proposal.papers.exclude(choice="").order_by("id")
        ]
        if proposal.secret and closed
        else [],
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
