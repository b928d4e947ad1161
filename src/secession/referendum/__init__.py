"""Referendums: rules as data, integer tallies, decisions with reasons, streamed ballots.

Public API (also used by the web platform for its own votes)::

    from secession.referendum import Rule, Counts, decide
    outcome = decide(Rule.preset("two-thirds"), Counts.single(yes=70, no=30, eligible=120))
    outcome.passed, outcome.reasons
"""

from secession.referendum.rules import (
    PRESETS,
    Rule,
    format_fraction,
    format_percent,
    parse_fraction,
)
from secession.referendum.tally import Condition, Counts, Outcome, decide

__all__ = [
    "PRESETS",
    "Condition",
    "Counts",
    "Outcome",
    "Rule",
    "decide",
    "format_fraction",
    "format_percent",
    "parse_fraction",
]
