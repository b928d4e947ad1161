"""Load units, votes and adjacency from any supported source into a :class:`UnitGraph`.

Three kinds of source (exactly one):

- results joined to boundaries (``results=`` CSV, ``boundaries=`` file); with neither given,
  ``us-president-county/<year>.csv`` joined to ``2020-units-albers.topojson`` of the data
  folder;
- ``units=``: one file holding geometry and votes (shapefile, zip, GeoJSON, GeoPackage);
- ``graph=``: a ready adjacency graph in networkx JSON (no geometry), or a graph cache
  file (``.npz``) written by ``data inspect --save-graph`` / :func:`save_cache`.

``aggregate=`` then merges the units to a coarser level (``"state"``, ``"county"`` or a
column of the source; see :mod:`secession.geo.levels`).

Example
-------
>>> res = load_graph(states=["OR", "WA"])
>>> res.graph.n_units, res.graph.neighbors_of("41051")
(75, ['41005', '41009', '41027', '41067', '53011', '53059'])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from secession.exceptions import DataError
from secession.geo.boundaries import NAME_CANDIDATES
from secession.geo.graph import UnitGraph
from secession.geo.results import parse_counts
from secession.geo.states import BY_FIPS, lookup, resolve_states
from secession.geo.validate import (
    Issue,
    ValidationReport,
    check_policy,
    duplicate_issues,
    repair_geometry,
)

if TYPE_CHECKING:  # pragma: no cover
    from secession.geo.boundaries import Boundaries
    from secession.geo.results import ResultsTable

COUNTY_BOUNDARIES = "us-president-county/2020-units-albers.topojson"
STATE_COLUMNS = ("STATE", "STATEFP", "STATEFP10", "STATEFP20", "state", "state_name", "STUSPS")
COUNTY_COLUMNS = ("COUNTY", "COUNTYFP", "COUNTYFP10", "COUNTYFP20", "ARCOUNTYFP", "county")
ADJACENCY = ("rook", "queen")
GROUP_NAMES = ("state", "state_name", "county")
TABLE_COLUMNS = ("id", "name", "leave", "stay", "other", "population", "_keep")
BY_FIPS_CODE = {s.code: s.fips for s in BY_FIPS.values()}


@dataclass
class LoadResult:
    """The unit graph and the report of everything found and decided while loading."""

    graph: UnitGraph
    report: ValidationReport


def load_graph(
    *,
    results: str | Path | None = None,
    boundaries: str | Path | None = None,
    units: str | Path | None = None,
    graph: str | Path | None = None,
    id_col: str | None = None,
    leave_col: str | None = None,
    stay_col: str | None = None,
    population_col: str | None = None,
    name_col: str | None = None,
    leave: str = "dem",
    year: int = 2020,
    states: Sequence[str] = (),
    adjacency: str = "rook",
    link_islands: bool = False,
    on_mismatch: str = "error",
    data_dir: str | Path | None = None,
    aggregate: str | None = None,
    other_col: str | None = None,
    water_links: float | None = None,
    region: str | Path | Any = None,
) -> LoadResult:
    """Load a unit graph; every mismatch is decided by ``on_mismatch`` and reported.

    See the module docstring for the sources. ``states`` keeps only those states (postal
    codes, names or FIPS). ``adjacency`` is ``"rook"`` (shared boundary of positive length)
    or ``"queen"`` (any shared point). ``link_islands`` adds an edge from every component
    to its nearest unit elsewhere (each link is reported). ``aggregate`` merges the
    units to a level (state, county or a column) before islands are linked.
    ``other_col`` names a column of votes for neither side (counted in totals and in the
    default population). ``water_links`` links units across water within that many km
    (:mod:`secession.geo.water`; ``None``: :data:`~secession.geo.water.US_COUNTY_WATER_KM`
    for the US county layouts, none otherwise; 0: none). Units get their lon/lat outline
    points (``graph.earth``, :mod:`secession.geo.earth`) whenever their coordinates are known.
    ``region`` (a file of lon/lat polygons, or a shapely geometry) keeps only the units
    whose point lies inside it (:mod:`secession.geo.region`), before water links, island
    links and aggregation, so they are found on what remains; the count kept is reported.
    """
    check_policy(on_mismatch)
    if adjacency not in ADJACENCY:
        raise DataError(f"`adjacency` must be rook or queen, not {adjacency!r}")
    codes = resolve_states(states)
    chosen = [n for n, v in (("`units`", units), ("`graph`", graph)) if v is not None]
    if results is not None or boundaries is not None:
        chosen.append("`results`/`boundaries`")
    if len(chosen) > 1:
        raise DataError(f"give one source only, not {' and '.join(chosen)}")
    cols = {
        "id_col": id_col,
        "leave_col": leave_col,
        "stay_col": stay_col,
        "population_col": population_col,
        "name_col": name_col,
        "other_col": other_col,
    }
    if graph is not None and is_cache_file(Path(graph)):
        out = _from_cache(Path(graph), cols, codes, leave)
    elif graph is not None:
        with _naming_option(Path(graph), "`graph`", GRAPH_KINDS):
            out = _from_graph_json(Path(graph), cols, codes, on_mismatch, aggregate)
    elif units is not None:
        with _naming_option(Path(units), "`units`", UNITS_KINDS):
            out = _from_units(Path(units), cols, codes, adjacency, on_mismatch, aggregate)
    else:
        out = _from_results(
            results, boundaries, cols, leave, year, codes, adjacency, on_mismatch, data_dir
        )
    if region is not None:
        out = in_region(out, region)
    if out.graph.meta.get("source") != "cache":
        out = LoadResult(on_earth(out.graph, water_links), out.report)
    elif water_links is not None:
        raise DataError(
            f"{graph}: a graph cache file holds its water links already; "
            "`water_links` cannot apply (load the original source instead)"
        )
    if aggregate:
        from secession.geo.levels import aggregate_to

        out = LoadResult(aggregate_to(out.graph, aggregate), out.report)
    if link_islands:
        out = _link(out)
    return out


GRAPH_KINDS = "networkx JSON (node-link or adjacency) or a .npz cache from `save_graph`"
UNITS_KINDS = "a boundary file with votes (GeoJSON, GeoPackage, shapefile, ...)"


@contextmanager
def _naming_option(path: Path, option: str, kinds: str) -> Iterator[None]:
    """Errors about the file itself (not its columns) also say which option took it."""
    try:
        yield
    except DataError as exc:
        message = str(exc)
        about_columns = "column" in message  # the file was read: its kind was right
        if message.startswith(str(path)) and option not in message and not about_columns:
            raise type(exc)(f"{message} (given as {option}, which expects {kinds})") from None
        raise


# --------------------------------------------------------------------------- cache files
CACHE_REPORT_KEY = "load_report"


def is_cache_file(path: Path) -> bool:
    """True for a graph cache file (``.npz``: a zip archive), whatever its name."""
    if path.suffix.lower() == ".npz":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04" and path.suffix.lower() != ".json"
    except OSError:
        return False


def save_cache(result: LoadResult, path: str | Path) -> Path:
    """Write the graph and its load report to one cache file, readable by ``graph=``."""
    from dataclasses import replace

    meta = {**result.graph.meta, CACHE_REPORT_KEY: result.report.to_dict()}
    return replace(result.graph, meta=meta).save(path)


def _from_cache(
    path: Path, cols: dict[str, str | None], codes: list[str], leave: str = "dem"
) -> LoadResult:
    """A graph cache file: units, votes, adjacency and the report saved with them.

    A cache of US county results (sides ``dem`` and ``gop``) is turned to ``leave``.
    """
    from dataclasses import replace

    if not path.exists():
        raise DataError(f"{path}: graph cache file not found")
    keys = ("id_col", "leave_col", "stay_col", "population_col", "other_col")
    used = [f"--{k.replace('_', '-')}" for k in keys if cols.get(k)]
    if used:
        raise DataError(
            f"{path}: a graph cache file already holds its ids and votes; "
            f"{', '.join(used)} cannot apply (load the original source instead)"
        )
    g = UnitGraph.load(path)
    meta = dict(g.meta)
    saved = meta.pop(CACHE_REPORT_KEY, None) or {}
    report = ValidationReport(
        saved.get("policy", "error"),
        [Issue(**i) for i in saved.get("issues", [])],
        [*saved.get("sources", []), str(path)],
    )
    notes = [*meta.get("notes", []), f"read from the graph cache file {path}"]
    meta.update(source="cache", cache=str(path), notes=notes)
    g = replace(g, meta=meta)
    if {g.leave_label, g.stay_label} == {"dem", "gop"} and g.leave_label != leave:
        g = g.swapped()
    if codes:
        state = g.groups.get("state")
        if state is None:
            raise DataError(f"{path}: `states` needs units with a state; this cache has none")
        keep = np.isin(np.asarray(state).astype(str), codes)
        if not keep.any():
            found = ", ".join(sorted({str(s) for s in state})[:10])
            raise DataError(f"{path}: no units of {', '.join(codes)} (the cache has: {found})")
        before = set(g.ids.tolist())
        g = g.subgraph(keep)
        g = replace(g, meta={**g.meta, "states": codes})
        report.issues = _issues_in_states(report.issues, g, before, codes)
    return LoadResult(g, report)


def _issues_in_states(
    issues: list[Issue], kept: UnitGraph, before: set[str], codes: list[str]
) -> list[Issue]:
    """The issues of a cache that concern the kept states.

    An issue about a unit of the cache stays when the unit is kept; one about a unit merged
    away (an aggregated cache) stays when its FIPS id lies in a kept state, or when its
    state cannot be told.
    """
    kept_ids = set(kept.ids.tolist())
    fips = {BY_FIPS_CODE[c] for c in codes}

    def concerns_kept(uid: str) -> bool:
        if not uid or uid in kept_ids:
            return True
        other_state = len(uid) == 5 and uid.isdigit() and uid[:2] not in fips
        return uid not in before and not other_state

    return [i for i in issues if concerns_kept(i.unit_id)]


# --------------------------------------------------------------------------- results + bounds
def _from_results(
    results: str | Path | None,
    boundaries: str | Path | None,
    cols: dict[str, str | None],
    leave: str,
    year: int,
    codes: list[str],
    adjacency: str,
    policy: str,
    data_dir: str | Path | None,
) -> LoadResult:
    from secession.geo.boundaries import read_boundaries
    from secession.geo.results import read_results
    from secession.geo.validate import join
    from secession.settings import data_file

    if results is None:
        results = data_file(f"us-president-county/{year}.csv", data_dir)
    table = read_results(results, leave=leave, **cols)
    if boundaries is None:
        if not table.is_us_county:
            raise DataError(
                f"{results}: give the boundaries to join these results to (`boundaries`)"
            )
        boundaries = data_file(COUNTY_BOUNDARIES, data_dir)
    bound_id = cols["id_col"] if not table.is_us_county else None
    bounds = read_boundaries(boundaries, id_col=bound_id, strict_id=False)
    if codes:
        table, bounds = _filter_states(table, bounds, codes)
    joined = join(table, bounds, policy=policy)
    u = joined.units
    arc_edges = None
    if adjacency == "rook" and bounds.edges is not None:
        e = joined.boundary_unit[np.asarray(bounds.edges, dtype=np.int64).reshape(-1, 2)]
        arc_edges = e[(e >= 0).all(axis=1)]
    edges, notes = unit_adjacency(joined.geometry, adjacency, arc_edges)
    groups = {}
    if "state" in u and (u["state"] != "").any():
        groups = {"state": u["state"].tolist(), "state_name": u["state_name"].tolist()}
    pop = u["population"].to_numpy() if table.frame.attrs.get("population_given") else None
    meta = {
        "source": "results+boundaries",
        "results": str(table.path),
        "boundaries": str(bounds.path),
        "layout": table.layout,
        "adjacency": adjacency,
        "states": codes,
        "notes": notes,
    }
    if table.is_us_county:
        meta["year"] = year
        meta["us_county"] = True
    graph = UnitGraph.from_edges(
        u["id"].tolist(),
        u["leave"].to_numpy(),
        u["stay"].to_numpy(),
        edges,
        names=u["name"].tolist(),
        other=u["other"].to_numpy(),
        population=pop,
        groups=groups,
        geometry=joined.geometry,
        leave_label=table.leave_label,
        stay_label=table.stay_label,
        meta=meta,
    )
    return LoadResult(graph, joined.report)


def _filter_states(
    table: ResultsTable, bounds: Boundaries, codes: list[str]
) -> tuple[ResultsTable, Boundaries]:
    """Keep the rows and boundaries of the given states (FIPS prefix or state column)."""
    from dataclasses import replace

    fips = {BY_FIPS_CODE[c] for c in codes}
    frame = table.frame
    if "state" in frame:
        keep = frame["state"].isin(codes).to_numpy()
    else:
        keep = _fips_mask(frame["id"].tolist(), fips, str(table.path))
    kept_ids = set(frame["id"][keep].tolist())
    issues = [i for i in table.issues if i.unit_id in kept_ids or not i.unit_id]
    new_frame = frame[keep].reset_index(drop=True)
    new_frame.attrs = dict(frame.attrs)
    table = replace(table, frame=new_frame, issues=issues)
    mask = _fips_mask(bounds.ids, fips, bounds.path)
    if not keep.any() and not mask.any():
        raise DataError(f"no units of {', '.join(codes)} in {table.path} or {bounds.path}")
    return table, _subset_boundaries(bounds, mask)


def _fips_mask(ids: list[str], fips: set[str], path: str) -> np.ndarray:
    bad = [i for i in ids if not (len(i) in (2, 5) and i.isdigit())]
    if bad:
        raise DataError(
            f"{path}: `states` needs FIPS-coded ids or a state column; ids such as "
            f"{', '.join(map(repr, bad[:3]))} are not FIPS codes"
        )
    return np.array([i[:2] in fips for i in ids], dtype=bool)


def _subset_boundaries(bounds: Boundaries, mask: np.ndarray) -> Boundaries:
    from dataclasses import replace

    pos = np.flatnonzero(mask)
    edges = None
    if bounds.edges is not None:
        remap = np.full(len(mask), -1, dtype=np.int64)
        remap[pos] = np.arange(len(pos))
        e = remap[np.asarray(bounds.edges, dtype=np.int64).reshape(-1, 2)]
        edges = e[(e >= 0).all(axis=1)]
    return replace(
        bounds,
        ids=[bounds.ids[i] for i in pos],
        names=[bounds.names[i] for i in pos],
        properties=bounds.properties.iloc[pos].reset_index(drop=True),
        geometry=bounds.geometry.iloc[pos].reset_index(drop=True),
        edges=edges,
    )


def unit_adjacency(
    geometry: Any, kind: str, arc_edges: np.ndarray | None = None
) -> tuple[np.ndarray, list[str]]:
    """Rook or queen edges of unit polygons, with a note per source of edges.

    Shared vertices (libpysal's definition) miss neighbours that meet at T-junctions or
    overlap by a sliver (real cases: the DC wards against Maryland in the county TopoJSON,
    New Hampshire towns); the geometric test (GerryChain's definition) finds them, and
    every shared-vertex pair too (it starts from the shared segments), so it alone is
    run. Edges are its pairs plus the shared-arc edges of a TopoJSON file when given.
    """
    from secession.geo.adjacency import polygon_adjacency, unique_edges

    parts = [polygon_adjacency(geometry, kind, method="geometric")]
    notes = []
    if arc_edges is not None:
        base = unique_edges(arc_edges)
        found = unique_edges(np.concatenate(parts))
        both = unique_edges(np.concatenate([base, found]))
        notes.append(
            f"rook edges from shared TopoJSON arcs: {len(base)}; "
            f"{len(both) - len(base)} more pairs share a boundary without sharing an arc"
        )
        parts.append(base)
    edges = np.concatenate([np.asarray(p, dtype=np.int64).reshape(-1, 2) for p in parts])
    return edges, notes


# --------------------------------------------------------------------------- units / graph
def _from_units(
    path: Path,
    cols: dict[str, str | None],
    codes: list[str],
    adjacency: str,
    policy: str,
    group_col: str | None = None,
) -> LoadResult:
    from secession.geo.boundaries import ID_CANDIDATES, pick_column, read_vector

    frame = read_vector(path)
    id_col = pick_column(frame, cols["id_col"], ID_CANDIDATES, "id", str(path))
    if id_col is None:
        raise DataError(f"{path}: name the id column with `id_col` ({_columns(frame)})")
    ids = [str(v).strip() for v in frame[id_col]]
    attrs = pd.DataFrame(frame.drop(columns="geometry")).reset_index(drop=True)
    table, report = _attribute_units(path, attrs, ids, cols, codes, policy, "feature", group_col)
    geometry, geo_issues = repair_geometry(
        frame.geometry.reset_index(drop=True), ids, table["name"].tolist(), str(path)
    )
    report.issues += geo_issues
    report.enforce()
    keep = table["_keep"].to_numpy()
    geometry = geometry[keep].reset_index(drop=True)
    table = table[keep].reset_index(drop=True)
    edges, notes = unit_adjacency(geometry, adjacency)
    meta = {
        "source": "units",
        "units": str(path),
        "adjacency": adjacency,
        "states": codes,
        "notes": notes,
    }
    return LoadResult(_graph(table, edges, cols, geometry, meta), report)


def _from_graph_json(
    path: Path,
    cols: dict[str, str | None],
    codes: list[str],
    policy: str,
    group_col: str | None = None,
) -> LoadResult:
    from secession.geo.graph_json import read_networkx_json

    data = read_networkx_json(path)
    attrs = data.attributes.reset_index(drop=True)
    if cols["id_col"] is not None:
        if cols["id_col"] not in attrs.columns:
            raise DataError(f"{path}: id column {cols['id_col']!r} not found ({_columns(attrs)})")
        ids = [str(v).strip() for v in attrs[cols["id_col"]]]
    else:
        ids = [str(v) for v in data.ids]
    table, report = _attribute_units(path, attrs, ids, cols, codes, policy, "node", group_col)
    report.enforce()
    keep = table["_keep"].to_numpy()
    remap = np.full(len(keep), -1, dtype=np.int64)
    remap[keep] = np.arange(int(keep.sum()))
    e = remap[np.asarray(data.edges, dtype=np.int64).reshape(-1, 2)]
    edges = e[(e >= 0).all(axis=1)]
    table = table[keep].reset_index(drop=True)
    meta = {"source": "graph", "graph": str(path), "states": codes, **data.meta}
    return LoadResult(_graph(table, edges, cols, None, meta), report)


def _columns(frame: pd.DataFrame) -> str:
    return "columns: " + ", ".join(str(c) for c in frame.columns if c != "geometry")


def _attribute_units(
    path: Path,
    attrs: pd.DataFrame,
    ids: list[str],
    cols: dict[str, str | None],
    codes: list[str],
    policy: str,
    what: str,
    group_col: str | None = None,
) -> tuple[pd.DataFrame, ValidationReport]:
    """Votes, names and groups from attribute columns; issues by id and name."""
    missing = [
        o for o, k in (("`leave_col`", "leave_col"), ("`stay_col`", "stay_col")) if not cols[k]
    ]
    if len(missing) == 1:
        raise DataError(f"{path}: name the vote columns with {missing[0]} too ({_columns(attrs)})")
    for option, key in (
        ("`leave_col`", "leave_col"),
        ("`stay_col`", "stay_col"),
        ("`population_col`", "population_col"),
        ("`name_col`", "name_col"),
        ("`other_col`", "other_col"),
    ):
        col = cols[key]
        if col is not None and col not in attrs.columns:
            raise DataError(
                f"{path}: column {col!r} (given by {option}) not found ({_columns(attrs)})"
            )
    name_col = cols["name_col"] or next((c for c in NAME_CANDIDATES if c in attrs.columns), None)
    names = [str(v) for v in attrs[name_col]] if name_col else list(ids)
    table = pd.DataFrame({"id": ids, "name": names, "leave": 0.0, "stay": 0.0, "other": 0.0})
    report = ValidationReport(policy, [], [str(path)])
    bad = np.zeros(len(table), dtype=bool)
    for key, target in (
        ("leave_col", "leave"),
        ("stay_col", "stay"),
        ("population_col", "population"),
        ("other_col", "other"),
    ):
        col = cols[key]
        if col is None:
            continue
        values, problem = parse_counts(attrs[col])
        table[target] = values
        for i in np.flatnonzero(problem != ""):
            bad[i] = True
            report.issues.append(
                Issue(
                    "bad_count",
                    ids[i],
                    names[i],
                    f"{col} = {attrs[col].iat[i]!r} is {problem[i]}",
                    f"{path}: {what} {i}",
                )
            )
    empty = np.array([not i or i in ("None", "nan") for i in ids])
    for i in np.flatnonzero(empty):
        report.issues.append(Issue("bad_id", "", names[i], "empty id", f"{path}: {what} {i}"))
    report.issues += duplicate_issues(table["id"], table["name"], str(path))
    _add_groups(table, attrs, path)
    if group_col and group_col in attrs.columns and group_col not in GROUP_NAMES:
        table[group_col] = attrs[group_col].astype(str).to_numpy()
    in_states = np.ones(len(table), dtype=bool)
    if codes:
        if "state" not in table:
            raise DataError(f"{path}: `states` needs a state column ({_columns(attrs)})")
        in_states = table["state"].isin(codes).to_numpy()
        if not in_states.any():
            found = ", ".join(sorted(set(table["state"].astype(str)))[:10])
            raise DataError(f"{path}: no units of {', '.join(codes)} (the file has: {found})")
        out_ids = set(table["id"][~in_states].tolist())
        report.issues = [i for i in report.issues if i.unit_id not in out_ids]
    dropped = set()
    if policy == "drop":
        dropped = {i.unit_id for i in report.issues if i.kind == "duplicate_id"}
    table["_keep"] = in_states & ~bad & ~empty & ~table["id"].isin(dropped).to_numpy()
    return table, report


def _add_groups(table: pd.DataFrame, attrs: pd.DataFrame, path: Path) -> None:
    state_col = next((c for c in STATE_COLUMNS if c in attrs.columns), None)
    if state_col is not None:
        found = {}
        for value in pd.unique(attrs[state_col].astype(str)):
            try:
                found[value] = lookup(value)
            except DataError:
                found[value] = None
        st = [found[str(v)] for v in attrs[state_col]]
        table["state"] = [
            s.code if s else str(v) for s, v in zip(st, attrs[state_col], strict=True)
        ]
        table["state_name"] = [
            s.name if s else str(v) for s, v in zip(st, attrs[state_col], strict=True)
        ]
    county_col = next((c for c in COUNTY_COLUMNS if c in attrs.columns), None)
    if county_col is not None:
        table["county"] = attrs[county_col].astype(str).to_numpy()


def _graph(
    table: pd.DataFrame, edges: np.ndarray, cols: dict[str, str | None], geometry: Any, meta: dict
) -> UnitGraph:
    groups = {k: table[k].tolist() for k in table.columns if k not in TABLE_COLUMNS}
    if cols["leave_col"] is None:
        meta.setdefault("notes", []).append(
            "no vote columns given (`leave_col`, `stay_col`): every unit has zero votes"
        )
    return UnitGraph.from_edges(
        table["id"].tolist(),
        table["leave"].to_numpy(),
        table["stay"].to_numpy(),
        edges,
        names=table["name"].tolist(),
        other=table["other"].to_numpy(),
        population=table["population"].to_numpy() if cols["population_col"] else None,
        groups=groups,
        geometry=geometry,
        leave_label=str(cols["leave_col"] or "leave"),
        stay_label=str(cols["stay_col"] or "stay"),
        meta=meta,
    )


# --------------------------------------------------------------------------- a region
def in_region(out: LoadResult, region: str | Path | Any) -> LoadResult:
    """The units of ``out`` whose point lies inside ``region`` (see
    :mod:`secession.geo.region`); the count kept and the region named in the notes."""
    from dataclasses import replace

    from secession.geo.region import as_region, graph_points, inside

    found = as_region(region)
    g = out.graph
    points = graph_points(g)
    if points is None:
        raise DataError(
            f"{found.label}: a region needs units with geometry in known coordinates "
            "(lon/lat or a projected CRS); these units have none"
        )
    keep = inside(points, found.shape)
    if not keep.any():
        raise DataError(
            f"{found.label}: no unit's point lies inside the region (of {g.n_units} units); "
            "draw it over the units to keep"
        )
    kept = g.subgraph(keep)
    note = f"region {found.label}: {int(keep.sum())} of {g.n_units} units kept (point inside)"
    without = int((~np.isfinite(points).all(axis=1)).sum())
    if without:
        note += f"; {without} units with no outline left out"
    meta = {
        **kept.meta,
        "region": {"source": found.label, "kept": int(keep.sum()), "of": int(g.n_units)},
        "notes": [*kept.meta.get("notes", []), note],
    }
    kept_ids = set(kept.ids.tolist())
    report = out.report
    report.issues = [i for i in report.issues if not i.unit_id or i.unit_id in kept_ids]
    if found.label not in report.sources:
        report.sources.append(found.label)
    return LoadResult(replace(kept, meta=meta), report)


# --------------------------------------------------------------------------- the earth
def on_earth(graph: UnitGraph, water_km: float | None) -> UnitGraph:
    """``graph`` with its lon/lat outline points and its water links (each listed in
    ``meta["water_links"]``, added as edges)."""
    from dataclasses import replace

    from secession.geo.earth import EarthPoints
    from secession.geo.lonlat import lonlat_geometry
    from secession.geo.water import US_COUNTY_WATER_KM, link_positions, water_links

    us_county = bool(graph.meta.get("us_county"))
    found = lonlat_geometry(graph.ids, graph.geometry, graph.meta, us_county)
    km = (US_COUNTY_WATER_KM if us_county else 0.0) if water_km is None else float(water_km)
    if found is None:
        if water_km:
            raise DataError(
                "`water_links` needs unit geometry with known coordinates (lon/lat or a "
                "projected CRS); these units have none"
            )
        return graph
    lonlat, source = found
    meta = dict(graph.meta)
    meta["earth"] = source
    meta["water_links_km"] = km
    links = water_links(lonlat.values, graph.ids, graph.names, graph.edges(), km) if km else []
    meta["water_links"] = [w.to_dict() for w in links]
    g = replace(graph, earth=EarthPoints.from_lonlat(lonlat.values, source), meta=meta)
    if links:
        note = f"`water_links` {km:g}: {len(links)} crossings over water added as edges"
        g = g.with_edges(link_positions(links, g.index), note=note)
    return g


# --------------------------------------------------------------------------- islands
def _link(out: LoadResult) -> LoadResult:
    """Link every disconnected piece to its nearest unit; within each state when known.

    With a ``state`` grouping, pieces are linked only to units of their own state (Hawaii's
    islands to each other, Nantucket to Massachusetts), so no link crosses the sea between
    states; Alaska, connected in itself, stays a separate piece. Every link is reported.
    """
    from secession.geo.islands import nearest_neighbour_links

    g = out.graph
    if g.geometry is None:
        raise DataError(
            "`link_islands` needs unit geometry; this source is a graph without geometry"
        )
    g = _link_missing_geometry(g, out.report)
    comp = g.component
    state = g.groups.get("state")
    blocks = [np.arange(g.n_units)] if state is None else _blocks(state)
    found = []
    for pos in blocks:
        if len(np.unique(comp[pos])) > 1:
            local = nearest_neighbour_links(g.geometry.iloc[pos].reset_index(drop=True), comp[pos])
            found.append(pos[local])
    links = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    scope = " in the same state" if state is not None else ""
    for a, b in links.tolist():
        out.report.issues.append(
            Issue(
                "linked",
                str(g.ids[a]),
                str(g.names[a]),
                f"linked to the nearest unit{scope}: {g.ids[b]} {g.names[b]}",
                "`link_islands`",
                "linked",
            )
        )
    geoms = np.asarray(g.geometry.values, dtype=object)
    for i in g.islands.tolist():
        if geoms[i] is None or geoms[i].is_empty:
            out.report.issues.append(
                Issue(
                    "linked",
                    str(g.ids[i]),
                    str(g.names[i]),
                    "cannot be linked: the unit has no geometry",
                    "`link_islands`",
                    "not linked",
                )
            )
    note = f"`link_islands` added {len(links)} edges to nearest units{scope}"
    return LoadResult(g.with_edges(links, note=note), out.report)


def _link_missing_geometry(g: UnitGraph, report: ValidationReport) -> UnitGraph:
    """Give US county units with no geometry their neighbours from the Census boundaries.

    The quantized 2020 county TopoJSON has no shape for five small Virginia cities; the
    Census 2016 county boundaries (``plotly-geo``) say whom they border. Each link is
    reported; other sources are left alone.
    """
    from secession.geo.census import census_county_neighbours

    geoms = np.asarray(g.geometry.values, dtype=object)
    missing = [i for i in g.islands.tolist() if geoms[i] is None or geoms[i].is_empty]
    if not missing or "state" not in g.groups:
        return g
    found = census_county_neighbours(
        [str(g.ids[i]) for i in missing], g.meta.get("adjacency") or "rook"
    )
    index = g.index
    links = []
    for i in missing:
        near = [index[n] for n in found.get(str(g.ids[i]), []) if n in index]
        if not near:
            continue
        links += [(i, j) for j in near]
        named = ", ".join(f"{g.ids[j]} {g.names[j]}" for j in near)
        report.issues.append(
            Issue(
                "linked",
                str(g.ids[i]),
                str(g.names[i]),
                f"no geometry in the source; neighbours from the Census 2016 county "
                f"boundaries (plotly-geo): {named}",
                "`link_islands`",
                "linked",
            )
        )
    if not links:
        return g
    note = (
        f"`link_islands` added {len(links)} edges from the Census 2016 county boundaries "
        "for units with no geometry"
    )
    return g.with_edges(np.asarray(links, dtype=np.int64), note=note)


def _blocks(labels: np.ndarray) -> list[np.ndarray]:
    keys = np.asarray(labels).astype(str)
    return [np.flatnonzero(keys == k) for k in np.unique(keys)]
