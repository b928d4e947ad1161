"""The platform's side of voting rules: defaults per kind, and tallying through
:mod:`secession.referendum` (the one implementation of thresholds and quorums)."""

from __future__ import annotations

from typing import Any

from secession.referendum import Counts, Outcome, Rule, decide
from secession.web.apps.proposals.models import Kind

DAY = 24 * 60

# (preset or rule fields, window in minutes, secret)
DEFAULT_RULES: dict[str, tuple[dict[str, Any], int, bool]] = {
    Kind.RESOLUTION: (Rule.preset("simple-majority").to_dict(), 7 * DAY, False),
    Kind.ADOPT_CONSTITUTION: (Rule.preset("two-thirds").to_dict(), 14 * DAY, False),
    Kind.AMEND_CONSTITUTION: (Rule.preset("two-thirds").to_dict(), 14 * DAY, False),
    Kind.CHANGE_GOVERNANCE: (Rule.preset("two-thirds").to_dict(), 14 * DAY, False),
    Kind.DECLARE_INDEPENDENCE: (
        {**Rule.preset("two-thirds").to_dict(), "name": "two-thirds-quorum-half", "quorum": "1/2"},
        30 * DAY,
        True,
    ),
    Kind.CHANGE_RULE: (Rule.preset("two-thirds").to_dict(), 14 * DAY, False),
}


def rule_from_json(data: dict[str, Any]) -> Rule:
    """A :class:`Rule` from stored JSON; raises :class:`secession.exceptions.RuleError`."""
    rule = Rule.from_dict(dict(data))
    if rule.double_majority or rule.unit_opt_in:
        from secession.exceptions import RuleError

        raise RuleError(f"rule {rule.name!r}: a community vote has one electorate (no units)")
    return rule


def tally(rule_json: dict[str, Any], *, yes: int, no: int, abstain: int, eligible: int) -> Outcome:
    """Decide a closed proposal with the referendum engine."""
    counts = Counts.single(yes=yes, no=no, abstain=abstain, eligible=eligible)
    return decide(rule_from_json(rule_json), counts)


def describe(rule_json: dict[str, Any]) -> str:
    return rule_from_json(rule_json).describe()


def describe_window(minutes: int) -> str:
    """``20160`` -> ``"14 days"``; ``90`` -> ``"1 hour 30 minutes"``."""
    days, rest = divmod(int(minutes), DAY)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    text = " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)
    return text or "0 minutes"
