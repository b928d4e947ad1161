"""The output contract of a plan: ``assignment.csv``, ``summary.json``, ``plan.geojson``.

Other tools (maps, referendum, web) read these files, so their layout is fixed:

- ``assignment.csv``: ``unit_id,country``; ``country`` is ``stay`` for the remaining
  country, otherwise the new country's label.
- ``summary.json``: the objective and its bounds, and one entry per country (remaining
  country first) with units, population, votes of each side and stranded voters (voters
  who end up in the country they voted against).
- ``plan.geojson``: one feature per unit with its country; geometry as loaded (its CRS is
  named in the file), or ``null`` geometry with a note when the graph has none.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secession.output_dir import make_output_dir
from secession.plan import metrics
from secession.plan.model import Plan


def _number(x: float) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() else x


def country_rows(plan: Plan) -> list[dict[str, Any]]:
    """The ``countries`` of ``summary.json``: the remaining country first, then every new
    country that has units (:func:`secession.plan.metrics.country_rows`)."""
    rows = metrics.country_rows(plan.graph, plan.country, plan.labels)
    return [r.to_dict() for r in rows if r.index == 0 or r.units > 0]


def floor_note(plan: Plan) -> str | None:
    """Plain words when a size floor left no new country: no country can reach it (with the
    largest size possible), or every country that does satisfies fewer voters than none."""
    c = plan.constraints
    if c.min_population <= 0 or (plan.country > 0).any():
        return None
    from secession.plan.reductions import prepare

    g = plan.graph
    prep = prepare(g, c)
    allowed = prep.can_leave
    if c.exclaves == "none" and c.contiguous_new:
        comp = g.component
        largest = max(
            (float(g.population[allowed & (comp == k)].sum()) for k in np.unique(comp)),
            default=0.0,
        )
        where = " on one landmass"
    else:
        largest = float(g.population[allowed].sum())
        where = ""
    if largest < c.min_population:
        return (
            f"No new country can reach the minimum population of {c.min_population:,.0f}: "
            f"the largest possible{where} has {largest:,.0f}."
        )
    return (
        f"No new country: a country of at least {c.min_population:,.0f} is possible (up to "
        f"{largest:,.0f}), but every one found satisfies fewer voters than none at all."
    )


def summary(plan: Plan) -> dict[str, Any]:
    """The ``summary.json`` content."""
    from secession.plan.contiguity import judge

    g = plan.graph
    two = plan.two_side_votes
    meta = {k: v for k, v in g.meta.items() if _jsonable(v) and k != "water_links"}
    judged = judge(g, plan.country, plan.labels)
    return {
        "satisfied_voters": _number(plan.satisfied_voters),
        "satisfied_share": plan.satisfied_voters / two if two > 0 else 0.0,
        "upper_bound": _number(plan.upper_bound),
        "best_bound": _number(plan.best_bound),
        "two_side_votes": _number(two),
        "gap": plan.gap,
        "gap_to_upper_bound": plan.gap_to_upper_bound,
        "proven_optimal": bool(plan.proven_optimal),
        "units": g.n_units,
        "new_countries": len(np.unique(plan.country[plan.country > 0])),
        "countries": country_rows(plan),
        "solver": plan.solver,
        "seconds": round(float(plan.seconds), 4),
        "constraints": plan.constraints.to_dict(),
        "leave_label": g.leave_label,
        "stay_label": g.stay_label,
        "contiguity": judged.to_dict(),
        "contiguity_sentence": judged.sentence(),
        "water_links": g.meta.get("water_links", []),
        "water_links_km": g.meta.get("water_links_km"),
        "note": floor_note(plan),
        "check": plan.stats.get("check"),
        "source": meta,
        "stats": {k: v for k, v in plan.stats.items() if _jsonable(v)},
    }


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _geojson(plan: Plan) -> dict[str, Any]:
    g = plan.graph
    labels = plan.unit_country_labels()
    props = [
        {
            "unit_id": str(g.ids[i]),
            "name": str(g.names[i]),
            "country": str(labels[i]),
            "leave": _number(g.leave[i]),
            "stay": _number(g.stay[i]),
            "population": _number(g.population[i]),
        }
        for i in range(g.n_units)
    ]
    if g.geometry is None:
        return {
            "type": "FeatureCollection",
            "note": "the unit graph has no geometry: features carry the plan without shapes",
            "features": [{"type": "Feature", "geometry": None, "properties": p} for p in props],
        }
    import shapely

    geoms = shapely.to_geojson(np.asarray(g.geometry.values, dtype=object))
    crs = g.geometry.crs
    out: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": None if geom is None else json.loads(geom),
                "properties": p,
            }
            for geom, p in zip(geoms.tolist(), props, strict=True)
        ],
    }
    if crs is not None:
        out["crs_wkt"] = crs.to_wkt()
        epsg = crs.to_epsg()
        if epsg is not None:
            out["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    else:
        out["note"] = "coordinates as loaded (no CRS recorded)"
    return out


def write_plan(plan: Plan, out_dir: str | Path) -> list[Path]:
    """Write the three contract files (the maps and report are the caller's:
    ``secession.maps.render_plan_outputs``, as the CLI does)."""
    out = make_output_dir(out_dir)
    labels = plan.unit_country_labels()
    assignment = out / "assignment.csv"
    pd.DataFrame({"unit_id": plan.graph.ids.astype(str), "country": labels.astype(str)}).to_csv(
        assignment, index=False
    )
    summary_path = out / "summary.json"
    summary_path.write_text(json.dumps(summary(plan), indent=2) + "\n")
    geo_path = out / "plan.geojson"
    geo_path.write_text(json.dumps(_geojson(plan)))
    return [assignment, summary_path, geo_path]
