"""Everything a map of one plan needs, computed once: geometry to draw, fills, outlines, text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secession.exceptions import DataError
from secession.i18n import DEFAULT, gettext_for, ngettext_for
from secession.maps.countries import CountryKey, country_key
from secession.maps.figures import headline, unit_table
from secession.maps.projection import display_geometry
from secession.maps.style import unit_fills
from secession.plan.model import Plan

US_COUNTY_SOURCE = "compiled in tonmcg/US_County_Level_Election_Results_08-24"


@dataclass
class MapData:
    """Display-ready plan: ``units`` (one row per unit, with ``geometry`` in drawing
    coordinates and a ``fill`` colour), country colours and names, outlines and texts."""

    units: pd.DataFrame
    geometry: Any  # GeoSeries in drawing coordinates, aligned with ``units``
    colors: list[str]
    names: list[str]
    country_outlines: Any  # GeoSeries, one (multi)polygon per country present
    group_outlines: Any | None  # GeoSeries of state (or other group) outlines, or None
    title: str
    subtitle: str
    source: str
    projection: str
    leave_label: str
    stay_label: str
    present: list[int]  # country indices that hold at least one unit
    key: CountryKey  # colours and short names, reusable by another plan's map
    lang: str = DEFAULT  # the language of every text drawn on the maps


def legend_countries(data: MapData) -> list[int]:
    """Countries a legend lists: every one present, the remaining one first, then the new
    ones by name (so a reader finds "Cook, IL" where the alphabet puts it)."""
    new = sorted((c for c in data.present if c > 0), key=lambda c: data.names[c].casefold())
    return [c for c in data.present if c == 0] + new


def label_points(data: MapData) -> dict[int, tuple[float, float]]:
    """Per new country, a point inside its largest piece (in drawing coordinates)."""
    import shapely

    out: dict[int, tuple[float, float]] = {}
    for c, shape in data.country_outlines.items():
        if int(c) == 0 or shape is None or shape.is_empty:
            continue
        parts = list(getattr(shape, "geoms", [shape]))
        biggest = max(parts, key=lambda p: p.area)
        pt = shapely.point_on_surface(biggest)
        out[int(c)] = (pt.x, pt.y)
    return out


def _paint(units: pd.DataFrame, key: CountryKey) -> None:
    country = units["country"].to_numpy()
    units["fill"] = unit_fills(country, units["margin"].to_numpy(), key.colors)
    units["color"] = np.asarray(key.colors, dtype=object)[country]
    units["country_name"] = np.asarray(key.names, dtype=object)[country]


def rekey(data: MapData, key: CountryKey) -> MapData:
    """``data`` with another :class:`CountryKey` (colours and names); geometry is shared."""
    units = data.units.copy()
    _paint(units, key)
    return replace(data, units=units, colors=key.colors, names=key.names, key=key)


def source_note(meta: dict[str, Any], lang: str = DEFAULT) -> str:
    """One line naming the data source and year from a graph's ``meta``, in ``lang``."""
    _ = gettext_for(lang)
    parts: list[str] = []
    if str(meta.get("layout", "")).startswith("us-county"):
        parts.append(
            _("US presidential results by county ({source})").format(source=US_COUNTY_SOURCE)
        )
    files = [
        Path(str(meta[k])).name for k in ("results", "boundaries", "units", "graph") if meta.get(k)
    ]
    if files:
        parts.append(_("files {names}").format(names=", ".join(files)))
    elif meta.get("source"):
        parts.append(str(meta["source"]))
    if meta.get("year"):
        parts.append(_("year {year}").format(year=meta["year"]))
    if meta.get("aggregated_from"):
        agg = meta["aggregated_from"]
        parts.append(_("planned on whole {by} units").format(by=agg.get("by", _("groups"))))
    return _("Data: {parts}").format(parts="; ".join(parts) if parts else _("user-supplied units"))


def plan_title(plan: Plan, lang: str = DEFAULT) -> tuple[str, str]:
    """Title and subtitle of a plan's map, in ``lang``."""
    _, n_ = gettext_for(lang), ngettext_for(lang)
    h = headline(plan)
    g = plan.graph
    n = h["new_countries"]
    title = n_(
        "{n} new country for {leave} voters: {share} of voters end in the country they chose",
        "{n} new countries for {leave} voters: {share} of voters end in the country they chose",
        n,
    ).format(n=n, leave=g.leave_label, share=f"{h['satisfied_share']:.1%}")
    subtitle = _(
        "{stranded_leave} {leave} voters stay behind, {stranded_stay} {stay} voters leave "
        "with a new country; unconstrained bound {bound}"
    ).format(
        stranded_leave=f"{h['stranded_leave_voters']:,.0f}",
        leave=g.leave_label,
        stranded_stay=f"{h['stranded_stay_voters']:,.0f}",
        stay=g.stay_label,
        bound=f"{h['upper_bound_share']:.1%}",
    )
    return title, subtitle


def _where(graph: Any) -> np.ndarray:
    """The larger place each unit lies in (its state's name), or empty strings."""
    for key in ("state_name", "state"):
        if key in graph.groups:
            return np.asarray(graph.groups[key]).astype(str).astype(object)
    return np.full(graph.n_units, "", dtype=object)


def _dissolve(geometry: Any, keys: np.ndarray) -> Any:
    """One geometry per key (outline drawing only), trying the fast coverage union first."""
    import geopandas as gpd
    import shapely

    out = []
    index = []
    values = geometry.values
    for key in pd.unique(keys):
        parts = values[keys == key]
        parts = parts[~shapely.is_empty(parts) & ~pd.isna(parts)]
        if len(parts) == 0:
            continue
        try:
            merged = shapely.coverage_union_all(parts)
            if not shapely.is_valid(merged):
                raise ValueError
        except Exception:
            merged = shapely.union_all(shapely.make_valid(parts))
        out.append(merged)
        index.append(key)
    return gpd.GeoSeries(out, index=index, crs=geometry.crs)


def map_data(
    plan: Plan,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    outline_group: str | None = "state",
    reference: CountryKey | None = None,
    lang: str = DEFAULT,
) -> MapData:
    """Compute :class:`MapData` for ``plan`` (its graph must carry geometry); with
    ``reference`` (another plan's key on the same units) persisting countries keep their
    colour and name; every text is in ``lang``."""
    g = plan.graph
    if g.geometry is None:
        raise DataError("the plan's units have no geometry: nothing to draw (load boundaries)")
    if len(g.geometry) != g.n_units:
        raise DataError(
            f"geometry has {len(g.geometry)} shapes for {g.n_units} units: cannot draw the map"
        )
    geometry, projection = display_geometry(g.geometry.reset_index(drop=True), g.meta)
    units = unit_table(plan, lang)
    key = country_key(plan, reference, lang)
    _paint(units, key)
    units["where"] = _where(g)
    outlines = _dissolve(geometry, units["country"].to_numpy())
    groups = None
    if outline_group and outline_group in g.groups:
        labels = np.asarray(g.groups[outline_group]).astype(str)
        if 1 < len(set(labels.tolist())) < g.n_units:
            groups = _dissolve(geometry, labels)
    auto_title, auto_sub = plan_title(plan, lang)
    present = sorted(set(units["country"].tolist()))
    return MapData(
        units=units,
        geometry=geometry,
        colors=key.colors,
        names=key.names,
        country_outlines=outlines,
        group_outlines=groups,
        title=title or auto_title,
        subtitle=subtitle if subtitle is not None else auto_sub,
        source=source_note(g.meta, lang),
        projection=projection,
        leave_label=g.leave_label,
        stay_label=g.stay_label,
        present=present,
        key=key,
        lang=lang,
    )
