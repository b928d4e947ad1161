"""Datasets a plan may use, as the keyword arguments of ``secession.geo.load.load_graph``.

The bundled US county results of a year the project reads, from the data folder
(``settings.PLANNER_DATA_DIR``, else ``$SECESSION_DATA``): ``{"kind": "us-counties",
"year": 2020}``; or a person's uploaded dataset (:class:`~.models.DataUpload`, once ready):
``{"kind": "upload", "upload": "<id>"}``, read with the columns chosen for it. A job stores
its dataset as JSON; nothing in it is ever executed.
"""

from __future__ import annotations

import math
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
#: more new countries than any dataset has units: refused rather than stored
MAX_COUNTRIES = 100_000
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
    checked as ``load_graph`` reads it and within the site's size limits; ``None``: none.

    Its coordinates are checked one by one before any geometry is made (numbers, finite,
    in degrees, no edge across the antimeridian, at most ``PLANNER_REGION_MAX_POINTS``
    corners): what is kept is a plain GeoJSON geometry of floats, never a file name."""
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
    if not isinstance(geometry, dict):  # a Feature's geometry is an object, never a path
        raise DataError(_("the drawn region must be a GeoJSON polygon"))
    plain = {"type": geometry.get("type"), "coordinates": _coordinates(geometry)}
    try:
        as_region(plain)
    except DataError as exc:
        why = str(exc).removeprefix("the drawn region: ")
        raise DataError(_("the drawn region cannot be used: {why}").format(why=why)) from None
    return plain


def _coordinates(geometry: dict[str, Any]) -> list:
    """The geometry's coordinates as floats, checked corner by corner (see check_region)."""
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        why = _("a region is a Polygon or MultiPolygon, not {kind!r}").format(
            kind=kind if isinstance(kind, str) else type(kind).__name__
        )
        raise DataError(_("the drawn region cannot be used: {why}").format(why=why))
    raw = geometry.get("coordinates")
    polygons = raw if kind == "MultiPolygon" else [raw]
    most = int(getattr(settings, "PLANNER_REGION_MAX_POINTS", 5000))
    if not isinstance(polygons, list) or not polygons:
        raise _unreadable(_("its coordinates must be a list of polygons"))
    corners = sum(len(r) for p in polygons if isinstance(p, list) for r in p if isinstance(r, list))
    if corners > most:
        raise DataError(
            _("the drawn region has {n} corners: at most {most}").format(n=corners, most=most)
        )
    out = []
    for p, rings in enumerate(polygons, 1):
        if not isinstance(rings, list) or not rings:
            raise _unreadable(_("polygon {p} must be a list of rings").format(p=p))
        out.append([_ring(ring, p, r) for r, ring in enumerate(rings, 1)])
    return out if kind == "MultiPolygon" else out[0]


def _ring(ring: Any, p: int, r: int) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _unreadable(
            _("ring {r} of polygon {p} must be a list of at least 4 corners").format(r=r, p=p)
        )
    out: list[list[float]] = []
    for c, corner in enumerate(ring, 1):
        where = _("corner {c} of ring {r} of polygon {p}").format(c=c, r=r, p=p)
        if not (
            isinstance(corner, list)
            and len(corner) in (2, 3)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in corner)
        ):
            raise _unreadable(
                _("{where} must be [longitude, latitude] in numbers").format(where=where)
            )
        try:
            values = [float(v) for v in corner]
        except OverflowError:
            values = [math.inf]
        if not all(math.isfinite(v) for v in values):
            raise _unusable(_("{where} is not a finite number").format(where=where))
        lon, lat = values[:2]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _unusable(
                _(
                    "{where} ({lon:g}, {lat:g}) is not longitude/latitude (longitude -180 "
                    "to 180, latitude -90 to 90)"
                ).format(where=where, lon=lon, lat=lat)
            )
        if out and _across_antimeridian(out[-1], (lon, lat)):
            raise _unusable(
                _(
                    "the edge to {where} crosses the antimeridian (180°); draw the region as "
                    "two polygons, one each side of it"
                ).format(where=where)
            )
        out.append([lon, lat])
    return out


def _across_antimeridian(a, b) -> bool:
    """An edge of more than 180° of longitude: on the earth its shorter way crosses the
    antimeridian, on the map it spans the other way round (ambiguous: RFC 7946 §3.1.9 asks
    for such a region cut in two). An edge along a pole, or from one edge of the map to the
    other (both ends at ±180°), means the same both ways."""
    if abs(b[0] - a[0]) <= 180:
        return False
    along_pole = a[1] == b[1] and abs(a[1]) == 90
    return not along_pole and not (abs(a[0]) == 180 and abs(b[0]) == 180)


def _unusable(why: str) -> DataError:
    return DataError(_("the drawn region cannot be used: {why}").format(why=why))


def _unreadable(why: str) -> DataError:
    return _unusable(_("not a readable GeoJSON polygon ({why})").format(why=why))


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
