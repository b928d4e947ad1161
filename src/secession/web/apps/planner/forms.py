"""The form that starts a plan: dataset, place, direction, constraints, solver."""

from __future__ import annotations

from django import forms
from django.conf import settings

from secession.plan import PlanConstraints
from secession.plan.solve import SOLVERS
from secession.web.apps.planner.datasets import DIRECTIONS, YEARS


def _ids(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in text.replace("\n", ",").split(",") if p.strip()))


class PlanForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, label="Name of this plan")
    year = forms.TypedChoiceField(
        choices=[(y, f"US presidential results by county, {y}") for y in YEARS],
        coerce=int,
        initial=YEARS[-1],
        label="Dataset",
    )
    place = forms.CharField(
        required=False,
        label="States",
        help_text="Postal codes or names separated by commas (e.g. OR or OR, WA); empty: "
        "the whole country.",
    )
    direction = forms.ChoiceField(choices=list(DIRECTIONS.items()), label="Which side leaves")
    contiguous_new = forms.BooleanField(
        required=False, initial=True, label="Each new country is one piece per landmass"
    )
    contiguous_rest = forms.BooleanField(
        required=False, initial=True, label="The remaining country is one piece per landmass"
    )
    exclaves = forms.ChoiceField(
        choices=[
            (
                "nearest",
                "nearest: a piece away from its main piece lies nearer to it than to "
                "any other new country",
            ),
            ("none", "none: one landmass each"),
            ("any", "any"),
        ],
        initial="nearest",
        label="Exclaves of new countries",
    )
    water_links = forms.FloatField(
        required=False,
        min_value=0,
        label="Water links (km)",
        help_text="Link counties across water whose shores are this close; empty: the "
        "default crossings (6 km), 0: none.",
    )
    min_population = forms.FloatField(
        min_value=0, initial=0, label="Minimum population of a new country"
    )
    max_countries = forms.IntegerField(
        min_value=1, initial=1, label="At most this many new countries"
    )
    any_number = forms.BooleanField(required=False, label="Any number of new countries")
    consent = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label="Consent",
        help_text="A county may leave only if at least this share of its two-side voters "
        "chose to leave (0 to 1); empty: no such rule.",
    )
    lock_leave = forms.CharField(
        required=False, label="Counties that must leave", help_text="FIPS codes, comma-separated."
    )
    lock_stay = forms.CharField(
        required=False, label="Counties that must stay", help_text="FIPS codes, comma-separated."
    )
    solver = forms.ChoiceField(
        choices=[(s, s) for s in SOLVERS],
        initial="auto",
        help_text="exact proves the best plan; fast suits large places; auto chooses.",
    )
    time_limit = forms.FloatField(min_value=0.1, initial=60, label="Time limit (seconds)")
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, initial=0, label="Random seed")

    def clean_time_limit(self) -> float:
        value = self.cleaned_data["time_limit"]
        most = float(settings.PLANNER_MAX_TIME_LIMIT)
        if value > most:
            raise forms.ValidationError(f"at most {most:g} seconds on this site")
        return value

    def clean_place(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["place"].split(",") if p.strip()]

    def constraints(self) -> PlanConstraints:
        d = self.cleaned_data
        return PlanConstraints(
            contiguous_new=d["contiguous_new"],
            contiguous_rest=d["contiguous_rest"],
            min_population=d["min_population"],
            max_countries=None if d["any_number"] else d["max_countries"],
            consent=d["consent"],
            lock_leave=_ids(d["lock_leave"]),
            lock_stay=_ids(d["lock_stay"]),
            exclaves=d["exclaves"],
        )
