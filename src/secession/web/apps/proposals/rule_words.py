"""Voting rules as sentences for people: "Passes when more than half of the valid votes
(yes and no) are yes, and at least half of the members vote."

Built only from the rule's data (threshold, strict, quorum, which ballots are valid,
double majority, opt-in) and the voting window; the one place pages word a rule.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from secession.referendum import Rule
from secession.referendum.rules import format_percent
from secession.web.apps.proposals.voting import describe_window, rule_from_json

#: shares people say in words rather than as a percentage
SHARE_WORDS: dict[Fraction, str] = {
    Fraction(1, 2): "half",
    Fraction(1, 3): "a third",
    Fraction(2, 3): "two thirds",
    Fraction(1, 4): "a quarter",
    Fraction(3, 4): "three quarters",
    Fraction(3, 5): "three fifths",
    Fraction(1, 5): "a fifth",
    Fraction(1, 10): "a tenth",
}


def share_words(share: Fraction) -> str:
    """``1/2`` -> ``"half"``, ``2/3`` -> ``"two thirds"``, ``11/20`` -> ``"55%"``."""
    if share == 1:
        return "all"
    if share == 0:
        return "none"
    return SHARE_WORDS.get(share, format_percent(share))


def threshold_words(rule: Rule) -> str:
    """``"more than half"`` / ``"at least two thirds"``."""
    return f"{'more than' if rule.strict else 'at least'} {share_words(rule.threshold)}"


def valid_words(rule: Rule) -> str:
    """Which ballots count in the threshold: ``"yes and no"``, ``"yes, no and abstentions"``."""
    kinds = ["yes", "no"]
    if rule.count_blank_as_valid:
        kinds.append("blank ballots")
    if rule.count_abstentions_as_valid:
        kinds.append("abstentions")
    return ", ".join(kinds[:-1]) + f" and {kinds[-1]}"


def quorum_words(rule: Rule, voters: str = "members") -> str:
    """``"at least half of the members vote"`` (``""`` without a quorum)."""
    if rule.quorum is None:
        return ""
    if rule.quorum == 1:
        return f"all of the {voters} vote"
    return f"at least {share_words(rule.quorum)} of the {voters} vote"


def rule_sentence(
    rule: Rule | dict[str, Any], *, voters: str = "members", window_minutes: int | None = None
) -> str:
    """The whole rule as one or two sentences, e.g. "Passes when more than half of the valid
    votes (yes and no) are yes, and at least half of the members vote. Voting lasts 7 days."
    """
    if isinstance(rule, dict):
        rule = Rule.from_dict(dict(rule))
    text = f"Passes when {threshold_words(rule)} of the valid votes ({valid_words(rule)}) are yes"
    extra = []
    if quorum := quorum_words(rule, voters):
        extra.append(quorum)
    if rule.double_majority == "units":
        extra.append("it also passes in more than half of the areas")
    elif rule.double_majority == "population":
        extra.append("the areas where it passes hold more than half of the people")
    if extra:
        text += ", and " + ", and ".join(extra)
    text += "."
    if rule.unit_opt_in:
        text += " Each area follows its own result."
    if rule.strict and rule.threshold == Fraction(1, 2):
        text += " A tie fails."
    if window_minutes is not None:
        text += f" Voting lasts {describe_window(window_minutes)}."
    return text


def stored_rule_sentence(rule_json: dict[str, Any], **kwargs: Any) -> str:
    """:func:`rule_sentence` of a stored rule (one the platform checked with
    :func:`~secession.web.apps.proposals.voting.rule_from_json`)."""
    return rule_sentence(rule_from_json(rule_json), **kwargs)
