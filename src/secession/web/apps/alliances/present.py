"""Alliance data for pages and the API (one place, so both show the same things)."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.apps.accounts.people import person_name
from secession.web.apps.alliances import kinds
from secession.web.apps.alliances.actions import casting_for, current_charter
from secession.web.apps.alliances.decisions import close_if_due
from secession.web.apps.alliances.models import (
    Alliance,
    AllianceMembership,
    AllianceProposal,
    Casting,
    CommunityChoice,
    Method,
    Pledge,
    Status,
)
from secession.web.apps.alliances.terms import (
    METHOD_PHRASES,
    describe_decision,
    describe_terms,
    short_decision,
)
from secession.web.apps.communities.models import Governance
from secession.web.apps.proposals.result_words import stored_result_sentence
from secession.web.apps.proposals.rule_words import stored_rule_sentence
from secession.web.apps.proposals.voting import describe, describe_window

#: member communities listed on the alliance's page and in its API record (the rest: the
#: paginated membership history)
MEMBERS_SHOWN = 200

DECIDED_BY = {
    "members": gettext_lazy("an internal vote of its members"),
    "council": gettext_lazy("its council"),
    "leader": gettext_lazy("its leader"),
}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def alliance_summary(alliance: Alliance, members: int | None = None) -> dict[str, Any]:
    count = alliance.active_members().count() if members is None else members
    return {
        "id": alliance.pk,
        "slug": alliance.slug,
        "name": alliance.name,
        "purpose": alliance.purpose,
        "founded_at": alliance.founded_at.isoformat(),
        "status": "active" if count else "dormant",
        "members": count,
    }


def membership_row(m: AllianceMembership) -> dict[str, Any]:
    return {
        "community": m.community.slug,
        "name": m.community.name,
        "founder": m.founder,
        "joined_at": m.joined_at.isoformat(),
        "left_at": _iso(m.left_at),
        "joined_by": m.joined_by_id,
        "admitted_by": m.admitted_by_id,
        "left_by": m.left_by_id,
    }


def rule_rows(alliance: Alliance) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "kind_label": r.kind_label,
            "method": r.method,
            "rule": r.rule,
            "window_minutes": r.window_minutes,
            "description": describe_decision(r.method, r.rule, r.window_minutes),
            "short": short_decision(r.method, r.rule, r.window_minutes),
        }
        for r in alliance.rules.all()
    ]


def charter_row(v) -> dict[str, Any]:
    return {
        "number": v.number,
        "text": v.text,
        "admission": v.admission,
        "leavers_keep_vote": v.leavers_keep_vote,
        "terms": describe_terms(v.admission, v.leavers_keep_vote),
        "adopted_at": v.adopted_at.isoformat(),
        "proposal": v.proposal_id,
    }


def alliance_data(alliance: Alliance) -> dict[str, Any]:
    """The alliance with its members, the charter in force and its rules."""
    members = alliance.active_members().select_related("community").order_by("joined_at", "id")
    rows = [membership_row(m) for m in members[:MEMBERS_SHOWN]]
    count = len(rows) if len(rows) < MEMBERS_SHOWN else alliance.active_members().count()
    return {
        **alliance_summary(alliance, count),
        "founded_by": alliance.founded_by.slug if alliance.founded_by else None,
        "founding_proposal": alliance.founding_proposal_id,
        "member_communities": rows,
        "charter": charter_row(current_charter(alliance)),
        "rules": rule_rows(alliance),
    }


def proposal_summary(p: AllianceProposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "kind_label": p.kind_label,
        "title": p.title,
        "status": p.status,
        "passed": p.passed,
        "closes_at": p.closes_at.isoformat(),
    }


def payload_text(p: AllianceProposal) -> str:
    try:
        return kinds.get(p.kind).describe(p)
    except ValidationError:
        return _("A proposal of a kind this platform no longer offers ({kind}).").format(
            kind=p.kind
        )


def _open_rows(p: AllianceProposal) -> list[dict[str, Any]]:
    """Each eligible community and, when cast, its ballot (voting still open)."""
    ballots = {b.community_id: b for b in p.ballots.all()}
    rows = []
    for e in p.eligible.select_related("community", "internal").order_by("community__name"):
        b = ballots.get(e.community_id)
        rows.append(
            {
                "community": e.community.slug,
                "name": e.community.name,
                "weight": e.weight,
                "internal_proposal": e.internal_id,
                "decided_by": b.decided_by if b else (e.internal.electorate if e.internal else ""),
                "choice": b.choice if b else None,
                "internal": {
                    "yes": b.yes,
                    "no": b.no,
                    "abstain": b.abstain,
                    "eligible": b.eligible,
                }
                if b
                else None,
                "split": False,
                "counted": True,
                "note": "" if b else _("its own vote is open"),
                "cast": None,
            }
        )
    return rows


def community_rows(p: AllianceProposal) -> list[dict[str, Any]]:
    """Every community's vote and how it was decided, with words for the page."""
    rows = p.result.get("communities", []) if p.status == Status.CLOSED else _open_rows(p)
    for row in rows:
        row["decided_by_text"] = str(DECIDED_BY.get(row.get("decided_by") or "", ""))
        choice = row.get("choice")
        row["choice_text"] = (
            str(CommunityChoice(choice).label) if choice in CommunityChoice.values else _("not yet")
        )
    return rows


def alliance_proposal_data(p: AllianceProposal) -> dict[str, Any]:
    """Everything public about an alliance proposal: rule fixed at opening, each
    community's vote and how it was decided, and once closed the result and its reasons."""
    p = close_if_due(p)
    closed = p.status == Status.CLOSED
    data: dict[str, Any] = {
        "id": p.pk,
        "alliance": p.alliance.slug,
        "kind": p.kind,
        "kind_label": p.kind_label,
        "title": p.title,
        "body": p.body,
        "author": p.author.username if p.author else "",
        "author_name": person_name(p.author) if p.author else "",
        "author_community": p.author_community.slug if p.author_community else None,
        "subject": p.subject.slug if p.subject else None,
        "payload": p.payload,
        "payload_text": payload_text(p),
        "method": p.method,
        "method_text": str(METHOD_PHRASES.get(p.method, p.method)),
        "rule": p.rule,
        "rule_text": describe(p.rule),
        "rule_sentence": stored_rule_sentence(p.rule, voters="member communities"),
        "window_text": describe_window(round((p.closes_at - p.opened_at).total_seconds() / 60)),
        "leavers_keep_vote": p.leavers_keep_vote,
        "opened_at": p.opened_at.isoformat(),
        "internal_closes_at": p.internal_closes_at.isoformat(),
        "closes_at": p.closes_at.isoformat(),
        "status": p.status,
        "closed_at": _iso(p.closed_at),
        "passed": p.passed,
        "reasons": p.result.get("reasons", []) if closed else [],
        "totals": p.result.get("totals") if closed else None,
        "closed_because": p.result.get("closed_because", "") if closed else "",
        # one vote per community: the sentence; weighted or double: the engine's reasons
        "result_sentence": stored_result_sentence(p.rule, p.result, voters="member communities")
        if closed and p.method == Method.EQUAL
        else "",
        "effect": p.result.get("effect", "") if closed else "",
        "eligible": p.eligible.count(),
        "voted": p.ballots.count(),
        "communities": community_rows(p),
    }
    with suppress(ValidationError):
        data.update(kinds.get(p.kind).details(p))
    return data


def pledge_data(p: Pledge) -> dict[str, Any]:
    return {
        "id": p.pk,
        "alliance": p.alliance.slug,
        "community": p.community.slug,
        "community_name": p.community.name,
        "kind": p.kind,
        "title": p.title,
        "details": p.details,
        "answers": p.answers_id,
        "posted_by": p.posted_by.username if p.posted_by else _("removed account"),
        "posted_at": p.posted_at.isoformat(),
        "status": p.status,
        "status_text": p.get_status_display(),
        "closed_at": _iso(p.closed_at),
        "note": p.note,
    }


def community_alliances(community) -> dict[str, Any]:
    """A community's alliances (current and past), open applications, how it casts."""
    rows = AllianceMembership.objects.filter(community=community).select_related("alliance")
    applications = AllianceProposal.objects.filter(
        subject=community, kind="admit_member", status=Status.OPEN
    ).select_related("alliance")
    by = casting_for(community)
    return {
        "memberships": list(rows.order_by("-joined_at")[:50]),
        "current": rows.filter(left_at__isnull=True).exists(),
        "applications": list(applications),
        "casting": by,
        "casting_text": casting_text(community, by),
    }


def casting_text(community, by: str) -> str:
    """Who casts ``community``'s alliance votes, in words, under its governance now."""
    if by == Casting.OFFICE_HOLDERS and community.governance == Governance.COUNCIL:
        return _("by its council (it may choose by its own vote to have all members vote)")
    if by == Casting.OFFICE_HOLDERS and community.governance == Governance.LEADER:
        return _("by its leader (it may choose by its own vote to have all members vote)")
    return _("by an internal vote of all its members")


def rule_groups(rules: list[dict[str, Any]]) -> list[tuple[list[str], str]]:
    """Kinds that share one rule, together: ``[(labels, description), ...]``."""
    groups: dict[str, list[str]] = {}
    for r in rules:
        groups.setdefault(r["short"], []).append(r["kind_label"])
    return [(labels, text) for text, labels in groups.items()]
