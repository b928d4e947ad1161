"""The platform's side of voting rules: reading stored rules, and tallying through
:mod:`secession.referendum` (the one implementation of thresholds and quorums)."""

from __future__ import annotations

from typing import Any

from secession.referendum import Counts, Outcome, Rule, decide

DAY = 24 * 60


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
