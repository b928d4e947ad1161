"""What each kind of proposal carries (payload) and does when it passes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from secession.exceptions import RuleError
from secession.web.apps.proposals.models import Kind


def clean_payload(community, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the payload of a ``kind`` proposal (ValidationError if bad)."""
    from secession.web.apps.communities.models import Governance
    from secession.web.apps.constitutions.actions import current_version, normalize_text

    payload = dict(payload or {})
    if kind not in Kind.values:
        raise ValidationError(f"unknown proposal kind {kind!r}")
    if kind == Kind.RESOLUTION:
        return {}
    if kind in (Kind.ADOPT_CONSTITUTION, Kind.AMEND_CONSTITUTION):
        text = normalize_text(str(payload.get("text", "")))
        if not text.strip():
            raise ValidationError("a constitution proposal carries the whole new text")
        current = current_version(community)
        if kind == Kind.AMEND_CONSTITUTION and current is None:
            raise ValidationError("there is no constitution to amend yet: propose to adopt one")
        if current is not None and current.text == text:
            raise ValidationError("the new text is the same as the constitution in force")
        return {"text": text}
    if kind == Kind.CHANGE_GOVERNANCE:
        governance = payload.get("governance")
        if governance not in Governance.values:
            raise ValidationError(f"governance must be one of {', '.join(Governance.values)}")
        capital = str(payload.get("capital", "")).strip()
        holders = [int(h) for h in payload.get("office_holders", []) or []]
        members = set(
            community.active_members()
            .filter(person_id__in=holders)
            .values_list("person_id", flat=True)
        )
        strangers = sorted(set(holders) - members)
        if strangers:
            raise ValidationError(f"office holders must be members (not: {strangers})")
        if governance == Governance.LEADER:
            if len(holders) != 1:
                raise ValidationError("name exactly one member as leader")
            if not capital:
                raise ValidationError("a leader-with-capital community names its capital")
        elif governance == Governance.COUNCIL:
            if not holders:
                raise ValidationError("name at least one member of the council")
        else:
            holders, capital = [], ""
        return {"governance": governance, "capital": capital, "office_holders": holders}
    if kind == Kind.DECLARE_INDEPENDENCE:
        from_name = str(payload.get("from_name", "")).strip()
        if community.parent is None and not from_name:
            raise ValidationError("name the country or community this one leaves")
        if community.independent:
            raise ValidationError(f"{community.name} is already independent")
        return {"from_name": from_name}
    # change_rule
    from secession.web.apps.proposals.voting import rule_from_json

    target = payload.get("target_kind")
    if target not in Kind.values:
        raise ValidationError(f"target_kind must be one of {', '.join(Kind.values)}")
    try:
        rule = rule_from_json(payload.get("rule") or {})
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc
    try:
        window = int(payload.get("window_minutes", 0))
    except (TypeError, ValueError) as exc:
        raise ValidationError("window_minutes must be a whole number") from exc
    if not 1 <= window <= 366 * 24 * 60:
        raise ValidationError("window_minutes must be between 1 and 527040 (a year)")
    return {
        "target_kind": target,
        "rule": rule.to_dict(),
        "window_minutes": window,
        "secret": bool(payload.get("secret", False)),
    }


def apply(proposal) -> str:
    """Carry out a passed proposal (inside the closing transaction; audited by callee).

    Returns a note when the effect no longer applies (e.g. a second independence
    declaration passing after the first), else an empty string."""
    from secession.web.apps.communities.actions import declare_independence, set_governance
    from secession.web.apps.constitutions.actions import adopt_version
    from secession.web.apps.proposals.actions import set_rule

    community, payload = proposal.community, proposal.payload
    if proposal.kind in (Kind.ADOPT_CONSTITUTION, Kind.AMEND_CONSTITUTION):
        adopt_version(community, payload["text"], person=None, proposal=proposal)
    elif proposal.kind == Kind.CHANGE_GOVERNANCE:
        set_governance(
            community,
            person=None,
            governance=payload["governance"],
            capital=payload.get("capital", ""),
            office_holders=payload.get("office_holders", []),
            proposal=proposal,
        )
    elif proposal.kind == Kind.DECLARE_INDEPENDENCE:
        community.refresh_from_db()
        if community.independent and community.parent is None:
            return f"nothing to do: {community.name} was already independent"
        declare_independence(
            community, person=None, proposal=proposal, from_name=payload.get("from_name", "")
        )
    elif proposal.kind == Kind.CHANGE_RULE:
        set_rule(
            community,
            payload["target_kind"],
            rule=payload["rule"],
            window_minutes=payload["window_minutes"],
            secret=payload["secret"],
            proposal=proposal,
        )
    return ""
