"""Community actions. Each runs in one transaction and writes its audit row in it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

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
    under council or leader governance); default voting rules; constitution version 1."""
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
            parent=parent,
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
                "parent": parent.pk if parent else None,
                "governance": governance,
                "capital": community.capital,
                "indigenous": community.indigenous,
            },
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
        raise PermissionDenied("log in to join")
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        if not person.has_perm("communities.join_community", community):
            raise Refused(f"you are already a member of {community.name}")
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    community=community, person=person, joined_at=timezone.now()
                )
        except IntegrityError as exc:
            raise Refused(f"you are already a member of {community.name}") from exc
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
        raise PermissionDenied("log in to leave")
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        membership = active_membership(person, community)
        if membership is None:
            raise Refused(f"you are not a member of {community.name}")
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
        record(
            events.MEMBER_LEFT,
            actor=person,
            community=community,
            target=membership,
            data={"role": membership.role},
        )
        if not community.active_members().exists():
            community.status = Status.DORMANT
            community.save(update_fields=["status"])
            record(events.DORMANT, actor=person, community=community, target=community)
    return membership


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
        community.save(
            update_fields=["independent", "independent_since", "independent_from", "parent"]
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
