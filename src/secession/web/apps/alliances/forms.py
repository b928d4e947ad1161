"""Alliance forms: an alliance proposal (common fields plus the kind's), a pledge, closing
a pledge."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secession.web.apps.alliances.kinds import AllianceKind
from secession.web.apps.alliances.models import PledgeKind, PledgeStatus


class AllianceProposalForm(forms.Form):
    community = forms.ChoiceField(label=_("You propose for"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, kind: AllianceKind, alliance, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["community"].choices = [(c.slug, c.name) for c in communities]
        self.fields.update(kind.form_fields(alliance))

    def payload(self) -> dict:
        return self.kind.form_payload(self.cleaned_data)


class PledgeForm(forms.Form):
    community = forms.ChoiceField(label=_("For the community"))
    kind = forms.ChoiceField(label=_("Offer or request"), choices=PledgeKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("What is offered or asked, in a line.")
    )
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    answers = forms.ChoiceField(label=_("In answer to the request (offers only)"), required=False)

    def __init__(self, *args, communities, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.slug, c.name) for c in communities]
        self.fields["answers"].choices = [("", _("none"))] + [
            (str(p.pk), f"{p.community.name}: {p.title}") for p in requests
        ]


class ClosePledgeForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (PledgeStatus.FULFILLED, _("Fulfilled")),
            (PledgeStatus.NOT_FULFILLED, _("Not fulfilled")),
        ]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
