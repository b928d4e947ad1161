"""Referendums: rules as data, integer tallies, decisions with reasons, streamed ballots.

Public API (also used by the web platform for its own votes)::

    from secession.referendum import Rule, Counts, decide
    outcome = decide(Rule.preset("two-thirds"), Counts.single(yes=70, no=30, eligible=120))
    outcome.passed, outcome.reasons

Votes of groups that carry a weight (an alliance of communities: one vote each, weighted
by members, or a double majority), exact and with the same conditions::

    from secession.referendum import GroupVote, decide_weighted
    decide_weighted(rule, [GroupVote("a", 9, "yes", split=(2, 1)), ...], method="weight")
"""

from secession.referendum.rules import (
    PRESETS,
    Rule,
    format_fraction,
    format_percent,
    parse_fraction,
)
from secession.referendum.tally import Condition, Counts, Outcome, decide
from secession.referendum.weighted import GroupVote, WeightedOutcome, decide_weighted

__all__ = [
    "PRESETS",
    "Condition",
    "Counts",
    "GroupVote",
    "Outcome",
    "Rule",
    "WeightedOutcome",
    "decide",
    "decide_weighted",
    "format_fraction",
    "format_percent",
    "parse_fraction",
]
