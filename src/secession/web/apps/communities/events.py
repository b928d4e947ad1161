"""Audit event names of the communities app (stored in the log; never rename one)."""

FOUNDED = "community.founded"
EDITED = "community.edited"
DORMANT = "community.dormant"
REVIVED = "community.revived"
GOVERNANCE_CHANGED = "community.governance_changed"
INDEPENDENCE_DECLARED = "community.independence_declared"
PARENT_REQUESTED = "community.parent_requested"
PARENT_REQUEST_WITHDRAWN = "community.parent_request_withdrawn"
PARENT_ADMITTED = "community.parent_admitted"
PARENT_LEFT = "community.parent_left"
MEMBER_JOINED = "membership.joined"
MEMBER_LEFT = "membership.left"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    FOUNDED: "{actor} founded {community}",
    EDITED: "The description of {community} was edited",
    DORMANT: "{community} became dormant: its last member left",
    REVIVED: "{community} came back to life when {actor} joined",
    GOVERNANCE_CHANGED: "The way {community} governs itself was changed",
    INDEPENDENCE_DECLARED: "{community} declared itself independent of its parent",
    PARENT_REQUESTED: "{community} asked to join a parent community",
    PARENT_REQUEST_WITHDRAWN: "{community} withdrew its request to join a parent community",
    PARENT_ADMITTED: "{community} admitted {target} as a part of it",
    PARENT_LEFT: "{target} left {community}",
    MEMBER_JOINED: "{actor} joined {community}",
    MEMBER_LEFT: "{actor} left {community}",
}
