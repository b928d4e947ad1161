"""An alliance proposal's tally: each community's ballot, read through
:func:`secession.referendum.decide_weighted` (the one implementation of thresholds,
quorums, weights and ties), with a public record of every community's vote.

- One community, one vote (``equal``): a community's ballot counts 1.
- Weighted by members (``weighted``): it counts the community's members when voting
  opened. A community whose members voted on it splits that weight in proportion to their
  yes and no; one whose council or leader decided casts it whole.
- Double majority (``double``): a majority of the communities and of the members they
  represent, each community's vote counted whole in both.

A community that left the alliance while the vote was open no longer counts (it is out of
the electorate), unless the charter in force when voting opened says leavers keep it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from secession.exceptions import RuleError
from secession.referendum import GroupVote, decide_weighted
from secession.web.apps.alliances.models import (
    REFERENDUM_METHOD,
    AllianceMembership,
    AllianceProposal,
    CommunityChoice,
    Method,
)
from secession.web.apps.proposals.voting import rule_from_json

LABELS = {"voters": "communities, one vote each", "weight": "members represented"}


def leavers(proposal: AllianceProposal) -> dict[int, Any]:
    """Eligible communities no longer members: community id -> when it left."""
    eligible = proposal.eligible.values_list("community_id", flat=True)
    rows = AllianceMembership.objects.filter(alliance_id=proposal.alliance_id)
    active = set(
        rows.filter(left_at__isnull=True, community_id__in=eligible).values_list(
            "community_id", flat=True
        )
    )
    left: dict[int, Any] = {}
    for community_id, left_at in rows.filter(
        left_at__isnull=False, left_at__gte=proposal.opened_at, community_id__in=eligible
    ).values_list("community_id", "left_at"):
        if community_id not in active:
            left[community_id] = left_at
    return left


def counting_communities(proposal: AllianceProposal) -> set[int]:
    """The communities whose ballot counts (the eligible ones, less leavers unless the
    charter lets them keep their vote)."""
    eligible = set(proposal.eligible.values_list("community_id", flat=True))
    if proposal.leavers_keep_vote:
        return eligible
    return eligible - set(leavers(proposal))


def _exact(x: Fraction) -> str:
    return str(x)


def tally(proposal: AllianceProposal) -> tuple[bool, dict[str, Any]]:
    """``(passed, result)``: the outcome and, per community, what it cast and why."""
    left = leavers(proposal)
    ballots = {b.community_id: b for b in proposal.ballots.all()}
    votes: list[GroupVote] = []
    rows: list[dict[str, Any]] = []
    for e in proposal.eligible.select_related("community").order_by("community__name", "id"):
        b = ballots.get(e.community_id)
        row: dict[str, Any] = {
            "community": e.community.slug,
            "name": e.community.name,
            "weight": e.weight,
            "internal_proposal": e.internal_id,
            "choice": b.choice if b else CommunityChoice.NONE,
            "decided_by": b.decided_by if b else "",
            "internal": {"yes": b.yes, "no": b.no, "abstain": b.abstain, "eligible": b.eligible}
            if b
            else None,
            "split": False,
            "counted": True,
            "note": "",
        }
        if e.community_id in left:
            when = left[e.community_id].isoformat()
            if not proposal.leavers_keep_vote:
                row.update(
                    counted=False,
                    note=f"left the alliance at {when}, while the vote was open: by the "
                    "charter in force when voting opened, its vote no longer counts",
                )
                rows.append(row)
                continue
            row["note"] = (
                f"left the alliance at {when}, while the vote was open: by the charter in "
                "force when voting opened, its vote still counts"
            )
        choice = None if b is None or b.choice == CommunityChoice.NONE else b.choice
        split = None
        if b is not None and proposal.method == Method.WEIGHTED and b.decided_by == "members":
            split = (b.yes, b.no)
            row["split"] = b.yes > 0 and b.no > 0  # its weight went both ways
        votes.append(GroupVote(e.community.slug, e.weight, choice, split))
        rows.append(row)
    try:
        outcome = decide_weighted(
            rule_from_json(proposal.rule),
            votes,
            method=REFERENDUM_METHOD[proposal.method],
            labels=LABELS,
        )
    except RuleError as exc:  # a stored rule that cannot be applied: fail, say why
        return False, {
            "method": proposal.method,
            "reasons": [f"rule cannot be applied: {exc}"],
            "communities": rows,
        }
    for row in rows:
        cast = outcome.cast.get(row["community"])
        row["cast"] = (
            {s: {k: _exact(v) for k, v in parts.items()} for s, parts in cast.items()}
            if cast
            else None
        )
    summary = outcome.to_dict()
    return outcome.passed, {
        "method": proposal.method,
        "reasons": summary["reasons"],
        "conditions": summary["conditions"],
        "totals": summary["totals"],
        "communities": rows,
    }
