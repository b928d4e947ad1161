"""The alliance-level kinds the alliances app owns: a resolution, an amendment of the
charter, the admission of an applicant, a change of a decision rule."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.apps.alliances import kinds
from secession.web.apps.alliances.actions import (
    active_membership,
    adopt_charter,
    current_charter,
    join,
    set_rule,
)
from secession.web.apps.alliances.decisions import ADMIT_MEMBER
from secession.web.apps.alliances.kinds import AllianceKind
from secession.web.apps.alliances.models import CharterVersion
from secession.web.apps.alliances.terms import (
    clean_charter_text,
    clean_decision,
    clean_terms,
    decision_form_fields,
    decision_from_form,
    describe_decision,
    describe_terms,
    terms_form_fields,
)
from secession.web.apps.constitutions.diff import diff_lines
from secession.web.apps.proposals.models import Proposal
from secession.web.words import Words

RESOLUTION = "resolution"
AMEND_CHARTER = "amend_charter"
CHANGE_RULE = "change_rule"


class Resolution(AllianceKind):
    name, order = RESOLUTION, 10
    label = Words(gettext_lazy("Resolution"))
    help = Words(
        gettext_lazy("A decision or statement of the member communities; changes nothing else.")
    )

    def describe(self, proposal) -> str:
        return _(
            "A resolution of {alliance}: the member communities' decision is recorded; "
            "nothing else changes."
        ).format(alliance=proposal.alliance.name)


class AmendCharter(AllianceKind):
    name, order = AMEND_CHARTER, 20
    label = Words(gettext_lazy("Amend the charter"))
    help = Words(
        gettext_lazy(
            "A whole new text and terms (admission, leavers' votes); the difference is shown."
        )
    )

    def clean(self, alliance, payload):
        current = current_charter(alliance)
        text = clean_charter_text(payload.get("text", current.text))
        terms = clean_terms(
            payload, admission=current.admission, leavers_keep_vote=current.leavers_keep_vote
        )
        if (text, terms["admission"], terms["leavers_keep_vote"]) == (
            current.text,
            current.admission,
            current.leavers_keep_vote,
        ):
            raise ValidationError(_("the amendment changes nothing in the charter in force"))
        return {"text": text, **terms}

    def apply(self, proposal) -> str:
        p = proposal.payload
        adopt_charter(
            proposal.alliance,
            text=p["text"],
            admission=p["admission"],
            leavers_keep_vote=p["leavers_keep_vote"],
            proposal=proposal,
        )
        return ""

    def describe(self, proposal) -> str:
        p = proposal.payload
        return _(
            "The text below becomes the charter of {alliance} (a new version); its terms: {terms}."
        ).format(
            alliance=proposal.alliance.name,
            terms=describe_terms(p["admission"], p["leavers_keep_vote"]),
        )

    def details(self, proposal):
        base = (
            CharterVersion.objects.filter(
                alliance=proposal.alliance, adopted_at__lte=proposal.opened_at
            )
            .order_by("-number")
            .first()
        )
        lines = diff_lines(base.text if base else "", proposal.payload["text"])
        return {
            "diff": [{"kind": d.kind, "text": d.text} for d in lines],
            "diff_heading": _("Changes to the charter"),
            "terms_before": describe_terms(base.admission, base.leavers_keep_vote) if base else "",
        }

    def form_fields(self, alliance):
        return {
            "text": forms.CharField(
                label=_("The whole new text of the charter"),
                widget=forms.Textarea(attrs={"rows": 14}),
            ),
            **terms_form_fields(),
        }

    def form_initial(self, alliance):
        current = current_charter(alliance)
        return {
            "text": current.text,
            "admission": current.admission,
            "leavers_keep_vote": current.leavers_keep_vote,
        }

    def form_payload(self, cleaned):
        return {
            "text": cleaned["text"],
            "admission": cleaned["admission"],
            "leavers_keep_vote": cleaned["leavers_keep_vote"],
        }


class AdmitMember(AllianceKind):
    """Opened by a community's passed application, never by hand."""

    name, order = ADMIT_MEMBER, 30
    label = Words(gettext_lazy("Admit a member"))
    help = Words(
        gettext_lazy("Opened when a community's members vote to join (unless admission is open).")
    )
    offered = False

    def apply(self, proposal) -> str:
        community = proposal.subject
        if community is None:
            return "nothing to do: the applicant is gone"
        if active_membership(proposal.alliance, community) is not None:
            return f"nothing to do: {community.name} is already a member"
        application = Proposal.objects.filter(pk=proposal.payload.get("application")).first()
        join(
            proposal.alliance,
            community,
            joined_by=application,
            admitted_by=proposal,
            how="admitted by the member communities",
        )
        return ""

    def describe(self, proposal) -> str:
        name = proposal.subject.name if proposal.subject else _("the applicant")
        return _(
            "{name} becomes a member of {alliance} (its own members voted to join: "
            "proposal {application})."
        ).format(
            name=name,
            alliance=proposal.alliance.name,
            application=proposal.payload.get("application"),
        )


class ChangeRule(AllianceKind):
    name, order = CHANGE_RULE, 40
    label = Words(gettext_lazy("Change a decision rule"))
    help = Words(
        gettext_lazy(
            "How one kind of alliance proposal is decided: method, threshold, quorum, window."
        )
    )

    def clean(self, alliance, payload):
        target = payload.get("target_kind")
        if not isinstance(target, str):
            raise ValidationError(_("target_kind must name a kind of alliance proposal"))
        kinds.get(target)
        return {"target_kind": target, **clean_decision(payload)}

    def apply(self, proposal) -> str:
        p = proposal.payload
        set_rule(
            proposal.alliance,
            p["target_kind"],
            method=p["method"],
            rule=p["rule"],
            window_minutes=p["window_minutes"],
            proposal=proposal,
        )
        return ""

    def describe(self, proposal) -> str:
        p = proposal.payload
        decision = describe_decision(p["method"], p["rule"], p["window_minutes"])
        return _(
            "New rule for alliance proposals of kind “{kind}”: {decision}. Proposals already "
            "open keep their rule."
        ).format(kind=kinds.label(p["target_kind"]).lower(), decision=decision)

    def form_fields(self, alliance):
        return {
            "target_kind": forms.ChoiceField(
                label=_("Rule for alliance proposals of kind"),
                choices=[(k.name, k.label) for k in kinds.all_kinds()],
            ),
            **decision_form_fields(),
        }

    def form_payload(self, cleaned):
        decision = decision_from_form(cleaned)
        return {"target_kind": cleaned["target_kind"], **decision}


def register_alliance_kinds() -> None:
    for kind in (Resolution(), AmendCharter(), AdmitMember(), ChangeRule()):
        kinds.register(kind)
