"""Community permissions, declared once; views and the API only name them."""

from __future__ import annotations

import rules

from secession.web.apps.communities.models import Governance, Role


def active_membership(user, community):
    if not getattr(user, "is_authenticated", False) or community is None:
        return None
    return community.memberships.filter(person=user, left_at__isnull=True).first()


@rules.predicate
def is_member(user, community) -> bool:
    return active_membership(user, community) is not None


@rules.predicate
def is_not_member(user, community) -> bool:
    return active_membership(user, community) is None


@rules.predicate
def holds_office(user, community) -> bool:
    """A council member (council governance) or the leader (leader governance)."""
    membership = active_membership(user, community)
    if membership is None:
        return False
    if community.governance == Governance.COUNCIL:
        return membership.role == Role.COUNCIL
    if community.governance == Governance.LEADER:
        return membership.role == Role.LEADER
    return True  # assembly: every member acts for the community


rules.add_perm("communities.view_community", rules.always_allow)
rules.add_perm("communities.found_community", rules.is_authenticated)
rules.add_perm("communities.join_community", rules.is_authenticated & is_not_member)
# Right of exit: every member may leave, always; nothing else is checked.
rules.add_perm("communities.leave_community", rules.is_authenticated & is_member)
rules.add_perm("communities.edit_community", rules.is_authenticated & holds_office)
# Asking to join a parent, withdrawing the request, and leaving the parent: the
# community's office holders act for it (every member in an assembly). The parent decides
# admission by its own vote (proposal kind ``admit_community``); leaving needs no one.
rules.add_perm("communities.request_parent", rules.is_authenticated & holds_office)
