"""Rebuild a plan from the files ``secession plan --out DIR`` wrote, to draw it again.

Reads ``assignment.csv`` (which unit ends where), ``summary.json`` (objective, bounds,
labels, constraints, data source), ``plan.geojson`` (shapes and votes of every unit) and,
when the maps were drawn before, ``units.json`` (other votes, groupings such as the states,
adjacency, title: see :mod:`secession.maps.sidecar`), and checks that they agree with one
another before anything is drawn.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secession.exceptions import DataError, DataMissingError
from secession.geo.graph import UnitGraph
from secession.maps.sidecar import fips_states, read_sidecar
from secession.plan.metrics import satisfied_voters
from secession.plan.model import STAY, Plan, PlanConstraints

FILES = ("assignment.csv", "summary.json", "plan.geojson")


def _need(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise DataMissingError(
            f"{path}: missing; `secession map DIR` needs the {', '.join(FILES)} that "
            "`secession plan` writes into its output folder"
        )
    return path


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a JSON object")
    return doc


def _summary_number(summary: dict[str, Any], key: str, default: Any, path: Path) -> float:
    value = summary.get(key, default)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise DataError(f"{path}: {key} is not a number ({value!r})") from None


def _labels(summary: dict[str, Any], used: list[str], path: Path) -> list[str]:
    """Country labels in index order: from ``summary.json``, else stay then sorted labels."""
    rows = summary.get("countries") or []
    by_index: dict[int, str] = {}
    for row in rows:
        if isinstance(row, dict) and "label" in row and "country" in row:
            index = _summary_number(row, "country", None, path)
            if not index.is_integer() or index < 0:
                raise DataError(f"{path}: country {row['country']!r} is not a country index")
            by_index[int(index)] = str(row["label"])
    if by_index:
        n = max(by_index) + 1
        labels = [by_index.get(k, f"country-{k}") for k in range(n)]
        labels[0] = by_index.get(0, STAY)
    else:
        labels = [STAY, *sorted(u for u in set(used) if u != STAY)]
    unknown = sorted(set(used) - set(labels))
    if unknown:
        raise DataError(
            f"{path}: assignment.csv names countries that summary.json does not list: "
            + ", ".join(unknown[:10])
        )
    return labels


def _geometry(doc: dict[str, Any], ids: list[str], path: Path) -> tuple[list[Any], Any]:
    import shapely.geometry
    from shapely.errors import ShapelyError

    geoms = []
    for uid, f in zip(ids, doc["features"], strict=True):
        try:
            geoms.append(
                None if f.get("geometry") is None else shapely.geometry.shape(f["geometry"])
            )
        except (AttributeError, KeyError, TypeError, ValueError, ShapelyError) as exc:
            raise DataError(f"{path}: unit {uid}: geometry cannot be read ({exc})") from None
    crs = None
    if doc.get("crs_wkt"):
        crs = doc["crs_wkt"]
    elif isinstance(doc.get("crs"), dict):
        crs = doc["crs"].get("properties", {}).get("name")
    return geoms, crs


def _number(value: Any, path: Path, uid: str, key: str) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        raise DataError(f"{path}: unit {uid}: {key} is not a number ({value!r})") from None


def read_plan_dir(folder: str | Path) -> Plan:
    """The :class:`Plan` stored in ``folder`` (with geometry when the GeoJSON has shapes).

    The title and subtitle the maps were first drawn with, if any, are in
    ``plan.stats["map_title"]`` and ``plan.stats["map_subtitle"]``.
    """
    import geopandas as gpd

    folder = Path(folder)
    if not folder.is_dir():
        raise DataMissingError(f"{folder}: no such plan folder")
    a_path, s_path, g_path = (_need(folder, n) for n in FILES)
    try:
        assignment = pd.read_csv(a_path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise DataError(f"{a_path}: cannot read ({exc})") from None
    if list(assignment.columns[:2]) != ["unit_id", "country"]:
        raise DataError(
            f"{a_path}: expected columns unit_id,country, found {list(assignment.columns)}"
        )
    summary = _read_json(s_path)
    doc = _read_json(g_path)
    if not isinstance(doc.get("features"), list):
        raise DataError(f"{g_path}: not a GeoJSON FeatureCollection")
    if not all(
        isinstance(f, dict) and isinstance(f.get("properties") or {}, dict) for f in doc["features"]
    ):
        raise DataError(f"{g_path}: every feature must be a GeoJSON object with properties")
    props = [f.get("properties") or {} for f in doc["features"]]
    ids = [str(p.get("unit_id", "")) for p in props]
    if any(not i for i in ids):
        raise DataError(f"{g_path}: a feature has no unit_id property")
    if len(set(ids)) != len(ids):
        raise DataError(f"{g_path}: duplicate unit_id values")
    a_ids = assignment["unit_id"].tolist()
    if set(a_ids) != set(ids):
        only_a = sorted(set(a_ids) - set(ids))[:5]
        only_g = sorted(set(ids) - set(a_ids))[:5]
        raise DataError(
            f"{folder}: assignment.csv and plan.geojson list different units "
            f"(only in assignment.csv: {only_a or 'none'}; "
            f"only in plan.geojson: {only_g or 'none'})"
        )
    if len(a_ids) != len(set(a_ids)):
        raise DataError(f"{a_path}: duplicate unit_id values")
    country_of = dict(zip(a_ids, assignment["country"].tolist(), strict=True))
    used = sorted(set(country_of.values()))
    labels = _labels(summary, used, s_path)
    index = {lab: k for k, lab in enumerate(labels)}
    country = np.asarray([index[country_of[u]] for u in ids], dtype=np.int64)

    def column(key: str, default: float | None = None) -> np.ndarray:
        vals = []
        for uid, p in zip(ids, props, strict=True):
            if p.get(key) is None and default is None:
                raise DataError(f"{g_path}: unit {uid} has no {key!r} value")
            vals.append(_number(p.get(key, default), g_path, uid, key))
        return np.asarray(vals, dtype=np.float64)

    leave, stay = column("leave"), column("stay")
    meta = summary.get("source") or {}
    if not isinstance(meta, dict):
        raise DataError(f"{s_path}: source must be a JSON object")
    meta = dict(meta)
    side = read_sidecar(folder, ids)
    if side is not None:
        other, groups, edges = side["other"], side["groups"], side["edges"]
    else:
        other = column("other", math.nan)
        groups, edges = fips_states(ids, meta), np.zeros((0, 2), dtype=np.int64)
    population = column("population", math.nan)
    if np.isnan(population).all():
        population = leave + stay + np.nan_to_num(other)
    elif side is None and np.isnan(other).all():
        other = _other_from_population(summary, labels, country_of, ids, leave, stay, population)
    geoms, crs = _geometry(doc, ids, g_path)
    geometry = None
    if any(g is not None for g in geoms):
        from pyproj.exceptions import CRSError

        try:
            geometry = gpd.GeoSeries(geoms, crs=crs)
        except CRSError as exc:
            raise DataError(f"{g_path}: unknown coordinate reference system ({exc})") from None
    meta["redrawn_from"] = str(folder)
    graph = UnitGraph.from_edges(
        ids=ids,
        leave=leave,
        stay=stay,
        other=other,
        population=population,
        edges=edges,
        groups=groups,
        names=[str(p.get("name", uid)) for uid, p in zip(ids, props, strict=True)],
        geometry=geometry,
        leave_label=str(summary.get("leave_label", "leave")),
        stay_label=str(summary.get("stay_label", "stay")),
        meta=meta,
    )
    satisfied = satisfied_voters(graph, country)
    stated = summary.get("satisfied_voters")
    if stated is not None:
        stated = _summary_number(summary, "satisfied_voters", None, s_path)
    if stated is not None and abs(stated - satisfied) > max(1.0, 1e-9 * satisfied):
        raise DataError(
            f"{s_path}: satisfied_voters {stated:,.0f} disagrees with assignment.csv and "
            f"the votes in plan.geojson ({satisfied:,.0f}); the folder mixes different plans"
        )
    upper = _summary_number(summary, "upper_bound", np.maximum(leave, stay).sum(), s_path)
    return Plan(
        graph=graph,
        country=country,
        labels=labels,
        satisfied_voters=satisfied,
        upper_bound=upper,
        best_bound=_summary_number(summary, "best_bound", upper, s_path),
        proven_optimal=bool(summary.get("proven_optimal", False)),
        solver=str(summary.get("solver", "unknown")),
        seconds=_summary_number(summary, "seconds", 0.0, s_path),
        constraints=_constraints(summary.get("constraints") or {}, s_path),
        stats={
            "map_title": side["title"] if side else None,
            "map_subtitle": side["subtitle"] if side else None,
        },
    )


def _other_from_population(
    summary: dict[str, Any],
    labels: list[str],
    country_of: dict[str, str],
    ids: list[str],
    leave: np.ndarray,
    stay: np.ndarray,
    population: np.ndarray,
) -> np.ndarray:
    """Other votes per unit when ``population`` is just the votes cast (the data had no
    population): recognised when, in every country of ``summary.json``, population minus
    the two sides' votes equals the other votes it reports. Otherwise unknown (NaN)."""
    rest = population - leave - stay
    rows = [r for r in summary.get("countries") or [] if isinstance(r, dict)]
    if not rows or np.any(rest < -0.5):
        return np.full(len(ids), math.nan)
    label = np.asarray([country_of[u] for u in ids], dtype=object)
    for row in rows:
        want = row.get("other_votes")
        if want is None or str(row.get("label")) not in labels:
            return np.full(len(ids), math.nan)
        got = float(rest[label == str(row["label"])].sum())
        if abs(got - float(want)) > 0.5 + 1e-9 * abs(float(want)):
            return np.full(len(ids), math.nan)
    return np.maximum(rest, 0.0)


def _constraints(raw: Any, path: Path) -> PlanConstraints:
    if not isinstance(raw, dict):
        raise DataError(f"{path}: constraints must be a JSON object")
    known = PlanConstraints.__dataclass_fields__
    kwargs = {k: v for k, v in raw.items() if k in known}
    for key in ("min_population", "consent"):  # numbers in the report's constraints table
        if kwargs.get(key) is not None:
            kwargs[key] = _summary_number(kwargs, key, None, path)
    try:
        for key in ("lock_leave", "lock_stay"):
            if key in kwargs:
                kwargs[key] = tuple(kwargs[key] or ())
        return PlanConstraints(**kwargs)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{path}: constraints cannot be read ({exc})") from None
