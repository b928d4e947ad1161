"""Audit event names of the proposals app (stored in the log; never rename one)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

RULES_INSTALLED = "rules.installed"
RULE_CHANGED = "rules.changed"
PROPOSAL_OPENED = "proposal.opened"
PROPOSAL_CLOSED = "proposal.closed"
EFFECT_SKIPPED = "proposal.effect_skipped"
VOTE_CAST = "vote.cast"
PROPOSAL_COUNTING = "proposal.counting"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    RULES_INSTALLED: _("The voting rules of {community} were installed"),
    RULE_CHANGED: _("A voting rule of {community} was changed"),
    PROPOSAL_OPENED: _("{actor} proposed {target} in {community}"),
    PROPOSAL_CLOSED: lambda e: (
        gettext("The vote on {target} closed: it passed")
        if e.data.get("passed")
        else gettext("The vote on {target} closed: it did not pass")
    ).format(target=e.target),
    EFFECT_SKIPPED: _("{target} passed, but what it asked could not be done"),
    VOTE_CAST: _("{actor} cast a vote on {target}"),
    PROPOSAL_COUNTING: _("Voting on {target} closed; the trustees are counting"),
}
