"""The form that starts a plan: dataset, place, direction, constraints, solver."""

from __future__ import annotations

from django import forms
from django.conf import settings

from secession.plan import PlanConstraints
from secession.plan.solve import SOLVERS
from secession.web.apps.planner.datasets import DIRECTIONS, YEARS
from secession.web.apps.planner.models import DataUpload


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
    upload = forms.ChoiceField(
        required=False,
        label="Or one of your uploaded datasets",
        help_text="Its leave column is the side that leaves; the choice of side below is "
        "then not used.",
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

    def __init__(self, *args, person=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mine = DataUpload.objects.none()
        if person is not None and person.is_authenticated:
            mine = DataUpload.objects.filter(owner=person, ready=True).order_by("-created_at")
        self.fields["upload"].choices = [("", "(none: the US county results above)")] + [
            (str(u.pk), f"{u.title} ({u.n_units} units)") for u in mine[:50]
        ]

    def dataset(self) -> dict:
        d = self.cleaned_data
        if d.get("upload"):
            return {"kind": "upload", "upload": d["upload"]}
        return {"kind": "us-counties", "year": d["year"], "water_links": d["water_links"]}

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


class UploadForm(forms.Form):
    """Step 1 of an upload: the files (one with geometry and votes, or a table and boundaries)."""

    title = forms.CharField(max_length=200, required=False, label="Name of this dataset")
    units = forms.FileField(
        required=False,
        label="One file with geometry and votes",
        help_text="A zipped shapefile, GeoJSON, TopoJSON or GeoPackage whose features carry "
        "the vote counts.",
    )
    results = forms.FileField(
        required=False,
        label="Or: a results table (CSV)",
        help_text="One row per unit: an id and the votes of each side.",
    )
    boundaries = forms.FileField(
        required=False,
        label="and its boundaries",
        help_text="A zipped shapefile, GeoJSON, TopoJSON or GeoPackage with the same ids.",
    )

    def files_by_role(self) -> dict:
        return {r: self.cleaned_data.get(r) for r in ("units", "results", "boundaries")}


COLUMN_LABELS = {
    "id_col": ("Unit id", "unique per unit; in both files for a table with boundaries"),
    "leave_col": ("Votes of the side that leaves", "a count of voters (0 or more)"),
    "stay_col": ("Votes of the side that stays", "a count of voters (0 or more)"),
    "population_col": ("Population (optional)", "empty: the votes of both sides"),
    "name_col": ("Unit name (optional)", "shown on maps and in reports"),
}


class ColumnsForm(forms.Form):
    """Step 2: which columns of the uploaded file hold the id, the votes, the population."""

    def __init__(self, *args, header: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offered = [(c, c) for c in header]
        for name, (label, help_text) in COLUMN_LABELS.items():
            optional = name in ("population_col", "name_col")
            self.fields[name] = forms.ChoiceField(
                choices=([("", "(none)")] if optional else [("", "choose a column")]) + offered,
                required=not optional,
                label=label,
                help_text=help_text,
            )
