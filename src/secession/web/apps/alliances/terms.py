"""An alliance's decision rules and charter terms: checked from a payload, built from a
form, described in words (shared by the founding proposal and the alliance's own kinds)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.apps.alliances.decisions import MIN_WINDOW
from secession.web.apps.alliances.models import Admission, Method
from secession.web.apps.constitutions.actions import normalize_text
from secession.web.apps.proposals.kinds import DAY
from secession.web.apps.proposals.rule_words import stored_rule_sentence
from secession.web.apps.proposals.voting import (
    clean_rule,
    clean_window,
    rule_form_fields,
    rule_from_form,
)

MAX_CHARTER = 200_000

METHOD_PHRASES = {
    Method.EQUAL: gettext_lazy("one community, one vote"),
    Method.WEIGHTED: gettext_lazy(
        "each community's vote weighted by its members (frozen when voting opens; a "
        "community whose members vote splits its weight by their yes and no)"
    ),
    Method.DOUBLE: gettext_lazy(
        "a double majority: of the communities, and of the members they represent"
    ),
}


def clean_decision(payload: dict[str, Any]) -> dict[str, Any]:
    """``{"method", "rule", "window_minutes"}`` from a payload; ValidationError why not."""
    method = payload.get("method", Method.EQUAL)
    if method not in Method.values:
        raise ValidationError(
            _("method must be one of {values}").format(values=", ".join(Method.values))
        )
    return {
        "method": method,
        "rule": clean_rule(payload.get("rule") or {}),
        "window_minutes": clean_window(payload.get("window_minutes", 0), minimum=MIN_WINDOW),
    }


def describe_decision(method: str, rule: dict[str, Any], window_minutes: int | None = None) -> str:
    """``"Each member community has one vote. Passes when more than half ... Voting lasts
    14 days"`` (no final full stop: pages add it)."""
    label = str(METHOD_PHRASES.get(method, method))
    text = f"{label[:1].upper()}{label[1:]}. " + stored_rule_sentence(
        rule, voters="member communities", window_minutes=window_minutes
    )
    return text.rstrip(".")


def short_decision(method: str, rule: dict[str, Any], window_minutes: int) -> str:
    """``"Weighted by members. Passes when more than half ... Voting lasts 14 days"``."""
    label = str(Method(method).label) if method in Method.values else method
    sentence = stored_rule_sentence(
        rule, voters="member communities", window_minutes=window_minutes
    )
    return f"{label}. {sentence}".rstrip(".")


def rule_name(cleaned: dict[str, Any]) -> str:
    """A readable name for a rule from the form: ``"more than 1/2"``, ``"at least 2/3"``."""
    # stored with the rule, as the rule's own name: the same in every language
    word = "more than" if cleaned.get("strict") == "more" else "at least"
    return f"{word} {str(cleaned.get('threshold', '')).strip()}"


def decision_form_fields(*, window: int = 14 * DAY) -> dict[str, forms.Field]:
    return {
        "method": forms.ChoiceField(
            label=_("How the member communities decide"), choices=Method.choices
        ),
        **rule_form_fields(window=window, min_window=MIN_WINDOW),
    }


def decision_from_form(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": cleaned["method"],
        "rule": rule_from_form(cleaned, rule_name(cleaned)),
        "window_minutes": cleaned["window_minutes"],
    }


def clean_charter_text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValidationError(_("charter must be the whole text of the charter"))
    if len(raw) > MAX_CHARTER:
        raise ValidationError(
            _("the charter is longer than {n} characters").format(n=f"{MAX_CHARTER:,}")
        )
    text = normalize_text(raw)
    if not text.strip():
        raise ValidationError(_("an alliance needs a charter text"))
    return text


def clean_terms(payload: dict[str, Any], *, admission: str, leavers_keep_vote: bool) -> dict:
    """The charter's terms (defaults: the given ones); ValidationError why not."""
    admission = payload.get("admission", admission)
    if admission not in Admission.values:
        raise ValidationError(
            _("admission must be one of {values}").format(values=", ".join(Admission.values))
        )
    keep = payload.get("leavers_keep_vote", leavers_keep_vote)
    if not isinstance(keep, bool):
        raise ValidationError(_("leavers_keep_vote must be true or false"))
    return {"admission": admission, "leavers_keep_vote": keep}


def describe_terms(admission: str, leavers_keep_vote: bool) -> str:
    joining = (
        _("a community that votes to join is a member at once (open admission)")
        if admission == Admission.OPEN
        else _("a community that votes to join is admitted by a vote of the member communities")
    )
    leaving = (
        _("a community that leaves while a vote is open keeps its vote on it")
        if leavers_keep_vote
        else _("a community that leaves while a vote is open no longer counts in it")
    )
    return _("{joining}; {leaving}").format(joining=joining, leaving=leaving)


def terms_form_fields() -> dict[str, forms.Field]:
    return {
        "admission": forms.ChoiceField(
            label=_("Admission of new members"), choices=Admission.choices
        ),
        "leavers_keep_vote": forms.BooleanField(
            label=_("A community that leaves while a vote is open keeps its vote on it"),
            required=False,
        ),
    }
