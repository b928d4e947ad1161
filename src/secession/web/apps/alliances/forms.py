"""Alliance forms: an alliance proposal (common fields plus the kind's), a pledge, closing
a pledge."""

from __future__ import annotations

from django import forms

from secession.web.apps.alliances.kinds import AllianceKind
from secession.web.apps.alliances.models import PledgeKind, PledgeStatus


class AllianceProposalForm(forms.Form):
    community = forms.ChoiceField(label="You propose for")
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Explanation", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, kind: AllianceKind, alliance, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["community"].choices = [(c.slug, c.name) for c in communities]
        self.fields.update(kind.form_fields(alliance))

    def payload(self) -> dict:
        return self.kind.form_payload(self.cleaned_data)


class PledgeForm(forms.Form):
    community = forms.ChoiceField(label="For the community")
    kind = forms.ChoiceField(label="Offer or request", choices=PledgeKind.choices)
    title = forms.CharField(max_length=200, help_text="What is offered or asked, in a line.")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    answers = forms.ChoiceField(label="In answer to the request (offers only)", required=False)

    def __init__(self, *args, communities, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.slug, c.name) for c in communities]
        self.fields["answers"].choices = [("", "none")] + [
            (str(p.pk), f"{p.community.name}: {p.title}") for p in requests
        ]


class ClosePledgeForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (PledgeStatus.FULFILLED, "Fulfilled"),
            (PledgeStatus.NOT_FULFILLED, "Not fulfilled"),
        ]
    )
    note = forms.CharField(max_length=500, required=False)
