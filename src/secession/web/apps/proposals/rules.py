"""Proposal permissions, declared once; views and the API only name them."""

from __future__ import annotations

import rules

from secession.web.apps.communities.models import Community
from secession.web.apps.communities.rules import is_member
from secession.web.apps.proposals.models import Status


@rules.predicate
def is_eligible(user, proposal) -> bool:
    if not getattr(user, "is_authenticated", False) or proposal is None:
        return False
    return proposal.eligible.filter(person=user).exists()


@rules.predicate
def is_open(user, proposal) -> bool:
    return proposal is not None and proposal.status == Status.OPEN


rules.add_perm("proposals.view_proposal", rules.always_allow)
rules.add_perm("proposals.add_proposal", rules.is_authenticated & is_member)
rules.add_perm("proposals.vote", rules.is_authenticated & is_open & is_eligible)


def communities_where_may_propose(user):
    """The communities where ``user`` has ``proposals.add_proposal`` (an active
    membership), as one query to count and page in SQL (tests/web/test_rules.py checks it
    agrees with the rule for every kind of user)."""
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    return Community.objects.filter(
        memberships__person=user, memberships__left_at__isnull=True
    ).order_by("name", "id")
