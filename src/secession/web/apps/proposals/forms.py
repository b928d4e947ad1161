"""The proposal form: common fields plus the fields of the chosen kind."""

from __future__ import annotations

from django import forms

from secession.web.apps.communities.models import Governance
from secession.web.apps.proposals.models import Choice, Kind


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Explanation", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, kind: str, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind in (Kind.ADOPT_CONSTITUTION, Kind.AMEND_CONSTITUTION):
            self.fields["text"] = forms.CharField(
                label="The whole new text of the constitution",
                widget=forms.Textarea(attrs={"rows": 16}),
            )
        elif kind == Kind.CHANGE_GOVERNANCE:
            members = community.active_members().select_related("person")
            self.fields["governance"] = forms.ChoiceField(choices=Governance.choices)
            self.fields["office_holders"] = forms.MultipleChoiceField(
                label="Council members, or the leader",
                choices=[(m.person_id, m.person.username) for m in members if m.person],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["capital"] = forms.CharField(max_length=120, required=False)
        elif kind == Kind.DECLARE_INDEPENDENCE:
            self.fields["from_name"] = forms.CharField(
                label="Independent from (if the community has no parent here)",
                max_length=200,
                required=False,
            )
        elif kind == Kind.CHANGE_RULE:
            self.fields["target_kind"] = forms.ChoiceField(
                label="Rule for proposals of kind", choices=Kind.choices
            )
            self.fields["threshold"] = forms.CharField(
                initial="1/2", help_text="Share of yes among yes + no, e.g. 1/2, 2/3, 55%."
            )
            self.fields["strict"] = forms.ChoiceField(
                label="Comparison",
                choices=[("more", "more than the threshold"), ("least", "at least the threshold")],
            )
            self.fields["quorum"] = forms.CharField(
                required=False, help_text="Share of the electorate that must vote (optional)."
            )
            self.fields["abstentions_count"] = forms.BooleanField(
                label="Count abstentions as votes cast (an abstention then weighs like a no)",
                required=False,
            )
            self.fields["window_minutes"] = forms.IntegerField(
                label="Voting window (minutes)", min_value=1, initial=7 * 24 * 60
            )
            self.fields["secret"] = forms.BooleanField(label="Secret ballot", required=False)

    def payload(self) -> dict:
        d = self.cleaned_data
        if self.kind in (Kind.ADOPT_CONSTITUTION, Kind.AMEND_CONSTITUTION):
            return {"text": d["text"]}
        if self.kind == Kind.CHANGE_GOVERNANCE:
            return {
                "governance": d["governance"],
                "capital": d["capital"],
                "office_holders": [int(x) for x in d["office_holders"]],
            }
        if self.kind == Kind.DECLARE_INDEPENDENCE:
            return {"from_name": d["from_name"]}
        if self.kind == Kind.CHANGE_RULE:
            rule = {
                "name": f"custom-{d['target_kind']}",
                "threshold": d["threshold"],
                "strict": d["strict"] == "more",
            }
            if d.get("quorum"):
                rule["quorum"] = d["quorum"]
            if d.get("abstentions_count"):
                rule["count_abstentions_as_valid"] = True
            return {
                "target_kind": d["target_kind"],
                "rule": rule,
                "window_minutes": d["window_minutes"],
                "secret": d["secret"],
            }
        return {}


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Choice.choices, widget=forms.RadioSelect)
