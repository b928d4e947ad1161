"""Alliance permissions, declared once; views and the API only name them.

Who acts in an alliance: a person belongs to it through a member community they are a
member of; a person *speaks for* a member community when they hold office in it (its
council, or its leader; every member of an assembly), as the communities app defines it.
Founding, joining and leaving are the communities' own proposals (``proposals.*``), and a
community's vote on an alliance proposal is an internal proposal (``proposals.vote``).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from secession.web.apps.communities.models import Governance, Membership, Role
from secession.web.apps.communities.rules import holds_office

_OFFICE = (
    Q(community__governance=Governance.ASSEMBLY)
    | Q(community__governance=Governance.COUNCIL, role=Role.COUNCIL)
    | Q(community__governance=Governance.LEADER, role=Role.LEADER)
)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def member_communities(user, alliance, *, office: bool = False):
    """The member communities of ``alliance`` that ``user`` is a member of (``office``:
    those they speak for), as a queryset of memberships of ``user``."""
    rows = Membership.objects.filter(
        person=user,
        left_at__isnull=True,
        community__alliance_memberships__alliance=alliance,
        community__alliance_memberships__left_at__isnull=True,
    )
    return rows.filter(_OFFICE) if office else rows


def belongs_for(user, alliance, community) -> bool:
    """``user`` is a member of ``community`` and it is a member of ``alliance``."""
    if not _authenticated(user) or alliance is None or community is None:
        return False
    return member_communities(user, alliance).filter(community=community).exists()


def speaks_for(user, alliance, community) -> bool:
    """``user`` holds office in ``community`` and it is a member of ``alliance``."""
    if not _authenticated(user) or alliance is None or community is None:
        return False
    return member_communities(user, alliance, office=True).filter(community=community).exists()


@rules.predicate
def belongs_through_a_member(user, alliance) -> bool:
    if not _authenticated(user) or alliance is None:
        return False
    return member_communities(user, alliance).exists()


@rules.predicate
def speaks_for_a_member(user, alliance) -> bool:
    if not _authenticated(user) or alliance is None:
        return False
    return member_communities(user, alliance, office=True).exists()


@rules.predicate
def speaks_for_pledger(user, pledge) -> bool:
    return pledge is not None and holds_office(user, pledge.community)


rules.add_perm("alliances.view_alliance", rules.always_allow)
rules.add_perm("alliances.add_proposal", rules.is_authenticated & belongs_through_a_member)
rules.add_perm("alliances.post_pledge", rules.is_authenticated & speaks_for_a_member)
rules.add_perm("alliances.close_pledge", rules.is_authenticated & speaks_for_pledger)
