"""Proposal data for pages and the API (one place, so both show the same things)."""

from __future__ import annotations

from secession.web.apps.proposals.actions import close_if_due, counts
from secession.web.apps.proposals.models import Kind, Proposal, Status
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
    if proposal.kind in (Kind.ADOPT_CONSTITUTION, Kind.AMEND_CONSTITUTION):
        data["diff"] = constitution_diff(proposal)
    return data


def payload_text(proposal: Proposal) -> str:
    """What ``proposal`` does if it passes, in words (for the page and the API)."""
    from django.contrib.auth import get_user_model

    from secession.web.apps.communities.models import Governance
    from secession.web.apps.communities.starter import GOVERNANCE_PHRASES

    p, community = proposal.payload, proposal.community.name
    if proposal.kind == Kind.RESOLUTION:
        return "A resolution: the members' decision is recorded; nothing else changes."
    if proposal.kind in (Kind.ADOPT_CONSTITUTION, Kind.AMEND_CONSTITUTION):
        return f"The text below becomes the constitution of {community} (a new version)."
    if proposal.kind == Kind.CHANGE_GOVERNANCE:
        holders = get_user_model().objects.filter(pk__in=p.get("office_holders", []))
        names = ", ".join(sorted(u.username for u in holders))
        text = f"{community} will govern itself as {GOVERNANCE_PHRASES[p['governance']]}"
        if p["governance"] == Governance.COUNCIL:
            text += f"; council: {names}"
        elif p["governance"] == Governance.LEADER:
            text += f"; leader: {names}; capital: {p.get('capital', '')}"
        return text + "."
    if proposal.kind == Kind.DECLARE_INDEPENDENCE:
        parent = proposal.community.parent
        source = parent.name if parent else p.get("from_name", "")
        return f"{community} declares itself independent of {source}."
    target = Kind(p["target_kind"]).label.lower()
    ballot = "secret" if p.get("secret") else "public"
    return (
        f"New rule for proposals of kind “{target}”: {describe(p['rule'])}; voting lasts "
        f"{describe_window(p['window_minutes'])}; {ballot} ballot. Proposals already open "
        "keep their rule."
    )


def constitution_diff(proposal: Proposal) -> list[dict]:
    from secession.web.apps.constitutions.diff import diff_lines
    from secession.web.apps.constitutions.models import ConstitutionVersion

    base = (
        ConstitutionVersion.objects.filter(
            community=proposal.community, adopted_at__lte=proposal.opened_at
        )
        .order_by("-number")
        .first()
    )
    old = base.text if base else ""
    return [{"kind": d.kind, "text": d.text} for d in diff_lines(old, proposal.payload["text"])]
