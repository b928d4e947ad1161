"""A community as a Popolo document (https://www.popoloproject.com/specs/).

``organizations`` (the community, its parent and its sub-communities), ``persons`` (the
members, by the name the platform shows: their username), ``memberships`` (every period,
with its dates), ``areas`` (the territory, GeoJSON in longitude/latitude), ``motions``
(proposals) and ``vote_events`` (their counts, and the votes of public ballots only).

A member or a voter may be an organisation: apps above this one (alliances) add their
objects with :func:`register_part`, using :func:`member` for the ``member`` / ``voter``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from secession.web.apps.communities.models import Community, Membership
from secession.web.apps.communities.opendata import REMOVED, territory_geometry
from secession.web.apps.proposals.models import Choice, Proposal, Status
from secession.web.apps.proposals.published import published_counts
from secession.web.apps.proposals.voting import describe

KEYS = ("organizations", "persons", "memberships", "areas", "motions", "vote_events")
_PARTS: dict[str, Callable[[Community], dict[str, list[dict[str, Any]]]]] = {}


def register_part(name: str, part: Callable[[Community], dict[str, list[dict[str, Any]]]]) -> None:
    """``part(community)`` gives more Popolo objects under the document's keys."""
    _PARTS[name] = part


def unregister_part(name: str) -> None:
    _PARTS.pop(name, None)


def stamp(value) -> str | None:
    """A Popolo date-time: UTC, whole seconds (``2024-05-01T12:00:00Z``)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def organization_id(c: Community) -> str:
    return f"community/{c.slug}"


def person_id(username: str) -> str:
    return f"person/{username}"


def member(kind: str, object_id: str | None, name: str) -> dict[str, Any]:
    """A ``member`` / ``voter``: a Person or an Organization, by id and name."""
    return {"@type": kind, "id": object_id, "name": name}


def _organization(c: Community) -> dict[str, Any]:
    return {
        "id": organization_id(c),
        "name": c.name,
        "classification": c.kind,
        "description": c.description or None,
        "parent_id": organization_id(c.parent) if c.parent_id else None,
        "area_id": f"area/{c.slug}" if c.territory_geojson else None,
        "founding_date": c.created_at.astimezone(UTC).date().isoformat(),
        "identifiers": [{"scheme": "secession", "identifier": c.slug}],
    }


def _person(m: Membership) -> tuple[str | None, str]:
    if m.person_id is None:
        return None, REMOVED
    return person_id(m.person.username), m.person.username


def _memberships(c: Community) -> tuple[list[dict], dict[str, dict]]:
    rows, persons = [], {}
    for m in c.memberships.select_related("person").order_by("joined_at", "id"):
        pid, name = _person(m)
        if pid is not None:
            persons[pid] = {"id": pid, "name": name}
        rows.append(
            {
                "id": f"membership/{m.pk}",
                "organization_id": organization_id(c),
                "person_id": pid,
                "member": member("Person", pid, name),
                "role": m.role,
                "start_date": stamp(m.joined_at),
                "end_date": stamp(m.left_at),
            }
        )
    return rows, persons


def _result(p: Proposal) -> str | None:
    if p.status != Status.CLOSED or p.passed is None:
        return None
    return "pass" if p.passed else "fail"


def _vote_event(p: Proposal) -> dict[str, Any]:
    tally = published_counts(p)
    event: dict[str, Any] = {
        "id": f"vote_event/{p.pk}",
        "motion_id": f"motion/{p.pk}",
        "organization_id": organization_id(p.community),
        "identifier": str(p.pk),
        "classification": "secret ballot" if p.secret or p.verifiable else "public vote",
        "start_date": stamp(p.opened_at),
        "end_date": stamp(p.closed_at or p.closes_at),
        "result": _result(p),
        "counts": [{"option": c, "value": tally[c]} for c in Choice.values] if tally else [],
        "votes": [],
    }
    if not (p.secret or p.verifiable):
        for b in p.ballots.select_related("voter").exclude(choice="").order_by("voted_at", "id"):
            pid = person_id(b.voter.username) if b.voter_id else None
            name = b.voter.username if b.voter_id else REMOVED
            event["votes"].append(
                {
                    "vote_event_id": event["id"],
                    "voter_id": pid,
                    "voter": member("Person", pid, name),
                    "option": b.choice,
                }
            )
    return event


def _motion(p: Proposal) -> dict[str, Any]:
    return {
        "id": f"motion/{p.pk}",
        "organization_id": organization_id(p.community),
        "creator_id": person_id(p.author.username) if p.author_id else None,
        "text": p.title + ("\n\n" + p.body if p.body else ""),
        "identifier": str(p.pk),
        "classification": p.kind,
        "date": stamp(p.opened_at),
        "requirement": describe(p.rule),
        "result": {"pass": "passed", "fail": "failed"}.get(_result(p) or ""),
    }


def community_document(c: Community) -> dict[str, Any]:
    """The Popolo document of ``c``; every list sorted by id-like order, reproducibly."""
    related = [c, *([c.parent] if c.parent_id else []), *c.children.order_by("slug")]
    memberships, persons = _memberships(c)
    proposals = list(
        Proposal.objects.filter(community=c)
        .select_related("author", "community")
        .order_by("opened_at", "id")
    )
    for p in proposals:
        if p.author_id:
            persons.setdefault(
                person_id(p.author.username),
                {"id": person_id(p.author.username), "name": p.author.username},
            )
    geometry = territory_geometry(c)
    doc: dict[str, list[dict[str, Any]]] = {
        "organizations": [_organization(o) for o in related],
        "persons": [persons[k] for k in sorted(persons)],
        "memberships": memberships,
        "areas": []
        if geometry is None
        else [
            {
                "id": f"area/{c.slug}",
                "name": c.name,
                "classification": c.kind,
                "geometry": geometry,
            }
        ],
        "motions": [_motion(p) for p in proposals],
        "vote_events": [_vote_event(p) for p in proposals],
    }
    for name in sorted(_PARTS):
        for key, objects in _PARTS[name](c).items():
            doc.setdefault(key, []).extend(objects)
    return doc
