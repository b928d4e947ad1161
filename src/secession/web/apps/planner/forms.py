"""The form that starts a plan: dataset, place, direction, constraints, solver."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from secession.plan import PlanConstraints
from secession.plan.solve import SOLVERS
from secession.web.apps.planner.datasets import DIRECTIONS, MAX_COUNTRIES, YEARS
from secession.web.apps.planner.models import DataUpload


def _ids(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in text.replace("\n", ",").split(",") if p.strip()))


class PlanForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, label=_("Name of this plan"))
    year = forms.TypedChoiceField(
        choices=[
            (y, format_lazy(_("US presidential results by county, {year}"), year=y)) for y in YEARS
        ],
        coerce=int,
        initial=YEARS[-1],
        label=_("Dataset"),
    )
    upload = forms.ChoiceField(
        required=False,
        label=_("Or one of your uploaded datasets"),
        help_text=_(
            "Its leave column is the side that leaves; the choice of side below is then not used."
        ),
    )
    place_kind = forms.ChoiceField(
        choices=[
            ("states", _("One state, several, or the whole country")),
            ("region", _("A drawn region")),
        ],
        initial="states",
        required=False,
        widget=forms.RadioSelect,
        label=_("Place"),
        help_text=_(
            "A drawn region keeps the counties whose centre lies inside it (within the "
            "states below, when some are given)."
        ),
    )
    place = forms.CharField(
        required=False,
        label=_("States"),
        help_text=_(
            "Postal codes or names separated by commas (e.g. OR or OR, WA); empty: "
            "the whole country."
        ),
    )
    region = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Drawn region (GeoJSON polygon, longitude/latitude)"),
        help_text=_(
            "Draw it on the map below, or paste a GeoJSON Polygon or MultiPolygon here; "
            "used when the place is a drawn region."
        ),
    )
    direction = forms.ChoiceField(choices=list(DIRECTIONS.items()), label=_("Which side leaves"))
    contiguous_new = forms.BooleanField(
        required=False, initial=True, label=_("Each new country is one piece per landmass")
    )
    contiguous_rest = forms.BooleanField(
        required=False, initial=True, label=_("The remaining country is one piece per landmass")
    )
    exclaves = forms.ChoiceField(
        choices=[
            (
                "nearest",
                _(
                    "nearest: a piece away from its main piece lies nearer to it than to "
                    "any other new country"
                ),
            ),
            ("none", _("none: one landmass each")),
            ("any", pgettext_lazy("exclaves", "any")),
        ],
        initial="nearest",
        label=_("Exclaves of new countries"),
    )
    water_links = forms.FloatField(
        required=False,
        min_value=0,
        label=_("Water links (km)"),
        help_text=_(
            "Link counties across water whose shores are this close; empty: the "
            "default crossings (6 km), 0: none."
        ),
    )
    min_population = forms.FloatField(
        min_value=0, initial=0, label=_("Minimum population of a new country")
    )
    max_countries = forms.IntegerField(
        min_value=1,
        max_value=MAX_COUNTRIES,
        initial=1,
        label=_("At most this many new countries"),
    )
    any_number = forms.BooleanField(required=False, label=_("Any number of new countries"))
    consent = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label=_("Consent"),
        help_text=_(
            "A county may leave only if at least this share of its two-side voters "
            "chose to leave (0 to 1); empty: no such rule."
        ),
    )
    lock_leave = forms.CharField(
        required=False,
        label=_("Counties that must leave"),
        help_text=_("FIPS codes, comma-separated."),
    )
    lock_stay = forms.CharField(
        required=False,
        label=_("Counties that must stay"),
        help_text=_("FIPS codes, comma-separated."),
    )
    solver = forms.ChoiceField(
        choices=[(s, s) for s in SOLVERS],
        initial="auto",
        label=_("Solver"),
        help_text=_("exact proves the best plan; fast suits large places; auto chooses."),
    )
    time_limit = forms.FloatField(min_value=0.1, initial=60, label=_("Time limit (seconds)"))
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, initial=0, label=_("Random seed"))

    def __init__(self, *args, person=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mine = DataUpload.objects.none()
        if person is not None and person.is_authenticated:
            mine = DataUpload.objects.filter(owner=person, ready=True).order_by("-created_at")
        self.fields["upload"].choices = [("", gettext("(none: the US county results above)"))] + [
            (str(u.pk), gettext("{title} ({n} units)").format(title=u.title, n=u.n_units))
            for u in mine[:50]
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
            raise forms.ValidationError(
                gettext("at most {most} seconds on this site").format(most=f"{most:g}")
            )
        return value

    def clean_place(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["place"].split(",") if p.strip()]

    def clean_region(self) -> dict | None:
        """The drawn region's GeoJSON (checked fully when the plan starts), or ``None``."""
        text = self.cleaned_data["region"].strip()
        if self.data.get("place_kind") != "region":
            return None
        if not text:
            raise forms.ValidationError(
                gettext("draw the region on the map, or paste its GeoJSON here")
            )
        most = int(getattr(settings, "PLANNER_REGION_MAX_BYTES", 200_000))
        if len(text) > most:
            too_large = gettext(
                "the drawn region is too large ({size} bytes): at most {most} bytes"
            )
            raise forms.ValidationError(too_large.format(size=len(text), most=most))
        try:
            found = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                gettext("not valid GeoJSON: {why} (line {line}, column {column})").format(
                    why=exc.msg, line=exc.lineno, column=exc.colno
                )
            ) from None
        except RecursionError:
            raise forms.ValidationError(
                gettext("not valid GeoJSON: nested deeper than any polygon")
            ) from None
        if not isinstance(found, dict):
            raise forms.ValidationError(gettext("the drawn region must be a GeoJSON polygon"))
        return found

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

    title = forms.CharField(max_length=200, required=False, label=_("Name of this dataset"))
    units = forms.FileField(
        required=False,
        label=_("One file with geometry and votes"),
        help_text=_(
            "A zipped shapefile, GeoJSON, TopoJSON or GeoPackage whose features carry "
            "the vote counts."
        ),
    )
    results = forms.FileField(
        required=False,
        label=_("Or: a results table (CSV)"),
        help_text=_("One row per unit: an id and the votes of each side."),
    )
    boundaries = forms.FileField(
        required=False,
        label=_("and its boundaries"),
        help_text=_("A zipped shapefile, GeoJSON, TopoJSON or GeoPackage with the same ids."),
    )

    def files_by_role(self) -> dict:
        return {r: self.cleaned_data.get(r) for r in ("units", "results", "boundaries")}


COLUMN_LABELS = {
    "id_col": (_("Unit id"), _("unique per unit; in both files for a table with boundaries")),
    "leave_col": (_("Votes of the side that leaves"), _("a count of voters (0 or more)")),
    "stay_col": (_("Votes of the side that stays"), _("a count of voters (0 or more)")),
    "population_col": (_("Population (optional)"), _("empty: the votes of both sides")),
    "name_col": (_("Unit name (optional)"), _("shown on maps and in reports")),
}


class ColumnsForm(forms.Form):
    """Step 2: which columns of the uploaded file hold the id, the votes, the population."""

    def __init__(self, *args, header: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offered = [(c, c) for c in header]
        for name, (label, help_text) in COLUMN_LABELS.items():
            optional = name in ("population_col", "name_col")
            self.fields[name] = forms.ChoiceField(
                choices=(
                    [("", gettext("(none)"))] if optional else [("", gettext("choose a column"))]
                )
                + offered,
                required=not optional,
                label=label,
                help_text=help_text,
            )
