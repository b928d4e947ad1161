"""The constitutions app's kinds of proposal: adopt a constitution, amend it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.referendum import Rule
from secession.web.apps.constitutions.actions import adopt_version, current_version, normalize_text
from secession.web.apps.constitutions.diff import diff_lines
from secession.web.apps.constitutions.models import ConstitutionVersion
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.kinds import ProposalKind
from secession.web.words import Words

ADOPT_CONSTITUTION = "adopt_constitution"
AMEND_CONSTITUTION = "amend_constitution"
CONSTITUTION_KINDS = (ADOPT_CONSTITUTION, AMEND_CONSTITUTION)
MAX_TEXT = 200_000


class _ConstitutionKind(ProposalKind):
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        raw = payload.get("text", "")
        if not isinstance(raw, str):
            raise ValidationError(_("text must be the whole new text of the constitution"))
        if len(raw) > MAX_TEXT:
            raise ValidationError(
                _("the text is longer than {n} characters").format(n=f"{MAX_TEXT:,}")
            )
        text = normalize_text(raw)
        if not text.strip():
            raise ValidationError(_("a constitution proposal carries the whole new text"))
        current = current_version(community)
        if self.name == AMEND_CONSTITUTION and current is None:
            raise ValidationError(_("there is no constitution to amend yet: propose to adopt one"))
        if current is not None and current.text == text:
            raise ValidationError(_("the new text is the same as the constitution in force"))
        return {"text": text}

    def apply(self, proposal) -> str:
        adopt_version(proposal.community, proposal.payload["text"], person=None, proposal=proposal)
        return ""

    def describe(self, proposal) -> str:
        return _("The text below becomes the constitution of {community} (a new version).").format(
            community=proposal.community.name
        )

    def details(self, proposal):
        base = (
            ConstitutionVersion.objects.filter(
                community=proposal.community, adopted_at__lte=proposal.opened_at
            )
            .order_by("-number")
            .first()
        )
        old = base.text if base else ""
        lines = diff_lines(old, proposal.payload["text"])
        return {"diff": [{"kind": d.kind, "text": d.text} for d in lines]}

    def form_fields(self, community):
        return {
            "text": forms.CharField(
                label=_("The whole new text of the constitution"),
                widget=forms.Textarea(attrs={"rows": 16}),
                max_length=MAX_TEXT,
            )
        }

    def form_initial(self, community):
        current = current_version(community)
        return {"text": current.text} if current else {}

    def form_payload(self, cleaned):
        return {"text": cleaned["text"]}


class AdoptConstitution(_ConstitutionKind):
    name, order = ADOPT_CONSTITUTION, 20
    label = Words(gettext_lazy("Adopt a constitution"))
    help = Words(gettext_lazy("Give the community a constitution (when it has none)."))


class AmendConstitution(_ConstitutionKind):
    name, order = AMEND_CONSTITUTION, 30
    label = Words(gettext_lazy("Amend the constitution"))
    help = Words(gettext_lazy("Propose a whole new text; the difference is shown to voters."))


def register_constitution_kinds() -> None:
    kinds.register(AdoptConstitution())
    kinds.register(AmendConstitution())
