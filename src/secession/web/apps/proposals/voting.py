"""The platform's side of voting rules: reading stored rules, and tallying through
:mod:`secession.referendum` (the one implementation of thresholds and quorums)."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from secession.exceptions import RuleError
from secession.referendum import Counts, Outcome, Rule, decide

DAY = 24 * 60
MAX_WINDOW = 366 * DAY


def rule_from_json(data: dict[str, Any]) -> Rule:
    """A :class:`Rule` from stored JSON; raises :class:`secession.exceptions.RuleError`."""
    rule = Rule.from_dict(dict(data))
    if rule.double_majority or rule.unit_opt_in:
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
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if mins:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    return " ".join(parts) or ngettext("%(n)d minute", "%(n)d minutes", 0) % {"n": 0}


# ---------------------------------------------------------------- rule changes (kinds)
def clean_rule(rule_data: Any) -> dict[str, Any]:
    """A proposed rule, checked and stored as ``Rule.to_dict()``; ValidationError why not."""
    if not isinstance(rule_data, dict):
        raise ValidationError("rule must be an object with the rule's fields")
    try:
        return rule_from_json(rule_data).to_dict()
    except (RuleError, TypeError, ValueError) as exc:
        raise ValidationError(f"rule: {exc}") from exc


def clean_window(window: Any, *, minimum: int = 1) -> int:
    """A voting window in whole minutes between ``minimum`` and a year; ValidationError."""
    if isinstance(window, bool) or not isinstance(window, int | float | str):
        raise ValidationError("window_minutes must be a whole number")
    try:
        as_number = float(window)
    except ValueError:
        raise ValidationError("window_minutes must be a whole number") from None
    if not math.isfinite(as_number) or as_number != int(as_number):
        raise ValidationError("window_minutes must be a whole number")
    window = int(as_number)
    if not minimum <= window <= MAX_WINDOW:
        raise ValidationError(f"window_minutes must be between {minimum} and {MAX_WINDOW} (a year)")
    return window


def rule_form_fields(*, window: int = 7 * DAY, min_window: int = 1) -> dict[str, forms.Field]:
    """Form fields for a rule: threshold, comparison, quorum, abstentions, window."""
    return {
        "threshold": forms.CharField(
            initial="1/2", help_text="Share of yes among yes + no, e.g. 1/2, 2/3, 55%."
        ),
        "strict": forms.ChoiceField(
            label="Comparison",
            choices=[("more", "more than the threshold"), ("least", "at least the threshold")],
        ),
        "quorum": forms.CharField(
            required=False, help_text="Share of the electorate that must vote (optional)."
        ),
        "abstentions_count": forms.BooleanField(
            label="Count abstentions as votes cast (an abstention then weighs like a no)",
            required=False,
        ),
        "window_minutes": forms.IntegerField(
            label="Voting window (minutes)",
            min_value=min_window,
            max_value=MAX_WINDOW,
            initial=window,
        ),
    }


def rule_from_form(cleaned: dict[str, Any], name: str) -> dict[str, Any]:
    """The rule (as a payload's ``rule``) from :func:`rule_form_fields`' cleaned data."""
    rule: dict[str, Any] = {
        "name": name,
        "threshold": cleaned["threshold"],
        "strict": cleaned["strict"] == "more",
    }
    if cleaned.get("quorum"):
        rule["quorum"] = cleaned["quorum"]
    if cleaned.get("abstentions_count"):
        rule["count_abstentions_as_valid"] = True
    return rule
