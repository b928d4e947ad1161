"""Audit event names of the proposals app (stored in the log; never rename one)."""

RULES_INSTALLED = "rules.installed"
RULE_CHANGED = "rules.changed"
PROPOSAL_OPENED = "proposal.opened"
PROPOSAL_CLOSED = "proposal.closed"
EFFECT_SKIPPED = "proposal.effect_skipped"
VOTE_CAST = "vote.cast"
PROPOSAL_COUNTING = "proposal.counting"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    RULES_INSTALLED: "The voting rules of {community} were installed",
    RULE_CHANGED: "A voting rule of {community} was changed",
    PROPOSAL_OPENED: "{actor} proposed {target} in {community}",
    PROPOSAL_CLOSED: lambda e: (
        f"The vote on {e.target} closed: it {'passed' if e.data.get('passed') else 'did not pass'}"
    ),
    EFFECT_SKIPPED: "{target} passed, but what it asked could not be done",
    VOTE_CAST: "{actor} cast a vote on {target}",
    PROPOSAL_COUNTING: "Voting on {target} closed; the trustees are counting",
}
