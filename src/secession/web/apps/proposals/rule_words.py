"""Voting rules as sentences for people: "Passes when more than half of the valid votes
(yes and no) are yes, and at least half of the members vote."

Built only from the rule's data (threshold, strict, quorum, which ballots are valid,
double majority, opt-in) and the voting window; the one place pages word a rule.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.referendum import Rule
from secession.referendum.rules import format_percent
from secession.web.apps.proposals.voting import describe_window, rule_from_json

#: shares people say in words rather than as a percentage
SHARE_WORDS: dict[Fraction, str] = {
    Fraction(1, 2): gettext_lazy("half"),
    Fraction(1, 3): gettext_lazy("a third"),
    Fraction(2, 3): gettext_lazy("two thirds"),
    Fraction(1, 4): gettext_lazy("a quarter"),
    Fraction(3, 4): gettext_lazy("three quarters"),
    Fraction(3, 5): gettext_lazy("three fifths"),
    Fraction(1, 5): gettext_lazy("a fifth"),
    Fraction(1, 10): gettext_lazy("a tenth"),
}

#: which ballots count, by (blank ballots valid, abstentions valid): whole lists, so a
#: language can order and join them its own way
VALID_WORDS = {
    (False, False): gettext_lazy("yes and no"),
    (True, False): gettext_lazy("yes, no and blank ballots"),
    (False, True): gettext_lazy("yes, no and abstentions"),
    (True, True): gettext_lazy("yes, no, blank ballots and abstentions"),
}


def share_words(share: Fraction) -> str:
    """``1/2`` -> ``"half"``, ``2/3`` -> ``"two thirds"``, ``11/20`` -> ``"55%"``."""
    if share == 1:
        return _("all")
    if share == 0:
        return _("none")
    return str(SHARE_WORDS.get(share, format_percent(share)))


def _is_percent(share: Fraction) -> bool:
    return share not in SHARE_WORDS and share not in (0, 1)


def more_than_words(share: Fraction) -> str:
    """``"more than half"`` / ``"more than 55%"``."""
    if _is_percent(share):
        return _("more than %(percent)s") % {"percent": share_words(share)}
    return _("more than %(share)s") % {"share": share_words(share)}


def at_least_words(share: Fraction) -> str:
    """``"at least two thirds"`` / ``"at least 55%"``."""
    if _is_percent(share):
        return _("at least %(percent)s") % {"percent": share_words(share)}
    return _("at least %(share)s") % {"share": share_words(share)}


def threshold_words(rule: Rule) -> str:
    """``"more than half"`` / ``"at least two thirds"``."""
    return more_than_words(rule.threshold) if rule.strict else at_least_words(rule.threshold)


def valid_words(rule: Rule) -> str:
    """Which ballots count in the threshold: ``"yes and no"``, ``"yes, no and abstentions"``."""
    return str(
        VALID_WORDS[(bool(rule.count_blank_as_valid), bool(rule.count_abstentions_as_valid))]
    )


def quorum_words(rule: Rule, voters: str = "members") -> str:
    """``"at least half of the members vote"`` (``""`` without a quorum); ``voters`` is
    ``"members"`` or ``"member communities"``."""
    if rule.quorum is None:
        return ""
    communities = voters == "member communities"
    if rule.quorum == 1:
        return (
            _("all of the member communities vote") if communities else _("all of the members vote")
        )
    at_least = {"at_least": at_least_words(rule.quorum)}
    if communities:
        return _("%(at_least)s of the member communities vote") % at_least
    return _("%(at_least)s of the members vote") % at_least


def rule_sentence(
    rule: Rule | dict[str, Any], *, voters: str = "members", window_minutes: int | None = None
) -> str:
    """The whole rule as one or two sentences, e.g. "Passes when more than half of the valid
    votes (yes and no) are yes, and at least half of the members vote. Voting lasts 7 days."
    """
    if isinstance(rule, dict):
        rule = Rule.from_dict(dict(rule))
    clause = _("Passes when %(threshold)s of the valid votes (%(valid)s) are yes") % {
        "threshold": threshold_words(rule),
        "valid": valid_words(rule),
    }
    extra = []
    if quorum := quorum_words(rule, voters):
        extra.append(quorum)
    if rule.double_majority == "units":
        extra.append(_("it also passes in more than half of the areas"))
    elif rule.double_majority == "population":
        extra.append(_("the areas where it passes hold more than half of the people"))
    for condition in extra:
        clause = _("%(rule)s, and %(condition)s") % {"rule": clause, "condition": condition}
    sentences = [_("%(rule)s.") % {"rule": clause}]
    if rule.unit_opt_in:
        sentences.append(_("Each area follows its own result."))
    if rule.strict and rule.threshold == Fraction(1, 2):
        sentences.append(_("A tie fails."))
    if window_minutes is not None:
        sentences.append(
            _("Voting lasts %(window)s.") % {"window": describe_window(window_minutes)}
        )
    return " ".join(sentences)


def stored_rule_sentence(rule_json: dict[str, Any], **kwargs: Any) -> str:
    """:func:`rule_sentence` of a stored rule (one the platform checked with
    :func:`~secession.web.apps.proposals.voting.rule_from_json`)."""
    return rule_sentence(rule_from_json(rule_json), **kwargs)
