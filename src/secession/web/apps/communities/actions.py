"""Community actions. Each runs in one transaction and writes its audit row in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from secession.web.apps.audit.log import record
from secession.web.apps.communities.models import (
    Community,
    Governance,
    Kind,
    Membership,
    Role,
    Status,
)
from secession.web.apps.communities.rules import active_membership
from secession.web.errors import Refused


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
    person,
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
    from secession.web.apps.constitutions.actions import adopt_version
    from secession.web.apps.proposals.actions import install_default_rules

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
            founded_by=person,
        )
        community.full_clean(validate_unique=False)  # field lengths: the API has no form
        community.save()
        record(
            "community.founded",
            actor=person,
            community=community,
            target=community,
            data={
                "name": name,
                "kind": kind,
                "parent": parent.pk if parent else None,
                "governance": governance,
                "capital": community.capital,
            },
        )
        membership = Membership.objects.create(
            community=community,
            person=person,
            role=_role_for_founder(governance),
            joined_at=timezone.now(),
        )
        record(
            "membership.joined",
            actor=person,
            community=community,
            target=membership,
            data={"role": membership.role},
        )
        install_default_rules(community, person=person)
        if constitution_text.strip():
            adopt_version(community, constitution_text, person=person)
    return community


def join_community(community: Community, *, person) -> Membership:
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
            record("community.revived", actor=person, community=community, target=community)
        record("membership.joined", actor=person, community=community, target=membership)
    return membership


def leave_community(community: Community, *, person) -> Membership:
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
            "membership.left",
            actor=person,
            community=community,
            target=membership,
            data={"role": membership.role},
        )
        if not community.active_members().exists():
            community.status = Status.DORMANT
            community.save(update_fields=["status"])
            record("community.dormant", actor=person, community=community, target=community)
    return membership


def edit_community(community: Community, *, person, description: str) -> Community:
    """Edit the public description (office holders; every member under an assembly)."""
    if not person.has_perm("communities.edit_community", community):
        raise PermissionDenied("only the community's office holders may edit its description")
    with transaction.atomic():
        community.description = description
        community.save(update_fields=["description"])
        record("community.edited", actor=person, community=community, target=community)
    return community


def set_governance(
    community: Community,
    *,
    person,
    governance: str,
    capital: str = "",
    office_holders: list[int] = (),
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
            "community.governance_changed",
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


def declare_independence(community: Community, *, person, proposal=None, from_name: str = ""):
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
            "community.independence_declared",
            actor=person,
            community=community,
            target=community,
            data={
                "from": community.independent_from,
                "from_id": parent.pk if parent else None,
                "proposal": proposal.pk if proposal else None,
            },
        )
    return community
