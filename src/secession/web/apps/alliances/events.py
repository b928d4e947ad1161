"""Audit event names of the alliances app (stored in the log; never rename one)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FOUNDED = "alliance.founded"
DORMANT = "alliance.dormant"
REVIVED = "alliance.revived"
CHARTER_ADOPTED = "alliance.charter_adopted"
MEMBER_JOINED = "alliance.member_joined"
MEMBER_LEFT = "alliance.member_left"
APPLICATION_RECEIVED = "alliance.application_received"
RULES_INSTALLED = "alliance.rules_installed"
RULE_CHANGED = "alliance.rule_changed"
PROPOSAL_OPENED = "alliance.proposal_opened"
PROPOSAL_CLOSED = "alliance.proposal_closed"
EFFECT_SKIPPED = "alliance.effect_skipped"
COMMUNITY_VOTED = "alliance.community_voted"
CASTING_CHANGED = "alliance.casting_changed"
PLEDGE_POSTED = "pledge.posted"
PLEDGE_CLOSED = "pledge.closed"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    FOUNDED: _("{actor} founded the alliance {target}, for {community}"),
    DORMANT: _("The alliance {target} became dormant: no member community is left"),
    REVIVED: _("The alliance {target} came back to life when {community} joined"),
    CHARTER_ADOPTED: _("A new charter of the alliance {target} was adopted"),
    MEMBER_JOINED: _("{community} joined the alliance {target}"),
    MEMBER_LEFT: _("{community} left the alliance {target}"),
    APPLICATION_RECEIVED: _("{community} applied to join the alliance {target}"),
    RULES_INSTALLED: _("The voting rules of the alliance {target} were installed"),
    RULE_CHANGED: _("A voting rule of the alliance {target} was changed"),
    PROPOSAL_OPENED: _("{actor} opened the alliance vote {target}, for {community}"),
    PROPOSAL_CLOSED: lambda e: (
        gettext("The alliance vote {target} closed: it passed")
        if e.data.get("passed")
        else gettext("The alliance vote {target} closed: it did not pass")
    ).format(target=e.target),
    EFFECT_SKIPPED: _("The alliance vote {target} passed, but what it asked could not be done"),
    COMMUNITY_VOTED: _("{community} cast its vote on {target}"),
    CASTING_CHANGED: _("{community} changed how it casts its alliance votes"),
    PLEDGE_POSTED: _("{actor} posted the pledge {target} for {community}"),
    PLEDGE_CLOSED: _("The pledge {target} was closed"),
}
