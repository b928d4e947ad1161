"""Community endpoints: browse, found, join, leave, edit, members, territory; asking to
join a parent community (the parent admits by vote), withdrawing, leaving the parent."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from secession.web.apiauth import AUTH, After, Error, Id, person, reader, require
from secession.web.apps.communities import actions
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.communities.models import Community, Membership
from secession.web.apps.communities.rules import active_membership

router = Router(tags=["communities"])


class CommunityOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    description: str
    parent: str | None = Field(description="The community it is part of (admitted by its vote)")
    requested_parent: str | None = Field(
        description="The community it asked to join; not part of it until admitted"
    )
    requested_at: str | None
    governance: str
    capital: str
    status: str
    independent: bool
    independent_from: str
    indigenous: bool
    members: int
    territory_dataset: str
    territory_unit_ids: list[str]
    has_territory: bool


class FoundIn(Schema):
    name: str
    kind: str = "other"
    parent: str | None = None
    description: str = ""
    governance: str = "assembly"
    capital: str = ""
    territory_geojson: str = ""
    territory_dataset: str = ""
    territory_unit_ids: list[str] = Field(default_factory=list)
    constitution_text: str | None = None
    indigenous: bool = False


class EditIn(Schema):
    description: str


class ParentIn(Schema):
    parent: str = Field(description="Slug of the community to join", max_length=140)


class MemberOut(Schema):
    id: int
    person: str
    role: str
    joined_at: str
    left_at: str | None


class MembershipOut(Schema):
    community: str
    role: str
    joined_at: str
    left_at: str | None
    community_status: str


def out(c: Community) -> dict:
    return {
        "id": c.pk,
        "slug": c.slug,
        "name": c.name,
        "kind": c.kind,
        "description": c.description,
        "parent": c.parent.slug if c.parent else None,
        "requested_parent": c.requested_parent.slug if c.requested_parent else None,
        "requested_at": c.requested_at.isoformat() if c.requested_at else None,
        "governance": c.governance,
        "capital": c.capital,
        "status": c.status,
        "independent": c.independent,
        "independent_from": c.independent_from,
        "indigenous": c.indigenous,
        "members": c.member_count,
        "territory_dataset": c.territory_dataset,
        "territory_unit_ids": c.territory_unit_ids,
        "has_territory": bool(c.territory_geojson),
    }


def _community(slug: str, request=None) -> Community:
    rows = Community.objects.select_related("parent", "requested_parent")
    community = get_object_or_404(rows, slug=slug)
    if request is not None:
        require(reader(request), "communities.view_community", community)
    return community


@router.get("", response=list[CommunityOut], auth=None)
def list_communities(
    request,
    parent: str | None = None,
    requested_parent: str | None = None,
    roots: bool = False,
):
    """Communities; ``parent``: those admitted into it; ``requested_parent``: those that
    asked to join it; ``roots``: those part of no other."""
    require(reader(request), "communities.view_community")
    rows = Community.objects.select_related("parent", "requested_parent")
    if parent:
        rows = rows.filter(parent__slug=parent)
    elif requested_parent:
        rows = rows.filter(requested_parent__slug=requested_parent)
    elif roots:
        rows = rows.filter(parent__isnull=True)
    return [out(c) for c in rows]


@router.post("", response={201: CommunityOut, 404: Error}, auth=AUTH)
def found(request, data: FoundIn):
    """Found a community (the caller becomes its first member)."""
    from secession.web.apps.communities.starter import starter_text

    parent = _community(data.parent) if data.parent else None
    territory = territory_fields(
        data.territory_geojson, data.territory_dataset, data.territory_unit_ids
    )
    text = data.constitution_text
    if text is None:
        text = starter_text(data.name, data.governance)
    community = actions.found_community(
        person=person(request),
        name=data.name,
        kind=data.kind,
        parent=parent,
        description=data.description,
        governance=data.governance,
        capital=data.capital,
        constitution_text=text,
        indigenous=data.indigenous,
        **territory,
    )
    return Status(201, out(community))


@router.get("/{slug}", response=CommunityOut, auth=None)
def detail(request, slug: str):
    return out(_community(slug, request))


@router.patch("/{slug}", response=CommunityOut, auth=AUTH)
def edit(request, slug: str, data: EditIn):
    community = _community(slug)
    actions.edit_community(community, person=person(request), description=data.description)
    return out(community)


@router.post(
    "/{slug}/parent-request", response={201: CommunityOut, 404: Error, 409: Error}, auth=AUTH
)
def ask_to_join(request, slug: str, data: ParentIn):
    """Ask, for this community, to join ``parent`` (its office holders; every member in an
    assembly). The parent admits it by its own vote (proposal kind ``admit_community``)."""
    community = _community(slug)
    parent = _community(data.parent)
    actions.request_parent(community, person=person(request), parent=parent)
    return Status(201, out(_community(slug)))


@router.delete("/{slug}/parent-request", response={200: CommunityOut, 409: Error}, auth=AUTH)
def withdraw_request(request, slug: str):
    """Withdraw the request to join (409 when there is none)."""
    community = _community(slug)
    actions.withdraw_parent_request(community, person=person(request))
    return out(_community(slug))


@router.post("/{slug}/leave-parent", response={200: CommunityOut, 409: Error}, auth=AUTH)
def leave_parent(request, slug: str):
    """Stop being part of the parent (office holders); the parent has no say."""
    community = _community(slug)
    actions.leave_parent(community, person=person(request))
    return out(_community(slug))


@router.post("/{slug}/join", response={201: MembershipOut, 409: Error}, auth=AUTH)
def join(request, slug: str):
    """Join (409 when already a member)."""
    community = _community(slug)
    m = actions.join_community(community, person=person(request))
    return Status(201, _membership(m))


@router.post("/{slug}/leave", response={200: MembershipOut, 409: Error}, auth=AUTH)
def leave(request, slug: str):
    """Leave; nothing blocks it (409 when not a member)."""
    community = _community(slug)
    m = actions.leave_community(community, person=person(request))
    community.refresh_from_db()
    return _membership(m)


@router.get("/{slug}/membership", response={200: MembershipOut, 404: Error}, auth=AUTH)
def my_membership(request, slug: str):
    who = person(request)
    community = _community(slug)
    require(who, "communities.view_community", community)
    m = active_membership(who, community)
    if m is None:
        return Status(404, {"detail": "not a member"})
    return _membership(m)


def _membership(m: Membership) -> dict:
    return {
        "community": m.community.slug,
        "role": m.role,
        "joined_at": m.joined_at.isoformat(),
        "left_at": m.left_at.isoformat() if m.left_at else None,
        "community_status": m.community.status,
    }


@router.get("/{slug}/members", response=list[MemberOut], auth=None)
def members(request, slug: str, history: bool = False, after: After = 0, limit: Id = 500):
    """Current members in join order (``history=true``: every membership period, past
    ones included), after membership ``after`` (``id``), at most ``limit`` (5,000)."""
    rows = _community(slug, request).memberships.select_related("person")
    if not history:
        rows = rows.filter(left_at__isnull=True)
    rows = rows.filter(id__gt=after).order_by("id")[: max(1, min(limit, 5000))]
    return [
        {
            "id": m.pk,
            "person": m.person.username if m.person else "removed account",
            "role": m.role,
            "joined_at": m.joined_at.isoformat(),
            "left_at": m.left_at.isoformat() if m.left_at else None,
        }
        for m in rows
    ]


@router.get("/{slug}/territory", auth=None)
def territory(request, slug: str):
    """The territory as a GeoJSON Feature (null geometry when none is set)."""
    c = _community(slug, request)
    return {
        "type": "Feature",
        "properties": {
            "slug": c.slug,
            "name": c.name,
            "crs": c.territory_crs or None,
            "dataset": c.territory_dataset or None,
            "unit_ids": c.territory_unit_ids,
        },
        "geometry": json.loads(c.territory_geojson) if c.territory_geojson else None,
    }
