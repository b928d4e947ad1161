"""The licences app's kind of proposal: change the licence of the community's data."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from secession.referendum import Rule
from secession.web.apps.licences.actions import current_licence, set_licence
from secession.web.apps.opendata.licences import LICENCES
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.kinds import ProposalKind

CHANGE_LICENCE = "change_licence"


class ChangeLicence(ProposalKind):
    name, label, order = CHANGE_LICENCE, "Change the data licence", 70
    help = (
        "Under which licence anyone may copy the community's public data: CC0 (no "
        "conditions) or CC BY 4.0 (copies name the community)."
    )
    default = Rule.preset("simple-majority")

    def clean(self, community, payload):
        chosen = payload.get("licence")
        if chosen not in LICENCES:
            raise ValidationError(f"licence must be one of {', '.join(LICENCES)}")
        if current_licence(community).id == chosen:
            raise ValidationError(f"the community's data is already under the licence {chosen}")
        return {"licence": chosen}

    def apply(self, proposal) -> str:
        if current_licence(proposal.community).id == proposal.payload["licence"]:
            return "the data is already under this licence"
        set_licence(proposal.community, proposal.payload["licence"], person=None, proposal=proposal)
        return ""

    def describe(self, proposal) -> str:
        chosen = LICENCES[proposal.payload["licence"]]
        return f"{proposal.community.name}'s public data will be under {chosen.name}."

    def form_fields(self, community):
        return {
            "licence": forms.ChoiceField(
                choices=[(lic.id, lic.name) for lic in LICENCES.values()], label="Licence"
            )
        }

    def form_initial(self, community):
        other = [i for i in LICENCES if i != current_licence(community).id]
        return {"licence": other[0]} if other else {}

    def form_payload(self, cleaned):
        return {"licence": cleaned["licence"]}


def register_licence_kind() -> None:
    kinds.register(ChangeLicence())
