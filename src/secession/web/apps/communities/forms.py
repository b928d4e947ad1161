"""Founding form, and turning territory input into stored fields (shared with the API)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from secession.exceptions import SecessionError
from secession.web.apps.communities.models import Community, Governance, Kind
from secession.web.apps.communities.territory import (
    LONLAT,
    UNIT_DATASETS,
    parse_corners,
    parse_geojson,
    place_geojson,
    units_territory,
)


def territory_fields(geojson: str, dataset: str, unit_ids: list[str]) -> dict:
    """Stored territory fields from a polygon or a set of unit ids (ValidationError)."""
    geojson = (geojson or "").strip()
    ids = [u for u in (unit_ids or []) if str(u).strip()]
    if geojson and ids:
        raise ValidationError("give the territory either as a polygon or as unit ids, not both")
    try:
        if geojson:
            return {"territory_geojson": parse_geojson(geojson), "territory_crs": LONLAT}
        if ids:
            geometry, crs, clean = units_territory(dataset or "us-counties-2020", ids)
            return {
                "territory_geojson": geometry,
                "territory_crs": crs,
                "territory_dataset": dataset or "us-counties-2020",
                "territory_unit_ids": clean,
            }
    except SecessionError as exc:
        raise ValidationError(str(exc)) from exc
    return {}


class FoundForm(forms.Form):
    name = forms.CharField(
        max_length=120, error_messages={"required": "Give the community a name."}
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.TOWN)
    indigenous = forms.BooleanField(
        label="This is an indigenous nation",
        required=False,
        help_text="With the kind Nation: a nation registers as the sovereign people it is "
        "and can publish a declaration of sovereignty naming its land and the state that "
        "claims it.",
    )
    parent = forms.ModelChoiceField(
        Community.objects.all(),
        required=False,
        to_field_name="slug",
        label="Ask to join (optional)",
        empty_label="(none: a top-level community)",
        help_text="The new community becomes part of this one only when its members admit "
        "it by vote; until then it is a community of its own. Leaving is always free.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    governance = forms.ChoiceField(choices=Governance.choices, initial=Governance.ASSEMBLY)
    capital = forms.CharField(
        max_length=120, required=False, help_text="Only for a leader with a capital."
    )
    territory_geojson = forms.CharField(
        label="Territory (GeoJSON polygon, longitude/latitude)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The map below writes this field; typing here updates the map.",
    )
    territory_place = forms.CharField(
        label="…or a whole country (start typing, then pick it from the list)",
        required=False,
        widget=forms.TextInput(attrs={"list": "place-names", "autocomplete": "off"}),
    )
    territory_corners = forms.CharField(
        label="…or type the corners (one longitude, latitude pair a line)",
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "12.3, 45.6\n13.0, 45.6\n12.6, 46.1"}
        ),
        required=False,
        help_text="Longitude east is positive, west negative; latitude north positive.",
    )
    territory_file = forms.FileField(
        label="…or upload a GeoJSON file", required=False, help_text="At most 2 MB."
    )
    territory_dataset = forms.ChoiceField(
        label="…or a set of units from a dataset",
        choices=[(k, k) for k in UNIT_DATASETS],
        required=False,
    )
    territory_unit_ids = forms.CharField(
        label="Unit ids (e.g. county FIPS codes, separated by commas or spaces)", required=False
    )
    constitution_text = forms.CharField(
        label="Constitution (a starter text; edit it as you like)",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text="[name] and [governance] are filled in from the fields above when you "
        "found the community. Leave the text empty to found without a constitution.",
    )

    def clean(self):
        data = super().clean()
        if data.get("indigenous") and data.get("kind") != Kind.NATION:
            self.add_error("indigenous", "Choose the kind Nation for an indigenous nation.")
        if data.get("governance") == Governance.LEADER and not data.get("capital", "").strip():
            self.add_error("capital", "A leader-with-capital community names its capital.")
        upload = data.get("territory_file")
        geojson = data.get("territory_geojson", "")
        if upload:
            if upload.size > 2 * 1024 * 1024:
                self.add_error("territory_file", "The file is larger than 2 MB.")
                return data
            geojson = upload.read().decode("utf-8", errors="replace")
        ids = data.get("territory_unit_ids", "").replace(",", " ").split()
        if not geojson.strip():
            for name, build in (
                ("territory_corners", parse_corners),
                ("territory_place", place_geojson),
            ):
                if data.get(name, "").strip():
                    try:
                        geojson = build(data[name])
                    except SecessionError as exc:
                        self.add_error(name, str(exc))
                        return data
                    break
        try:
            data["territory"] = territory_fields(geojson, data.get("territory_dataset", ""), ids)
        except ValidationError as exc:
            field = "territory_unit_ids" if ids and not geojson.strip() else "territory_geojson"
            self.add_error(field, exc)
        return data


class EditForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
