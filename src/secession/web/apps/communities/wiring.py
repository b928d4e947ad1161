"""How the communities app plugs into the apps below it (connected in ``ready()``)."""

from __future__ import annotations

from secession.web.apps.accounts.exports import register_export
from secession.web.apps.accounts.signals import account_deleting
from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.naming import register_lookup
from secession.web.apps.communities.checks import MembershipCheck
from secession.web.apps.communities.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.communities.models import Community, Membership
from secession.web.apps.communities.opendata import connect as connect_exports


def _communities_by_id(ids: set[int]) -> dict[int, Community]:
    return {c.pk: c for c in Community.objects.filter(pk__in=ids)}


def _memberships(user) -> list[dict]:
    rows = Membership.objects.filter(person=user).select_related("community")
    return [
        {
            "community": m.community.slug,
            "role": m.role,
            "joined_at": m.joined_at.isoformat(),
            "left_at": m.left_at.isoformat() if m.left_at else None,
        }
        for m in rows
    ]


def _founded(user) -> list[str]:
    return [c.slug for c in Community.objects.filter(founded_by=user).order_by("created_at")]


def _leave_all(sender, *, person, **kwargs) -> None:
    from secession.web.apps.communities.actions import leave_every_community

    leave_every_community(person=person)


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_check("memberships", MembershipCheck)
    connect_exports()
    register_lookup("community", _communities_by_id)
    register_export("memberships", _memberships)
    register_export("communities_founded", _founded)
    account_deleting.connect(_leave_all, dispatch_uid="communities.leave_all")
