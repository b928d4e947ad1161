"""The proposal form: common fields plus the fields the chosen kind asks for."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from secession.exceptions import SecessionError
from secession.web.apps.proposals.kinds import ProposalKind
from secession.web.apps.proposals.models import Choice
from secession.web.errors import Refused


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
        self.community = community
        self.fields.update(kind.form_fields(community))
        name_invalid_choices(self)

    def clean(self):
        """The kind checks its payload here too, so a refusal keyed by a field (e.g.
        ``territory_unit_ids``) is shown at that field."""
        data = super().clean()
        if self.errors:
            return data
        try:
            self.kind.clean(self.community, self.kind.form_payload(data))
        except ValidationError as exc:
            keyed = hasattr(exc, "error_dict") and set(exc.error_dict) <= set(self.fields)
            self.add_error(None, exc if keyed else ValidationError(exc.messages))
        except (Refused, PermissionDenied, SecessionError) as exc:
            self.add_error(None, str(exc) or gettext("You may not do this."))
        return data

    def payload(self) -> dict:
        return self.kind.form_payload(self.cleaned_data)


def name_invalid_choices(form: forms.Form) -> None:
    """A choice that is not offered (a tampered form) is refused with a sentence naming
    the field, not Django's bare "Select a valid choice"."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            label = field.label or name.replace("_", " ").capitalize()
            field.error_messages["invalid_choice"] = gettext(
                "Choose one of the options offered for “{field}”."
            ).format(field=label)


class VoteForm(forms.Form):
    """Yes, no or abstain, and the fields the proposal's kind adds to its ballot."""

    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, no or abstain.")},
    )

    def __init__(self, *args, kind: ProposalKind | None = None, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_names: list[str] = []
        if kind is not None and proposal is not None:
            added = kind.vote_fields(proposal)
            self.fields.update(added)
            self.extra_names = list(added)
        name_invalid_choices(self)

    def extra(self) -> dict:
        """The kind's answers (``cast_vote``'s ``extra``)."""
        return {k: self.cleaned_data[k] for k in self.extra_names if self.cleaned_data.get(k)}

    def extra_fields(self) -> list:
        return [self[k] for k in self.extra_names]
