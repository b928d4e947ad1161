"""An alliance in the Popolo data model (popoloproject.com), for the civic-tech tools that
read it.

- The alliance is an ``Organization`` (classification ``alliance``); each member community
  is an ``Organization`` too, and each period of membership a ``Membership`` whose
  ``member`` is that organisation (``"@type": "Organization"``), with start and end dates.
- Each closed alliance proposal is a ``Motion`` decided at a ``VoteEvent``; its ``Vote``\\ s
  have the communities as voters, each with a ``weight``: 1 under one community, one vote,
  the community's members (frozen when voting opened) when weighted or by double majority.
  A community whose members' vote split its weight casts two votes (``yes`` and ``no``)
  with the two parts; a community whose vote does not count (it left during the vote) is
  listed with option ``not counted``. ``counts`` give the number of communities per option.
  Exact weights are kept beside the float as ``weight_exact`` (``"20/3"``).
"""

from __future__ import annotations

from datetime import UTC
from fractions import Fraction
from typing import Any

from secession.web.apps.alliances.models import Alliance, AllianceProposal, Method, Status
from secession.web.apps.proposals.voting import describe

PREFIX = "secession"


def _id(kind: str, key: object) -> str:
    return f"{PREFIX}:{kind}:{key}"


def _when(value) -> str | None:
    """A Popolo date-time: UTC, whole seconds (``2024-05-01T12:30:00Z``)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _community_org(community) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "id": _id("community", community.slug),
        "name": community.name,
        "classification": "community",
    }


def organization(alliance: Alliance) -> dict[str, Any]:
    return {
        "id": _id("alliance", alliance.slug),
        "name": alliance.name,
        "classification": "alliance",
        "description": alliance.purpose or None,
        "founding_date": alliance.founded_at.astimezone(UTC).date().isoformat(),
        "created_at": _when(alliance.founded_at),
    }


def memberships(alliance: Alliance) -> list[dict[str, Any]]:
    rows = alliance.memberships.select_related("community").order_by("joined_at", "id")
    return [
        {
            "id": _id("alliance-membership", m.pk),
            "organization_id": _id("alliance", alliance.slug),
            "member": _community_org(m.community),
            "role": "founding member" if m.founder else "member",
            "start_date": _when(m.joined_at),
            "end_date": _when(m.left_at),
        }
        for m in rows
    ]


def _weight(value: Fraction | int) -> dict[str, Any]:
    value = Fraction(value)
    return {"weight": float(value), "weight_exact": str(value)}


def _votes(p: AllianceProposal, event_id: str) -> list[dict[str, Any]]:
    votes: list[dict[str, Any]] = []
    scope = "voters" if p.method == Method.EQUAL else "weight"
    orgs = {e.community.slug: e.community for e in p.eligible.select_related("community")}
    for row in p.result.get("communities", []):
        base = {
            "vote_event_id": event_id,
            "voter_id": _id("community", row["community"]),
            "voter": _community_org(orgs[row["community"]])
            if row["community"] in orgs
            else {"@type": "Organization", "id": _id("community", row["community"])},
            "role": row.get("decided_by") or None,
        }
        if not row.get("counted", True):
            votes.append({**base, "option": "not counted", **_weight(row["weight"])})
            continue
        cast = (row.get("cast") or {}).get(scope) or {}
        # in a fixed order (PostgreSQL's jsonb does not keep the order of keys)
        parts = {
            k: Fraction(cast[k]) for k in ("yes", "no", "abstain") if Fraction(cast.get(k, 0)) > 0
        }
        if not parts:
            votes.append(
                {**base, "option": "absent", **_weight(row["weight"] if scope == "weight" else 1)}
            )
            continue
        for option, part in parts.items():
            votes.append({**base, "option": option, **_weight(part)})
    return votes


def vote_event(p: AllianceProposal) -> dict[str, Any]:
    """One closed proposal as a VoteEvent, with its Motion."""
    event_id = _id("alliance-proposal", p.pk)
    org_id = _id("alliance", p.alliance.slug)
    choices = [
        row.get("choice") for row in p.result.get("communities", []) if row.get("counted", True)
    ]
    counts = [
        {"option": option, "value": sum(1 for c in choices if c == option)}
        for option in ("yes", "no", "abstain", "none")
    ]
    return {
        "id": event_id,
        "organization_id": org_id,
        "identifier": str(p.pk),
        "classification": p.kind,
        "motion": {
            "id": _id("alliance-motion", p.pk),
            "organization_id": org_id,
            "text": p.title + (f"\n\n{p.body}" if p.body else ""),
            "classification": p.kind,
            "date": _when(p.opened_at),
            "requirement": f"{p.get_method_display()}; {describe(p.rule)}",
            "result": "passed" if p.passed else "failed",
        },
        "start_date": _when(p.opened_at),
        "end_date": _when(p.closed_at),
        "result": "pass" if p.passed else "fail",
        "counts": counts,
        "votes": _votes(p, event_id),
    }


def export(alliance: Alliance) -> dict[str, Any]:
    """The alliance, its members, memberships and decided proposals as Popolo JSON."""
    community_ids: dict[str, dict[str, Any]] = {}
    for m in alliance.memberships.select_related("community"):
        community_ids[m.community.slug] = _community_org(m.community)
    closed = alliance.proposals.filter(status=Status.CLOSED).order_by("opened_at", "id")
    events = [vote_event(p) for p in closed]
    return {
        "organizations": [organization(alliance), *community_ids.values()],
        "memberships": memberships(alliance),
        "motions": [e["motion"] for e in events],
        "vote_events": events,
    }
