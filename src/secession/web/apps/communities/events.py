"""Audit event names of the communities app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

FOUNDED = "community.founded"
EDITED = "community.edited"
DORMANT = "community.dormant"
REVIVED = "community.revived"
GOVERNANCE_CHANGED = "community.governance_changed"
INDEPENDENCE_DECLARED = "community.independence_declared"
TERRITORY_CHANGED = "community.territory_changed"
PARENT_REQUESTED = "community.parent_requested"
PARENT_REQUEST_WITHDRAWN = "community.parent_request_withdrawn"
PARENT_ADMITTED = "community.parent_admitted"
PARENT_LEFT = "community.parent_left"
MEMBER_JOINED = "membership.joined"
MEMBER_LEFT = "membership.left"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    FOUNDED: _("{actor} founded {community}"),
    EDITED: _("The description of {community} was edited"),
    DORMANT: _("{community} became dormant: its last member left"),
    REVIVED: _("{community} came back to life when {actor} joined"),
    GOVERNANCE_CHANGED: _("The way {community} governs itself was changed"),
    INDEPENDENCE_DECLARED: _("{community} declared itself independent of its parent"),
    TERRITORY_CHANGED: _("The territory of {community} was changed by its members' vote"),
    PARENT_REQUESTED: _("{community} asked to join a parent community"),
    PARENT_REQUEST_WITHDRAWN: _("{community} withdrew its request to join a parent community"),
    PARENT_ADMITTED: _("{community} admitted {target} as a part of it"),
    PARENT_LEFT: _("{target} left {community}"),
    MEMBER_JOINED: _("{actor} joined {community}"),
    MEMBER_LEFT: _("{actor} left {community}"),
}
