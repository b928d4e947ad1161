"""The world map's input, as plain data: a JSON document of peoples, the recognition rule and
an optional point of view. The command line (``--peoples FILE``, ``--plan DIR``) and the
registry of the platform produce the same document and feed the same drawing function.

Format (``"format": "secession-world-map/1"``; only ``peoples`` and each people's
``name`` and ``status`` are required)::

    {
      "format": "secession-world-map/1",
      "title": "Free peoples of the world",
      "rule": "Shown as recognised once recognised by at least 3 registered peoples",
      "point_of_view": "Cascadia",
      "source": "Registry of free peoples, 1 December 2026",
      "base": "110m",
      "extent": "world",
      "peoples": [
        {
          "id": "cascadia",
          "name": "Cascadia",
          "status": "recognised",
          "recognised_by": ["Vermont", "Lakota Nation", "Jefferson"],
          "left": "United States of America",
          "territory": {"type": "Polygon", "coordinates": [[[-124, 42], ...]]}
        },
        {
          "name": "Jefferson",
          "status": "declared",
          "left": "840",
          "territory": {"units": {"dataset": "us-counties-2020", "ids": ["41033", "06093"]}},
          "within": ["United States of America"]
        }
      ]
    }

``status`` is ``declared`` (independence declared, the rule not met) or ``recognised`` (the
registry's recognition rule is met, or, from a point of view, recognised by that people).
``left`` is the country it separates from (for an indigenous nation: the state that claims
its land), by Natural Earth name or ISO 3166-1 numeric id; without it (or with a name that is
no Natural Earth country, such as a parent community) it is the country holding most of the
territory. A people with no ``territory`` is listed on the map's table, not drawn.
``territory`` is a GeoJSON
Polygon, MultiPolygon, Feature or FeatureCollection in lon/lat (longitudes may run past
±180 for land across the antimeridian), or units of a dataset (see
:mod:`secession.maps.world.territory`). ``within`` (optional) limits the cut to these
countries; by default it is cut out of every country it overlaps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secession.exceptions import DataError, DataMissingError
from secession.geo.world import BASES
from secession.i18n import N_

FORMAT = "secession-world-map/1"
STATUSES = ("declared", "recognised")
EXTENTS = ("world", "peoples")
DEFAULT_RULE = N_("no recognition rule given")
_ID = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``"Lakota Nation"`` -> ``"lakota-nation"`` (a stable id from a name)."""
    return _ID.sub("-", text.casefold()).strip("-") or "people"


@dataclass(frozen=True)
class People:
    """One declared or recognised people, as the document gives it."""

    id: str
    name: str
    status: str
    left: str
    territory: dict[str, Any] | None
    recognised_by: tuple[str, ...] = ()
    within: tuple[str, ...] | None = None
    indigenous: bool = False
    declared: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "recognised_by": list(self.recognised_by),
            "left": self.left,
            "territory": self.territory,
        }
        if self.within is not None:
            out["within"] = list(self.within)
        if self.indigenous:
            out["indigenous"] = True
        for key in ("declared", "url"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class WorldMapDoc:
    """The whole input of a world map."""

    peoples: tuple[People, ...]
    rule: str = DEFAULT_RULE
    title: str | None = None
    point_of_view: str | None = None
    source: str | None = None
    base: str = "110m"
    extent: str = "world"
    origin: str = "the world-map document"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT}
        for key in ("title", "rule", "point_of_view", "source", "base", "extent"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["peoples"] = [p.to_dict() for p in self.peoples]
        return out


def _text(value: Any, where: str, *, required: bool = True) -> str | None:
    if not required and (value is None or value == ""):
        return None
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: must be a non-empty text")
    return value.strip()


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(f"{where}: must be a list of names")
    return tuple(v.strip() for v in value)


def _people(raw: Any, where: str) -> People:
    if not isinstance(raw, dict):
        raise DataError(f"{where}: must be a JSON object")
    name = _text(raw.get("name"), f"{where}.name")
    assert name is not None
    at = f"{where} ({name})"
    status = raw.get("status")
    if status not in STATUSES:
        raise DataError(f"{at}.status: {status!r} is not one of {', '.join(STATUSES)}")
    territory = raw.get("territory")
    if territory is not None and (not isinstance(territory, dict) or not territory):
        raise DataError(
            f'{at}.territory: must be a GeoJSON polygon or {{"units": {{"dataset": ..., '
            '"ids": [...]}}'
        )
    within = raw.get("within")
    indigenous = raw.get("indigenous", False)
    if not isinstance(indigenous, bool):
        raise DataError(f"{at}.indigenous: must be true or false")
    pid = _text(raw.get("id"), f"{at}.id", required=False) or slug(name)
    return People(
        id=pid,
        name=name,
        status=status,
        left=_text(raw.get("left"), f"{at}.left", required=False) or "",
        territory=territory,
        recognised_by=_names(raw.get("recognised_by"), f"{at}.recognised_by"),
        within=None if within is None else _names(within, f"{at}.within") or None,
        indigenous=indigenous,
        declared=_text(raw.get("declared"), f"{at}.declared", required=False),
        url=_text(raw.get("url"), f"{at}.url", required=False),
    )


def parse_world_doc(doc: Any, origin: str = "the world-map document") -> WorldMapDoc:
    """Check a world-map document (already parsed JSON) and return it as a
    :class:`WorldMapDoc`; every error names ``origin`` and the field (``peoples[2].status``)."""
    if not isinstance(doc, dict):
        raise DataError(f"{origin}: must be a JSON object with a 'peoples' list")
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        raise DataError(f"{origin}: format {fmt!r} is not {FORMAT!r}")
    raw = doc.get("peoples")
    if not isinstance(raw, list):
        raise DataError(f"{origin}: 'peoples' must be a list (it may be empty)")
    peoples = tuple(_people(p, f"{origin}: peoples[{i}]") for i, p in enumerate(raw))
    seen: dict[str, str] = {}
    for p in peoples:
        if p.id in seen:
            raise DataError(f"{origin}: two peoples have the id {p.id!r} ({seen[p.id]}, {p.name})")
        seen[p.id] = p.name
    base = doc.get("base", "110m")
    if base not in BASES:
        raise DataError(f"{origin}: base {base!r} is not one of {', '.join(BASES)}")
    extent = doc.get("extent", "world")
    if extent not in EXTENTS:
        raise DataError(f"{origin}: extent {extent!r} is not one of {', '.join(EXTENTS)}")
    rule = doc.get("rule", DEFAULT_RULE)
    if isinstance(rule, dict):  # a rule written as data: {"text": ..., ...}
        rule = rule.get("text")
    known = {"format", "title", "rule", "point_of_view", "source", "base", "extent", "peoples"}
    return WorldMapDoc(
        peoples=peoples,
        rule=_text(rule, f"{origin}: rule") or DEFAULT_RULE,
        title=_text(doc.get("title"), f"{origin}: title", required=False),
        point_of_view=_text(doc.get("point_of_view"), f"{origin}: point_of_view", required=False),
        source=_text(doc.get("source"), f"{origin}: source", required=False),
        base=base,
        extent=extent,
        origin=origin,
        extra={k: v for k, v in doc.items() if k not in known},
    )


def read_world_doc(path: str | Path) -> WorldMapDoc:
    """Read and check a world-map document from a JSON file."""
    path = Path(path)
    if not path.is_file():
        raise DataMissingError(f"{path}: no such file (a world-map document, JSON)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return parse_world_doc(doc, str(path))
