"""Community actions. Each runs in one transaction and writes its audit row in it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from secession.web.apps.audit.log import record
from secession.web.apps.communities import events
from secession.web.apps.communities.models import (
    Community,
    Governance,
    Kind,
    Membership,
    Role,
    Status,
)
from secession.web.apps.communities.rules import active_membership
from secession.web.apps.communities.signals import community_founded, independence_declared
from secession.web.errors import Refused

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "community"
    slug, n = base, 1
    while Community.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _role_for_founder(governance: str) -> str:
    return {Governance.COUNCIL: Role.COUNCIL, Governance.LEADER: Role.LEADER}.get(
        governance, Role.MEMBER
    )


def found_community(
    *,
    person: User,
    name: str,
    kind: str = Kind.OTHER,
    parent: Community | None = None,
    description: str = "",
    governance: str = Governance.ASSEMBLY,
    capital: str = "",
    territory_geojson: str = "",
    territory_crs: str = "",
    territory_dataset: str = "",
    territory_unit_ids: list[str] | None = None,
    constitution_text: str = "",
    indigenous: bool = False,
) -> Community:
    """Found a community: the founder becomes its first member (and first office holder
    under council or leader governance); default voting rules; constitution version 1.

    ``parent``: the community asks to join it; it becomes part of it only when the
    parent's members admit it (a proposal of kind ``admit_community``)."""
    if not person.has_perm("communities.found_community"):
        raise PermissionDenied("log in to found a community")
    name = name.strip()
    if not name:
        raise ValidationError("a community needs a name")
    if kind not in Kind.values:
        raise ValidationError(f"unknown kind {kind!r}")
    if governance not in Governance.values:
        raise ValidationError(f"unknown governance {governance!r}")
    if governance == Governance.LEADER and not capital.strip():
        raise ValidationError("a leader-with-capital community names its capital")
    if governance != Governance.LEADER:
        capital = ""
    if indigenous and kind != Kind.NATION:
        raise ValidationError("only a community of kind nation is marked indigenous")

    with transaction.atomic():
        community = Community(
            name=name,
            slug=_unique_slug(name),
            kind=kind,
            requested_parent=parent,
            requested_at=timezone.now() if parent else None,
            member_count=1,
            description=description,
            governance=governance,
            capital=capital.strip(),
            territory_geojson=territory_geojson,
            territory_crs=territory_crs,
            territory_dataset=territory_dataset,
            territory_unit_ids=territory_unit_ids or [],
            indigenous=bool(indigenous),
            founded_by=person,
        )
        community.full_clean(validate_unique=False)  # field lengths: the API has no form
        community.save()
        record(
            events.FOUNDED,
            actor=person,
            community=community,
            target=community,
            data={
                "name": name,
                "kind": kind,
                "parent": None,
                "governance": governance,
                "capital": community.capital,
                "indigenous": community.indigenous,
            },
        )
        if parent is not None:
            record(
                events.PARENT_REQUESTED,
                actor=person,
                community=community,
                target=parent,
                data={"parent": parent.pk, "parent_name": parent.name},
            )
        membership = Membership.objects.create(
            community=community,
            person=person,
            role=_role_for_founder(governance),
            joined_at=timezone.now(),
        )
        record(
            events.MEMBER_JOINED,
            actor=person,
            community=community,
            target=membership,
            data={"role": membership.role},
        )
        # the apps above install their parts: voting rules, the first constitution
        community_founded.send(
            sender=Community,
            community=community,
            person=person,
            constitution_text=constitution_text,
        )
    return community


def join_community(community: Community, *, person: User) -> Membership:
    """Join with one click (anyone logged in who is not already a member).

    Refused: not logged in (PermissionDenied), already a member (Refused)."""
    if not person.is_authenticated:
        raise PermissionDenied(_("log in to join"))
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        if not person.has_perm("communities.join_community", community):
            raise Refused(_("you are already a member of {name}").format(name=community.name))
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    community=community, person=person, joined_at=timezone.now()
                )
        except IntegrityError as exc:
            said = _("you are already a member of {name}").format(name=community.name)
            raise Refused(said) from exc
        _count_members(community, +1)
        if community.status == Status.DORMANT:
            community.status = Status.ACTIVE
            community.save(update_fields=["status"])
            record(events.REVIVED, actor=person, community=community, target=community)
        record(events.MEMBER_JOINED, actor=person, community=community, target=membership)
    return membership


def leave_community(community: Community, *, person: User) -> Membership:
    """Leave at any time. Nothing blocks it: not an open vote, not being the founder or an
    office holder. The last member leaving makes the community dormant (never deleted).

    Refused: not logged in (PermissionDenied), not a member (Refused)."""
    if not person.is_authenticated:
        raise PermissionDenied(_("log in to leave"))
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        membership = active_membership(person, community)
        if membership is None:
            raise Refused(_("you are not a member of {name}").format(name=community.name))
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
        remaining = _count_members(community, -1)
        record(
            events.MEMBER_LEFT,
            actor=person,
            community=community,
            target=membership,
            data={"role": membership.role},
        )
        if remaining == 0:
            community.status = Status.DORMANT
            community.save(update_fields=["status"])
            record(events.DORMANT, actor=person, community=community, target=community)
    return membership


def _count_members(community: Community, change: int) -> int:
    """Add ``change`` to the kept member count (the caller holds the row lock)."""
    Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + change)
    community.member_count = Community.objects.values_list("member_count", flat=True).get(
        pk=community.pk
    )
    return community.member_count


def edit_community(community: Community, *, person: User, description: str) -> Community:
    """Edit the public description (office holders; every member under an assembly)."""
    if not person.has_perm("communities.edit_community", community):
        raise PermissionDenied("only the community's office holders may edit its description")
    with transaction.atomic():
        community.description = description
        community.save(update_fields=["description"])
        record(events.EDITED, actor=person, community=community, target=community)
    return community


def set_governance(
    community: Community,
    *,
    person: User | None,
    governance: str,
    capital: str = "",
    office_holders: Sequence[int] = (),
    proposal=None,
) -> Community:
    """Apply a governance change decided by the members: the model, the capital, and who
    holds office (council members, or the one leader). ``person`` None: the community."""
    with transaction.atomic():
        community.governance = governance
        community.capital = capital if governance == Governance.LEADER else ""
        community.save(update_fields=["governance", "capital"])
        active = Membership.objects.filter(community=community, left_at__isnull=True)
        active.update(role=Role.MEMBER)
        role = {Governance.COUNCIL: Role.COUNCIL, Governance.LEADER: Role.LEADER}.get(governance)
        holders = []
        if role:
            holders = list(
                active.filter(person_id__in=list(office_holders)).values_list(
                    "person_id", flat=True
                )
            )
            active.filter(person_id__in=holders).update(role=role)
        record(
            events.GOVERNANCE_CHANGED,
            actor=person,
            community=community,
            target=community,
            data={
                "governance": governance,
                "capital": community.capital,
                "office_holders": sorted(holders),
                "proposal": proposal.pk if proposal else None,
            },
        )
    return community


TERRITORY_FIELDS = ("territory_geojson", "territory_crs", "territory_dataset", "territory_unit_ids")


def set_territory(
    community: Community, *, person: User | None, territory: dict, proposal=None
) -> Community:
    """Apply a territory decided by the members: ``territory`` holds the stored fields
    (:func:`communities.forms.territory_fields`). The audit row names the units before and
    after and a digest of the new outline. ``person`` None: the community's vote."""
    with transaction.atomic():
        locked = _locked(community)
        before = {
            "dataset": locked.territory_dataset,
            "unit_ids": list(locked.territory_unit_ids or []),
            "outline": bool(locked.territory_geojson),
        }
        locked.territory_geojson = territory.get("territory_geojson", "")
        locked.territory_crs = territory.get("territory_crs", "")
        locked.territory_dataset = territory.get("territory_dataset", "")
        locked.territory_unit_ids = list(territory.get("territory_unit_ids") or [])
        locked.save(update_fields=list(TERRITORY_FIELDS))
        record(
            events.TERRITORY_CHANGED,
            actor=person,
            community=locked,
            target=locked,
            data={
                "dataset": locked.territory_dataset,
                "unit_ids": locked.territory_unit_ids,
                "outline_sha256": hashlib.sha256(
                    locked.territory_geojson.encode("utf-8")
                ).hexdigest(),
                "before": before,
                "proposal": proposal.pk if proposal else None,
            },
        )
    community.refresh_from_db()
    return community


def declare_independence(
    community: Community, *, person: User | None, proposal=None, from_name: str = ""
) -> Community:
    """Apply a passed independence declaration: the community leaves its parent."""
    with transaction.atomic():
        parent = community.parent
        community.independent = True
        community.independent_since = timezone.now()
        community.independent_from = parent.name if parent else (from_name or "")
        community.parent = None
        community.requested_parent, community.requested_at = None, None
        community.save(
            update_fields=[
                "independent",
                "independent_since",
                "independent_from",
                "parent",
                "requested_parent",
                "requested_at",
            ]
        )
        record(
            events.INDEPENDENCE_DECLARED,
            actor=person,
            community=community,
            target=community,
            data={
                "from": community.independent_from,
                "from_id": parent.pk if parent else None,
                "proposal": proposal.pk if proposal else None,
            },
        )
        # the registry (above) publishes the declaration in this same transaction
        independence_declared.send(
            sender=Community,
            community=community,
            proposal=proposal,
            parent=parent,
            from_name=community.independent_from,
        )
    return community


def leave_every_community(*, person: User) -> list[Membership]:
    """End all of ``person``'s memberships (their account is being deleted)."""
    return [
        leave_community(m.community, person=person)
        for m in Membership.objects.filter(person=person, left_at__isnull=True).select_related(
            "community"
        )
    ]


def _locked(community: Community) -> Community:
    rows = Community.objects.select_for_update(of=("self",)).select_related("parent")
    return rows.get(pk=community.pk)


def request_parent(community: Community, *, person: User, parent: Community) -> Community:
    """Ask to become part of ``parent`` (the community's office holders; every member in
    an assembly). The parent decides by its own vote; until then nothing changes.

    Refused: not an office holder (PermissionDenied); already part of a community, or
    asking to join itself or one of its own sub-communities (Refused, ValidationError)."""
    if not person.has_perm("communities.request_parent", community):
        raise PermissionDenied(
            f"only the office holders of {community.name} can ask for it to join another community"
        )
    with transaction.atomic():
        locked = _locked(community)
        if locked.parent_id is not None:
            raise Refused(f"{locked.name} is already part of {locked.parent.name}; leave it first")
        if parent.is_within(locked) or parent.pk == locked.pk:
            raise ValidationError(f"{locked.name} cannot join {parent.name}: it lies within it")
        locked.requested_parent, locked.requested_at = parent, timezone.now()
        locked.save(update_fields=["requested_parent", "requested_at"])
        record(
            events.PARENT_REQUESTED,
            actor=person,
            community=locked,
            target=parent,
            data={"parent": parent.pk, "parent_name": parent.name},
        )
    community.refresh_from_db()
    return community


def withdraw_parent_request(community: Community, *, person: User) -> Community:
    """Withdraw the request to join (office holders). Refused when there is none."""
    if not person.has_perm("communities.request_parent", community):
        raise PermissionDenied(f"only the office holders of {community.name} can withdraw it")
    with transaction.atomic():
        locked = _locked(community)
        if locked.requested_parent_id is None:
            raise Refused(f"{locked.name} has not asked to join any community")
        asked = locked.requested_parent_id
        locked.requested_parent, locked.requested_at = None, None
        locked.save(update_fields=["requested_parent", "requested_at"])
        record(
            events.PARENT_REQUEST_WITHDRAWN,
            actor=person,
            community=locked,
            data={"parent": asked},
        )
    community.refresh_from_db()
    return community


def admit_child(parent: Community, child: Community, *, proposal=None) -> str:
    """Carry out the parent's vote to admit ``child`` (inside the closing transaction).

    Returns a note, and changes nothing, when the request no longer stands (withdrawn,
    made to another community, or the child now lies above the parent)."""
    locked = _locked(child)
    if locked.requested_parent_id != parent.pk:
        return f"nothing to do: {locked.name} no longer asks to join {parent.name}"
    if parent.is_within(locked):
        return f"nothing to do: {parent.name} now lies within {locked.name}"
    locked.parent = parent
    locked.requested_parent, locked.requested_at = None, None
    locked.save(update_fields=["parent", "requested_parent", "requested_at"])
    record(
        events.PARENT_ADMITTED,
        actor=None,
        community=parent,
        target=locked,
        data={"child": locked.pk, "proposal": proposal.pk if proposal else None},
    )
    child.refresh_from_db()
    return ""


def leave_parent(community: Community, *, person: User) -> Community:
    """Stop being part of the parent community (office holders; every member in an
    assembly). The parent has no say: nothing of the parent is checked.

    Refused: not an office holder (PermissionDenied); no parent (Refused)."""
    if not person.has_perm("communities.request_parent", community):
        raise PermissionDenied(
            f"only the office holders of {community.name} can take it out of its parent "
            "(its members can also vote to declare independence)"
        )
    with transaction.atomic():
        locked = _locked(community)
        if locked.parent_id is None:
            raise Refused(f"{locked.name} is not part of another community")
        left = locked.parent
        locked.parent = None
        locked.save(update_fields=["parent"])
        record(
            events.PARENT_LEFT,
            actor=person,
            community=locked,
            target=left,
            data={"parent": left.pk, "parent_name": left.name},
        )
    community.refresh_from_db()
    return community
