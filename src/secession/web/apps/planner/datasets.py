"""Datasets a plan may use, as the keyword arguments of ``secession.geo.load.load_graph``.

The bundled US county results of a year the project reads, from the data folder
(``settings.PLANNER_DATA_DIR``, else ``$SECESSION_DATA``): ``{"kind": "us-counties",
"year": 2020}``; or a person's uploaded dataset (:class:`~.models.DataUpload`, once ready):
``{"kind": "upload", "upload": "<id>"}``, read with the columns chosen for it. A job stores
its dataset as JSON; nothing in it is ever executed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.exceptions import DataError
from secession.geo.download import DEFAULT_YEARS
from secession.geo.states import resolve_states
from secession.settings import data_file
from secession.web.apps.planner import uploads
from secession.web.apps.planner.models import DataUpload

US_COUNTIES = "us-counties"
UPLOAD = "upload"
YEARS = tuple(DEFAULT_YEARS)
DIRECTIONS = {
    "dem": gettext_lazy("Democratic voters' side leaves"),
    "gop": gettext_lazy("Republican voters' side leaves"),
}


def data_dir() -> str | None:
    return getattr(settings, "PLANNER_DATA_DIR", None) or None


def check_dataset(dataset: dict[str, Any], person=None) -> dict[str, Any]:
    """The dataset, checked (kind, year, files present; an upload ready and ``person``'s):
    raises a clear error if not."""
    if dataset.get("kind") == UPLOAD:
        return {"kind": UPLOAD, "upload": str(ready_upload(dataset.get("upload"), person).pk)}
    if dataset.get("kind") != US_COUNTIES:
        raise DataError(
            _("unknown dataset {kind!r}: choose the US county results").format(
                kind=dataset.get("kind")
            )
        )
    year = dataset.get("year")
    if year not in YEARS:
        raise DataError(
            _("no US county results for {year!r}: choose {years}").format(
                year=year, years=_(" or ").join(map(str, YEARS))
            )
        )
    water = dataset.get("water_links")
    if water is not None and (not isinstance(water, int | float) or water < 0):
        raise DataError(
            _("water links must be a distance of 0 km or more, not {water!r}").format(water=water)
        )
    data_file(f"us-president-county/{year}.csv", data_dir())  # DataMissingError names it
    return {"kind": US_COUNTIES, "year": int(year), "water_links": water}


def check_place(place: list[str] | tuple[str, ...]) -> list[str]:
    """Postal codes of the states (``[]``: the whole country); unknown names are refused."""
    return resolve_states(place)


def check_region(region: Any) -> dict[str, Any] | None:
    """A drawn region (a GeoJSON Polygon or MultiPolygon in lon/lat, or a Feature of one),
    checked as ``load_graph`` reads it and within the site's size limits; ``None``: none."""
    import json

    from secession.geo.region import as_region

    if region is None or region == {}:
        return None
    if not isinstance(region, dict):
        raise DataError(_("the drawn region must be a GeoJSON polygon"))
    size = len(json.dumps(region))
    most = int(getattr(settings, "PLANNER_REGION_MAX_BYTES", 200_000))
    if size > most:
        raise DataError(
            _("the drawn region is too large ({size} bytes): at most {most} bytes").format(
                size=size, most=most
            )
        )
    geometry = region.get("geometry") if region.get("type") == "Feature" else region
    try:
        as_region(geometry)
    except DataError as exc:
        why = str(exc).removeprefix("the drawn region: ")
        raise DataError(_("the drawn region cannot be used: {why}").format(why=why)) from None
    points = _count_points(geometry.get("coordinates"))
    most_points = int(getattr(settings, "PLANNER_REGION_MAX_POINTS", 5000))
    if points > most_points:
        raise DataError(
            _("the drawn region has {n} corners: at most {most}").format(n=points, most=most_points)
        )
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _count_points(coordinates: Any) -> int:
    if not isinstance(coordinates, list | tuple):
        return 0
    if coordinates and isinstance(coordinates[0], int | float):
        return 1
    return sum(_count_points(c) for c in coordinates)


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise DataError(
            _("unknown direction {direction!r}: choose dem or gop").format(direction=direction)
        )
    return direction


def ready_upload(upload_id, person=None) -> DataUpload:
    """The upload ``upload_id``, ready, and ``person``'s when a person is given."""
    found = DataUpload.objects.filter(pk=str(upload_id)).first() if _is_uuid(upload_id) else None
    if found is None or (person is not None and not person.has_perm("planner.use_upload", found)):
        raise DataError(_("no uploaded dataset {id!r} of yours").format(id=upload_id))
    if not found.ready:
        raise DataError(
            _("the uploaded dataset {title!r} has no columns chosen yet").format(title=found.title)
        )
    return found


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def upload_kwargs(upload: DataUpload, columns: dict[str, str | None]) -> dict[str, Any]:
    """What ``load_graph`` receives for ``upload`` read with ``columns``: the same reading
    as ``secession plan --units F`` (or ``--results F --boundaries B``) ``--id-col ...``."""
    where = uploads.folder(upload.owner_id, upload.pk)
    files = {role: str(where / name) for role, name in upload.files.items()}
    return {**files, **{k: v for k, v in columns.items() if v}}


def load_kwargs(
    dataset: dict[str, Any], place: list[str], direction: str, region: dict | None = None
) -> dict[str, Any]:
    """What ``load_graph`` receives for a job: the same reading as ``secession plan
    --year Y --state S --leave D --water-links KM --region FILE`` (an upload: its files
    and columns); ``region`` is the drawn region's GeoJSON geometry (``None``: none)."""
    drawn = {"region": region} if region else {}
    if dataset.get("kind") == UPLOAD:
        upload = ready_upload(dataset["upload"])
        return {**upload_kwargs(upload, upload.columns), "states": tuple(place), **drawn}
    return {
        **drawn,
        "year": int(dataset["year"]),
        "states": tuple(place),
        "leave": direction,
        "data_dir": data_dir(),
        "water_links": dataset.get("water_links"),
    }
