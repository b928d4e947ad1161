"""The proposal form: common fields plus the fields the chosen kind asks for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secession.web.apps.proposals.kinds import ProposalKind
from secession.web.apps.proposals.models import Choice


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the proposal a title.")},
    )
    body = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, kind: ProposalKind, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields.update(kind.form_fields(community))

    def payload(self) -> dict:
        return self.kind.form_payload(self.cleaned_data)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, no or abstain.")},
    )
