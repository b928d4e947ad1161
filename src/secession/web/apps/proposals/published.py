"""What anyone may read of a vote's outcome (one rule for every export)."""

from __future__ import annotations

from secession.web.apps.proposals.actions import counts
from secession.web.apps.proposals.models import Proposal, Status


def published_counts(proposal: Proposal) -> dict[str, int] | None:
    """Public votes: the counts at any time; secret and verifiable ones: once closed
    (none while the ballot is secret and open)."""
    if (proposal.secret or proposal.verifiable) and proposal.status != Status.CLOSED:
        return None
    return counts(proposal)
