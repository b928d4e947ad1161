"""Audit event names of the proposals app (stored in the log; never rename one)."""

RULES_INSTALLED = "rules.installed"
RULE_CHANGED = "rules.changed"
PROPOSAL_OPENED = "proposal.opened"
PROPOSAL_CLOSED = "proposal.closed"
EFFECT_SKIPPED = "proposal.effect_skipped"
VOTE_CAST = "vote.cast"
PROPOSAL_COUNTING = "proposal.counting"
