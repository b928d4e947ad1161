"""Results as sentences for people: "Passed: 2 of 2 voted yes; more than half was needed."

Built from the stored rule and the stored totals (yes, valid, turnout, eligible), so a
page never shows the engine's working ("yes 2 of 2 valid votes = 1 (100%) ...").
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secession.exceptions import RuleError
from secession.referendum import Rule
from secession.web.apps.proposals.rule_words import (
    at_least_words,
    share_words,
    threshold_words,
)
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
    needed = threshold_words(rule)
    ok_threshold = threshold_met(rule, yes, valid)
    ok_quorum = quorum_met(rule, turnout, eligible_n)
    passed = ok_threshold and ok_quorum
    if not ok_quorum:
        return _quorum_missed(rule, turnout, eligible_n, voters)
    if valid == 0:
        return _("Failed: nobody voted yes or no; %(needed)s was needed.") % {"needed": needed}
    counted = _counted(rule, yes, valid, _frac(totals.get("abstain") or 0))
    if passed:
        return _("Passed: %(counted)s; %(needed)s was needed.") % {
            "counted": counted,
            "needed": needed,
        }
    return _("Failed: %(counted)s; %(needed)s was needed.") % {"counted": counted, "needed": needed}


def _plural_n(value: Fraction) -> int:
    """The count a plural form agrees with (a weighted amount reads as plural)."""
    return value.numerator if value.denominator == 1 else 2


def _quorum_missed(rule: Rule, turnout: Fraction, eligible: Fraction | None, voters: str) -> str:
    words = {
        "turnout": _n(turnout),
        "eligible": "" if eligible is None else _n(eligible),
        "at_least": at_least_words(rule.quorum or Fraction(0)),
    }
    n = _plural_n(turnout)
    if voters == "member communities":
        if eligible is None:
            return (
                ngettext(
                    "Failed: only %(turnout)s member community voted; %(at_least)s had to vote.",
                    "Failed: only %(turnout)s member communities voted; %(at_least)s had to vote.",
                    n,
                )
                % words
            )
        return (
            ngettext(
                "Failed: only %(turnout)s of %(eligible)s member communities voted; "
                "%(at_least)s had to vote.",
                "Failed: only %(turnout)s of %(eligible)s member communities voted; "
                "%(at_least)s had to vote.",
                n,
            )
            % words
        )
    if eligible is None:
        return (
            ngettext(
                "Failed: only %(turnout)s member voted; %(at_least)s had to vote.",
                "Failed: only %(turnout)s members voted; %(at_least)s had to vote.",
                n,
            )
            % words
        )
    return (
        ngettext(
            "Failed: only %(turnout)s of %(eligible)s members voted; %(at_least)s had to vote.",
            "Failed: only %(turnout)s of %(eligible)s members voted; %(at_least)s had to vote.",
            n,
        )
        % words
    )


def _counted(rule: Rule, yes: Fraction, valid: Fraction, abstain: Fraction) -> str:
    """``"2 of 4 voted yes, exactly half (1 abstained, not counted)"``."""
    words = {"yes": _n(yes), "valid": _n(valid), "share": share_words(rule.threshold)}
    n = _plural_n(yes)
    exactly = yes / valid == rule.threshold
    if abstain and not rule.count_abstentions_as_valid:
        words["abstain"] = _n(abstain)
        if exactly:
            text = (
                ngettext(
                    "%(yes)s of %(valid)s voted yes, exactly %(share)s",
                    "%(yes)s of %(valid)s voted yes, exactly %(share)s",
                    n,
                )
                % words
            )
        else:
            text = (
                ngettext("%(yes)s of %(valid)s voted yes", "%(yes)s of %(valid)s voted yes", n)
                % words
            )
        return ngettext(
            "%(counted)s (%(abstain)s abstained, not counted)",
            "%(counted)s (%(abstain)s abstained, not counted)",
            _plural_n(abstain),
        ) % {"counted": text, "abstain": words["abstain"]}
    if exactly:
        return (
            ngettext(
                "%(yes)s of %(valid)s voted yes, exactly %(share)s",
                "%(yes)s of %(valid)s voted yes, exactly %(share)s",
                n,
            )
            % words
        )
    return ngettext("%(yes)s of %(valid)s voted yes", "%(yes)s of %(valid)s voted yes", n) % words


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
