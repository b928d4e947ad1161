"""Read TopoJSON units into shapely geometry, with rook adjacency straight from shared arcs.

TopoJSON stores every boundary line once, as an *arc*, and each polygon ring as a list of
arc references (``i``, or ``~i`` for arc ``i`` walked backwards). Two units that reference
the same arc share that piece of boundary, so rook adjacency is exact and needs no
geometry at all: an arc of positive length referenced by two units makes them neighbours.

Decoding is vectorised: all arcs are delta-decoded with one cumulative sum, each ring's
point indices are computed with ``numpy.repeat`` arithmetic, and shapely builds the rings,
polygons and multipolygons from flat arrays (no Python loop per point).

Example
-------
>>> from secession.settings import data_file
>>> units = read_topojson(data_file("us-president-county/2020-states-albers.topojson"))
>>> len(units.ids), units.crs
(51, None)
"""

from __future__ import annotations

import gc
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from secession.exceptions import DataError
from secession.geo.adjacency import pairs_sharing_key

__all__ = ["TopoUnits", "decode_arcs", "gc_paused", "load_json", "read_topojson"]

POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True, eq=False)
class TopoUnits:
    """Units of one TopoJSON object: ids, properties, geometry and arc-based rook edges.

    ``geometry`` holds ``None`` where the file has a null geometry (or one that collapsed to
    nothing). ``edges`` are ``(m, 2)`` int64 positions with ``i < j``. ``crs`` is
    ``"EPSG:4326"`` when every coordinate lies in longitude/latitude range, else ``None``
    (projected coordinates of unknown projection; ``meta["crs_note"]`` says so).
    """

    ids: list[str]
    properties: pd.DataFrame
    geometry: gpd.GeoSeries
    edges: np.ndarray
    crs: str | None
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """Properties plus an ``id`` column and the geometry, one row per unit."""
        df = self.properties.copy()
        df.insert(0, "id", self.ids)
        return gpd.GeoDataFrame(df, geometry=self.geometry.values, crs=self.crs)


def decode_arcs(
    arcs: list[list[list[float]]], transform: dict[str, Any] | None
) -> tuple[np.ndarray, np.ndarray]:
    """All arc points as one ``(n, 2)`` float64 array plus the start offset of each arc.

    Quantized files (with ``transform``) store each arc's first point absolutely and the
    rest as deltas; positions are ``q * scale + translate``. Without ``transform`` the
    coordinates are absolute. Returns ``(points, offsets)`` with ``len(offsets) ==
    len(arcs) + 1``.
    """
    try:
        lengths = np.fromiter(map(len, arcs), dtype=np.int64, count=len(arcs))
        flat = list(itertools.chain.from_iterable(arcs))
        dims = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
    except TypeError:
        raise DataError("arcs must be lists of [x, y] positions") from None
    offsets = np.zeros(len(arcs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if not flat:
        return np.empty((0, 2), dtype=np.float64), offsets
    try:
        if dims.min() == dims.max() == 2:  # the usual case: read the numbers in one pass
            numbers = itertools.chain.from_iterable(flat)
            pts = np.fromiter(numbers, dtype=np.float64, count=2 * len(flat)).reshape(-1, 2)
        elif dims.min() >= 2:  # some positions carry extra values (z, ...): keep x, y
            pts = np.array([p[:2] for p in flat], dtype=np.float64)
        else:
            raise ValueError(f"a position has {int(dims.min())} numbers")
    except (ValueError, TypeError) as exc:
        raise DataError(f"arcs hold a position that is not [x, y] numbers ({exc})") from None
    pts = pts[:, :2]
    if not np.isfinite(pts).all():
        raise DataError("arcs hold non-finite coordinates")
    if transform is not None:
        try:
            scale = np.asarray(transform["scale"], dtype=np.float64).reshape(2)
            translate = np.asarray(transform["translate"], dtype=np.float64).reshape(2)
        except (KeyError, ValueError, TypeError) as exc:
            raise DataError(f"bad transform {transform!r}: needs scale and translate") from exc
        # delta decoding: cumulative sum per arc, done as one global cumsum minus the sum
        # reached before each arc starts (exact: quantized values are integers < 2**53)
        csum = np.cumsum(pts, axis=0)
        before = np.zeros((len(arcs), 2), dtype=np.float64)
        nonempty_start = offsets[:-1] > 0
        before[nonempty_start] = csum[offsets[:-1][nonempty_start] - 1]
        pts = csum - np.repeat(before, lengths, axis=0)
        pts = pts * scale + translate
    return pts, offsets


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while bulk-creating acyclic objects.

    Parsing a large JSON document and creating thousands of geometries allocates hundreds
    of thousands of objects without cycles; the collections those allocations trigger
    (full ones when the process already holds much data) can cost several times the work.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_json(path: Path) -> Any:
    """Parse a JSON file, naming the file in a :class:`DataError` when it is not JSON."""
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not a JSON file")
    try:
        with gc_paused(), path.open("rb") as fh:
            return json.load(fh)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a UTF-8 text file ({exc.reason})") from None


def _load_json(path: Path) -> dict[str, Any]:
    doc = load_json(path)
    if not isinstance(doc, dict) or doc.get("type") != "Topology":
        raise DataError(f"{path}: not a TopoJSON file (expected an object with type Topology)")
    if not isinstance(doc.get("objects"), dict) or not doc["objects"]:
        raise DataError(f"{path}: TopoJSON has no objects")
    if not isinstance(doc.get("arcs", []), list):
        raise DataError(f"{path}: TopoJSON 'arcs' is not a list")
    return doc


def _object_geometries(doc: dict[str, Any], object_name: str | None, path: Path):
    names = list(doc["objects"])
    name = names[0] if object_name is None else object_name
    if name not in doc["objects"]:
        raise DataError(f"{path}: no object {name!r} in the TopoJSON (objects: {names})")
    obj = doc["objects"][name]
    if not isinstance(obj, dict):
        raise DataError(f"{path}: object {name!r} is not a geometry")
    if obj.get("type") == "GeometryCollection":
        geoms = obj.get("geometries")
        if not isinstance(geoms, list):
            raise DataError(f"{path}: object {name!r} has no 'geometries' list")
        return name, geoms
    return name, [obj]


def read_topojson(path: str | Path, object_name: str | None = None) -> TopoUnits:
    """Decode one object of a TopoJSON file into units, geometry and arc-based rook edges.

    Parameters
    ----------
    path
        The ``.topojson``/``.json`` file.
    object_name
        Which object to read; default: the first one in the file.

    Raises
    ------
    DataError
        Missing or malformed file, unknown object, non-polygon units, arc references out
        of range; the message names the file and the unit.

    Notes
    -----
    Rings that collapse to fewer than three distinct positions are dropped (counted in
    ``meta["degenerate_rings_dropped"]``); units left without a polygon, and null
    geometries, are ``None`` and listed in ``meta["null_geometry_ids"]`` (in
    ``2020-units-albers.topojson``: five small Virginia cities). Arc adjacency only sees
    boundaries stored as shared arcs: units that overlap instead (the eight DC wards
    against Maryland and Virginia, Bibb and Peach counties in Georgia in that file) are no
    arc neighbours; ``polygon_adjacency(..., method="geometric")`` finds them.
    """
    path = Path(path)
    with gc_paused():
        return _read(path, object_name)


def _read(path: Path, object_name: str | None) -> TopoUnits:
    doc = _load_json(path)
    name, geoms = _object_geometries(doc, object_name, path)
    arcs = doc.get("arcs", [])
    transform = doc.get("transform")
    try:
        pts, offsets = decode_arcs(arcs, transform)
    except DataError as exc:
        raise DataError(f"{path}: {exc}") from None
    n_arcs = len(arcs)
    lengths = np.diff(offsets)

    ids: list[str] = []
    props: list[dict[str, Any]] = []
    missing_ids = 0
    # flat tables, one Python step per ring (never per point)
    refs: list[int] = []
    ring_len: list[int] = []  # arcs per ring
    ring_poly: list[int] = []  # polygon of each ring
    poly_unit: list[int] = []  # unit of each polygon
    kinds: list[str | None] = []
    for pos, geom in enumerate(geoms):
        if not isinstance(geom, dict):
            raise DataError(f"{path}: geometry {pos} of object {name!r} is not an object")
        gid = geom.get("id")
        if gid is None:
            missing_ids += 1
            gid = pos
        unit_id = str(gid)
        ids.append(unit_id)
        p = geom.get("properties")
        props.append(p if isinstance(p, dict) else {})
        kind = geom.get("type")
        kinds.append(kind)
        if kind is None:
            continue
        if kind not in POLYGONAL:
            raise DataError(
                f"{path}: unit {unit_id!r} (geometry {pos}) is a {kind}; "
                "units must be Polygon, MultiPolygon or null"
            )
        try:
            polys = [geom["arcs"]] if kind == "Polygon" else geom["arcs"]
            for poly in polys:
                poly_index = len(poly_unit)
                poly_unit.append(pos)
                for ring in poly:
                    refs.extend(ring)
                    ring_len.append(len(ring))
                    ring_poly.append(poly_index)
        except (KeyError, TypeError):
            raise DataError(
                f"{path}: unit {unit_id!r} (geometry {pos}) has malformed 'arcs'"
            ) from None

    n_units = len(ids)
    try:
        ref = np.asarray(refs) if refs else np.empty(0, dtype=np.int64)
    except (ValueError, TypeError, OverflowError):
        raise DataError(
            f"{path}: malformed 'arcs' in object {name!r}: arc references must be integers "
            "nested as rings of polygons"
        ) from None
    if ref.dtype.kind not in "iu" or ref.ndim != 1:
        ring_of = np.repeat(np.arange(len(ring_len)), ring_len)
        bad = next(i for i, r in enumerate(refs) if type(r) is not int)
        unit = poly_unit[ring_poly[ring_of[bad]]]
        raise DataError(
            f"{path}: unit {ids[unit]!r} has an arc reference that is not an integer: {refs[bad]!r}"
        )
    ref = ref.astype(np.int64, copy=False)
    arc = np.where(ref >= 0, ref, ~ref)
    if arc.size and (arc.max() >= n_arcs):
        bad = int(np.flatnonzero(arc >= n_arcs)[0])
        ring_of_ref = np.repeat(np.arange(len(ring_len)), ring_len)
        unit = poly_unit[ring_poly[ring_of_ref[bad]]]
        raise DataError(
            f"{path}: unit {ids[unit]!r} references arc {int(ref[bad])}, "
            f"but the file has only {n_arcs} arcs"
        )
    ring_len_a = np.asarray(ring_len, dtype=np.int64)
    ring_poly_a = np.asarray(ring_poly, dtype=np.int64)
    poly_unit_a = np.asarray(poly_unit, dtype=np.int64)
    ring_of_ref = np.repeat(np.arange(ring_len_a.size), ring_len_a)
    unit_of_ref = poly_unit_a[ring_poly_a[ring_of_ref]] if ref.size else ref

    geometry, ring_meta = _build_geometry(
        pts, offsets, lengths, ref, arc, ring_len_a, ring_poly_a, poly_unit_a, kinds, n_units
    )
    edges = _arc_edges(pts, offsets, lengths, arc, unit_of_ref)

    meta: dict[str, Any] = {
        "source": str(path),
        "object": name,
        "objects": list(doc["objects"]),
        "quantized": transform is not None,
        "arcs": n_arcs,
        "adjacency": "rook from shared arcs (TopoJSON topology)",
        **ring_meta,
    }
    null_ids = [ids[i] for i in range(n_units) if geometry[i] is None]
    if null_ids:
        meta["null_geometry_ids"] = null_ids
    if missing_ids:
        meta["ids_from_position"] = missing_ids
    crs = None
    if pts.size and (np.abs(pts[:, 0]).max() <= 180 and np.abs(pts[:, 1]).max() <= 90):
        crs = "EPSG:4326"
    else:
        meta["crs_note"] = (
            "coordinates are projected (not longitude/latitude) and TopoJSON names no "
            "projection; no CRS attached (for the Albers USA files: already projected, "
            "Alaska and Hawaii moved as insets)"
        )
    if any(props):
        properties = pd.DataFrame.from_records(props, index=pd.RangeIndex(n_units))
    else:
        properties = pd.DataFrame(index=pd.RangeIndex(n_units))
    return TopoUnits(
        ids=ids,
        properties=properties,
        geometry=gpd.GeoSeries(geometry, crs=crs),
        edges=edges,
        crs=crs,
        meta=meta,
    )


def _build_geometry(
    pts: np.ndarray,
    offsets: np.ndarray,
    lengths: np.ndarray,
    ref: np.ndarray,
    arc: np.ndarray,
    ring_len: np.ndarray,
    ring_poly: np.ndarray,
    poly_unit: np.ndarray,
    kinds: list[str | None],
    n_units: int,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Shapely geometry per unit (object array, ``None`` for null) and notes for ``meta``."""
    out = np.full(n_units, None, dtype=object)
    meta: dict[str, Any] = {}
    if ref.size == 0:
        return out, meta
    # position of each reference inside its ring: the first arc keeps all its points, later
    # arcs drop their first point (it repeats the previous arc's last point)
    ring_start = np.cumsum(ring_len) - ring_len
    first_in_ring = np.zeros(ref.size, dtype=bool)
    first_in_ring[ring_start[ring_len > 0]] = True
    skip = (~first_in_ring).astype(np.int64)
    count = np.maximum(lengths[arc] - skip, 0)
    total = int(count.sum())
    ref_of_pt = np.repeat(np.arange(ref.size), count)
    step = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    base = offsets[arc][ref_of_pt]
    forward = ref[ref_of_pt] >= 0
    along = skip[ref_of_pt] + step
    point_index = np.where(forward, base + along, base + lengths[arc][ref_of_pt] - 1 - along)
    coords = pts[point_index]
    ring_of_ref = np.repeat(np.arange(ring_len.size), ring_len)
    ring_of_pt = ring_of_ref[ref_of_pt]

    # a ring needs at least 3 distinct positions plus closure (4 coordinates once closed)
    n_pts = np.bincount(ring_of_pt, minlength=ring_len.size)
    first_pt = np.cumsum(n_pts) - n_pts
    has_pts = n_pts > 0
    closed = np.zeros(ring_len.size, dtype=bool)
    last_pt = first_pt + n_pts - 1
    closed[has_pts] = (coords[first_pt[has_pts]] == coords[last_pt[has_pts]]).all(axis=1)
    need = np.where(closed, 4, 3)
    good_ring = n_pts >= need
    # a polygon survives only with a good shell (its first ring)
    n_polys = poly_unit.size
    shell_of_poly = np.full(n_polys, -1, dtype=np.int64)
    rings_per_poly = np.bincount(ring_poly, minlength=n_polys)
    has_ring = rings_per_poly > 0
    shell_of_poly[has_ring] = (np.cumsum(rings_per_poly) - rings_per_poly)[has_ring]
    good_poly = np.zeros(n_polys, dtype=bool)
    good_poly[has_ring] = good_ring[shell_of_poly[has_ring]]
    keep_ring = good_ring & good_poly[ring_poly]
    dropped_rings = int((~keep_ring).sum())
    if dropped_rings:
        meta["degenerate_rings_dropped"] = dropped_rings
    if not keep_ring.any():
        return out, meta

    keep_pt = keep_ring[ring_of_pt]
    ring_ids = np.cumsum(keep_ring) - 1  # dense ids of kept rings
    rings = shapely.linearrings(coords[keep_pt], indices=ring_ids[ring_of_pt[keep_pt]])
    poly_ids = np.cumsum(good_poly) - 1
    polys = shapely.polygons(rings, indices=poly_ids[ring_poly[keep_ring]])
    units_of_poly = poly_unit[good_poly]
    parts = np.bincount(units_of_poly, minlength=n_units)
    is_multi = np.array([k == "MultiPolygon" for k in kinds], dtype=bool)
    single = (parts == 1) & ~is_multi
    first_poly = np.cumsum(parts) - parts
    out[single] = polys[first_poly[single]]
    multi = (parts >= 1) & ~single
    if multi.any():
        sel = multi[units_of_poly]
        dense = np.cumsum(multi) - 1
        mp = shapely.multipolygons(polys[sel], indices=dense[units_of_poly[sel]])
        out[multi] = mp
    return out, meta


def _arc_edges(
    pts: np.ndarray,
    offsets: np.ndarray,
    lengths: np.ndarray,
    arc: np.ndarray,
    unit_of_ref: np.ndarray,
) -> np.ndarray:
    """Rook edges: units referencing the same arc of positive length."""
    if arc.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    n_arcs = lengths.size
    positive = np.zeros(n_arcs, dtype=bool)
    many = np.flatnonzero(lengths >= 2)
    if many.size:
        # an arc has positive length when some point differs from its first point
        first = np.repeat(pts[offsets[many]], lengths[many], axis=0)
        sel = np.repeat(offsets[many], lengths[many]) + (
            np.arange(int(lengths[many].sum()))
            - np.repeat(np.cumsum(lengths[many]) - lengths[many], lengths[many])
        )
        differs = (pts[sel] != first).any(axis=1)
        arc_of_pt = np.repeat(np.arange(many.size), lengths[many])
        positive[many] = np.bincount(arc_of_pt, weights=differs, minlength=many.size) > 0
    usable = positive[arc]
    return pairs_sharing_key(arc[usable], unit_of_ref[usable])
