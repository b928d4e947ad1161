"""Results as sentences for people: "Passed: 2 of 2 voted yes; more than half was needed."

Built from the stored rule and the stored totals (yes, valid, turnout, eligible), so a
page never shows the engine's working ("yes 2 of 2 valid votes = 1 (100%) ...").
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from secession.exceptions import RuleError
from secession.referendum import Rule
from secession.web.apps.proposals.rule_words import share_words, threshold_words
from secession.web.apps.proposals.voting import rule_from_json


def _n(value: Any) -> str:
    """A count (``1,234``) or a weighted amount (``2.5``)."""
    number = Fraction(str(value)) if not isinstance(value, int | Fraction) else Fraction(value)
    if number.denominator == 1:
        return f"{number.numerator:,}"
    return f"{float(number):,.2f}".rstrip("0").rstrip(".")


def _frac(value: Any) -> Fraction:
    return Fraction(str(value)) if not isinstance(value, int | Fraction) else Fraction(value)


def threshold_met(rule: Rule, yes: Fraction, valid: Fraction) -> bool:
    if valid <= 0:
        return False
    share = yes / valid
    return share > rule.threshold if rule.strict else share >= rule.threshold


def quorum_met(rule: Rule, turnout: Fraction, eligible: Fraction | None) -> bool:
    if rule.quorum is None:
        return True
    return bool(eligible) and turnout / eligible >= rule.quorum


def result_sentence(
    rule: Rule | dict[str, Any], totals: dict[str, Any], *, voters: str = "members"
) -> str:
    """``"Passed: 2 of 2 voted yes; more than half was needed."``,
    ``"Failed: 1 of 3 voted yes; two thirds was needed."``,
    ``"Failed: only 1 of 10 members voted; at least half had to vote."``,
    ``"Failed: 2 of 4 voted yes, exactly half; more than half was needed."``.

    ``totals`` holds ``yes`` and ``valid`` (and ``turnout``, ``eligible``, ``abstain``
    when known), as :func:`secession.referendum.decide` stores them.
    """
    if isinstance(rule, dict):
        rule = rule_from_json(rule)
    yes, valid = _frac(totals.get("yes", 0)), _frac(totals.get("valid", 0))
    eligible = totals.get("eligible")
    turnout = _frac(totals.get("turnout", valid))
    eligible_n = None if eligible is None else _frac(eligible)
    needed = f"{threshold_words(rule)} was needed"
    ok_threshold = threshold_met(rule, yes, valid)
    ok_quorum = quorum_met(rule, turnout, eligible_n)
    passed = ok_threshold and ok_quorum
    if not ok_quorum:
        of = f" of {_n(eligible_n)}" if eligible_n is not None else ""
        text = f"Failed: only {_n(turnout)}{of} {voters} voted; at least "
        return text + f"{share_words(rule.quorum or Fraction(0))} had to vote."
    if valid == 0:
        return f"Failed: nobody voted yes or no; {needed}."
    counted = f"{_n(yes)} of {_n(valid)} voted yes"
    if yes / valid == rule.threshold:
        counted += f", exactly {share_words(rule.threshold)}"
    abstain = _frac(totals.get("abstain") or 0)
    if abstain and not rule.count_abstentions_as_valid:
        counted += f" ({_n(abstain)} abstained, not counted)"
    return f"{'Passed' if passed else 'Failed'}: {counted}; {needed}."


def stored_result_sentence(rule_json: dict[str, Any], result: dict[str, Any], **kw: Any) -> str:
    """The sentence for a closed proposal's stored ``result`` (``""`` when its rule can no
    longer be applied: the page then shows the stored reasons)."""
    totals = dict(result.get("totals") or {})
    if "yes" not in totals or "valid" not in totals:
        return ""
    if totals.get("eligible") is None and result.get("eligible") is not None:
        totals["eligible"] = result["eligible"]
    try:
        return result_sentence(rule_json, totals, **kw)
    except (RuleError, TypeError, ValueError, ZeroDivisionError):
        return ""
