"""Cut every people out of the countries its territory covers: exact, valid boundaries.

All geometry is in the world projection (Equal Earth, metres, snapped to a 1 m grid; see
:mod:`secession.maps.world.projection`). The map is built from one *arrangement*: the
boundaries of every country and every territory are noded together (``union_all`` on the
grid) and polygonized into faces, and each face is given to a country and to the peoples
whose territories hold it. Every feature of the map is a union of faces, so the features
form a polygonal coverage by construction (no overlap, no gap, identical shared edges);
``shapely.coverage_is_valid`` checks it before anything is drawn.

For each people, in the order given:

1. its territory is cut from the countries it overlaps (or only those in ``within``; it
   must overlap the country it left); land at sea or outside those countries is not
   drawn and is reported;
2. land in the territories of several peoples becomes a *contested* piece claimed by all
   of them (the map takes no side);
3. each country keeps the rest of its land.

A territory drawn from units (Census counties) and a Natural Earth country never follow the
same coastline or border, which leaves thin strips. Two kinds are cleaned, with a *sliver
width* (default :data:`SLIVER_KM`, about the generalisation of the base):

- a strip the country keeps between a people and the country's outline (its coast, or its
  border with another country), narrower than the sliver width, goes to the people it
  borders most (found by a morphological opening, mitred so corners stay sharp): a strip
  that runs along the outline for a quarter of its perimeter, or a pocket cut off from the
  rest of the country that touches the outline. Strips between two peoples, such as a
  corridor the remaining country keeps, never move;
- a part of a territory in a country other than the one it left that is narrower than the
  sliver width everywhere (the edge of a drawn polygon over a neighbour) stays with that
  country.

Every such decision is listed in :attr:`WorldLayout.notes`. Land only changes hands within a
country, so each country's area is kept: :attr:`WorldLayout.checks` compares, per country,
the original area with the sum of what it keeps and what it gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import shapely

from secession.exceptions import DataError
from secession.geo.world import WorldCountries, load_countries, polygonal
from secession.maps.world.doc import People
from secession.maps.world.projection import GRID_M, project_lonlat

#: Default sliver width (km) per base: about the generalisation of Natural Earth at that
#: scale against the Census county shapes (docs/world-map.md).
SLIVER_KM = {"110m": 25.0, "50m": 10.0}
#: Territories are simplified to this tolerance (metres) before cutting: far below the
#: detail of the base (Natural Earth 1:110m keeps about 10 km, 1:50m about 5 km).
SIMPLIFY_M = {"110m": 2_000.0, "50m": 1_000.0}
#: A strip moves only if it runs along the country's outline for this share of its perimeter.
STRIP_OUTLINE_SHARE = 0.25
#: ... or, cut off from the rest of the country, touches the outline for this share.
POCKET_SHARE = 0.05
KM2 = 1e6
REST = frozenset()  # claim set of the land a country keeps


@dataclass(frozen=True)
class Placed:
    """A people with its territory resolved to lon/lat polygons."""

    people: People
    territory: Any
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feature:
    """One polygon of the map: a country (what it keeps), a people, or a contested piece."""

    kind: str  # "country", "people" or "contested"
    key: str
    name: str
    geometry: Any
    status: str | None = None  # "declared", "recognised", "contested"; None for a country
    claimants: tuple[str, ...] = ()  # people ids
    cut_from: tuple[tuple[str, float], ...] = ()  # (country key, km²) for peoples

    @property
    def area_km2(self) -> float:
        return float(shapely.area(self.geometry)) / KM2


@dataclass(frozen=True)
class AreaCheck:
    """A country before and after: its area equals what it keeps plus what it gives."""

    country: str
    original_km2: float
    kept_km2: float
    given_km2: float

    @property
    def relative_error(self) -> float:
        total = self.kept_km2 + self.given_km2
        return abs(total - self.original_km2) / self.original_km2 if self.original_km2 else 0.0


@dataclass
class WorldLayout:
    """Every polygon of the world map, the per-country area checks and notes."""

    world: WorldCountries
    features: list[Feature]
    peoples: list[People]
    checks: list[AreaCheck]
    sliver_km: float
    notes: list[str] = field(default_factory=list)

    def people_feature(self, pid: str) -> Feature | None:
        return next((f for f in self.features if f.kind == "people" and f.key == pid), None)

    def country_feature(self, key: str) -> Feature:
        return next(f for f in self.features if f.kind == "country" and f.key == key)


def _area(geom: Any) -> float:
    return float(shapely.area(geom)) if geom is not None else 0.0


@cache
def projected_countries(base: str) -> np.ndarray:
    """The countries of ``base`` in the world projection, valid, on the grid."""
    world = load_countries(base)
    return np.array([project_lonlat(g) for g in world.geometry], dtype=object)


def simplify_territories(geoms: list[Any], tolerance: float) -> list[Any]:
    """Territories simplified to the detail of the base map, keeping shared borders shared
    when they form a coverage (peoples dissolved from one set of units do)."""
    arr = np.array(geoms, dtype=object)
    if tolerance <= 0 or len(arr) == 0:
        return list(arr)
    if len(arr) > 1 and shapely.coverage_is_valid(arr):
        out = shapely.coverage_simplify(arr, tolerance)
    else:
        out = shapely.simplify(arr, tolerance, preserve_topology=True)
    out = shapely.set_precision(out, GRID_M)
    return [polygonal(g if shapely.is_valid(g) else shapely.make_valid(g)) for g in out]


def _thin(geom: Any, half: float) -> tuple[Any, list[Any]]:
    """``geom`` split into its core and the parts narrower than ``2 * half``."""
    inner = shapely.buffer(geom, -half, join_style="mitre", mitre_limit=10.0)
    core = shapely.buffer(inner, half, join_style="mitre", mitre_limit=10.0)
    core = polygonal(shapely.intersection(core, geom, grid_size=GRID_M))
    thin = polygonal(shapely.difference(geom, core, grid_size=GRID_M))
    return core, [p for p in shapely.get_parts(thin) if _area(p) > 0]


def _shared(part: Any, boundary: Any) -> float:
    """Length of the border ``part`` shares with the lines ``boundary``."""
    minx, miny, maxx, maxy = shapely.bounds(part)
    near = shapely.clip_by_rect(boundary, minx - 1, miny - 1, maxx + 1, maxy + 1)
    if shapely.is_empty(near):
        return 0.0
    line = shapely.intersection(shapely.boundary(part), near, grid_size=GRID_M)
    return float(shapely.length(line))


@dataclass
class _Faces:
    """The arrangement: faces, the country of each (-1: sea) and the peoples holding it."""

    geoms: np.ndarray
    country: np.ndarray
    claims: list[frozenset[str]]


def _arrangement(
    countries: np.ndarray,
    territories: dict[str, Any],
    allowed: dict[str, set[int]],
    strips: Sequence[tuple[int, frozenset[str], Any]] = (),
) -> _Faces:
    """Node every boundary together, polygonize, and give each face its country and claims
    (a face inside a strip takes the strip's claim instead)."""
    lines = [shapely.boundary(g) for g in countries if not shapely.is_empty(g)]
    lines += [shapely.boundary(g) for g in territories.values()]
    lines += [shapely.boundary(g) for _, _, g in strips]
    noded = shapely.union_all(lines, grid_size=GRID_M)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    faces = faces[shapely.area(faces) > 0]
    points = shapely.point_on_surface(faces)
    country = np.full(len(faces), -1, dtype=np.int64)
    hit_p, hit_c = shapely.STRtree(countries).query(points, predicate="within")
    order = np.lexsort((hit_c, hit_p))  # a face in two countries (a base overlap): the first
    first = np.unique(hit_p[order], return_index=True)
    country[first[0]] = hit_c[order][first[1]]
    ids = list(territories)
    claims: list[set[str]] = [set() for _ in faces]
    hit_p, hit_t = shapely.STRtree([territories[k] for k in ids]).query(points, predicate="within")
    for f, t in zip(hit_p, hit_t, strict=True):
        if country[f] in allowed[ids[t]]:
            claims[f].add(ids[t])
    if strips:
        hit_p, hit_s = shapely.STRtree([g for _, _, g in strips]).query(points, predicate="within")
        for f, s in zip(hit_p, hit_s, strict=True):
            if country[f] == strips[s][0]:
                claims[f] = set(strips[s][1])
    return _Faces(faces, country, [frozenset(c) for c in claims])


def _groups(faces: _Faces) -> dict[tuple[int, frozenset[str]], Any]:
    """One geometry per (country, claim set), each the exact union of its faces."""
    members: dict[tuple[int, frozenset[str]], list[int]] = {}
    for f, (c, claim) in enumerate(zip(faces.country, faces.claims, strict=True)):
        if c >= 0:
            members.setdefault((int(c), claim), []).append(f)
    return {
        key: polygonal(shapely.coverage_union_all(faces.geoms[rows]))
        for key, rows in members.items()
    }


def _strips(
    countries: np.ndarray,
    groups: dict[tuple[int, frozenset[str]], Any],
    half: float,
) -> list[tuple[int, frozenset[str], Any, float]]:
    """Strips each country keeps between a people and its outline: (country, claim of the
    people it goes to, strip, its area)."""
    out = []
    touched = sorted({c for c, claim in groups if claim})
    for c in touched:
        rest = groups.get((c, REST))
        if rest is None:
            continue
        pieces = [(claim, g) for (cc, claim), g in groups.items() if cc == c and claim]
        outline = shapely.boundary(countries[c])
        core, parts = _thin(rest, half)
        core_line = shapely.boundary(core)
        piece_lines = [shapely.boundary(g) for _, g in pieces]
        tree = shapely.STRtree([g for _, g in pieces])
        for part in parts:
            along = _shared(part, outline) / float(shapely.length(part))
            to_core = _shared(part, core_line)
            # along the coast or a border; or a pocket cut off from the rest of the country
            # between a people and the coast (a corridor between peoples touches neither)
            if along < STRIP_OUTLINE_SHARE and not (to_core == 0 and along > POCKET_SHARE):
                continue
            best, best_len = None, to_core
            for k in tree.query(shapely.buffer(shapely.envelope(part), 1.0)):
                length = _shared(part, piece_lines[k])
                if length > best_len:
                    best, best_len = pieces[k][0], length
            if best is not None:
                out.append((c, best, part, _area(part)))
    return out


def _index(world: WorldCountries, text: str, where: str) -> int:
    try:
        return world.index[world.find(text)]
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None


def _cut_from(
    item: Placed,
    territory: Any,
    world: WorldCountries,
    countries: np.ndarray,
    tree: Any,
    sliver: float,
    notes: list[str],
) -> set[int]:
    """The countries a people is cut from (checked against the country it left)."""
    p = item.people
    where = f"{p.name} ({p.id})"
    if _area(territory) <= 0:
        raise DataError(f"{where}: its territory has no area")
    if p.left:
        left = _index(world, p.left, f"{where}: left")
    else:  # not given: the country holding most of the territory
        near = [int(i) for i in tree.query(territory, predicate="intersects")]
        overlap = [_area(shapely.intersection(countries[i], territory)) for i in near]
        if not near or max(overlap) <= 0:
            raise DataError(f"{where}: its territory lies in no country (at sea?)")
        left = near[int(np.argmax(overlap))]
    if p.within is not None:
        candidates = sorted({_index(world, w, f"{where}: within") for w in p.within})
        if left not in candidates:
            raise DataError(
                f"{where}: 'within' ({', '.join(p.within)}) must include the country it "
                f"left ({world.keys[left]})"
            )
    else:
        candidates = sorted(int(i) for i in tree.query(territory, predicate="intersects"))
    allowed = set()
    land = 0.0
    for i in candidates:
        part = polygonal(shapely.intersection(countries[i], territory, grid_size=GRID_M))
        if _area(part) <= 0:
            continue
        if i != left and sliver > 0 and _area(_thin(part, sliver * 500)[0]) <= 0:
            notes.append(
                f"{where}: a sliver of {world.keys[i]} under its edge, narrower than "
                f"{sliver:g} km ({_area(part) / KM2:,.0f} km²), stays with {world.keys[i]}"
            )
            continue
        allowed.add(i)
        land += _area(part)
    if left not in allowed:
        raise DataError(
            f"{where}: its territory does not overlap {world.keys[left]}, the country it "
            f"left (Natural Earth {world.base}); check 'left' and the coordinates "
            "(longitude first)"
        )
    outside = _area(territory) - land
    if outside > 0.005 * _area(territory):
        notes.append(
            f"{where}: {outside / KM2:,.0f} km² of its territory "
            f"({outside / _area(territory):.1%}) lie at sea or outside the countries it is cut "
            "from: not drawn"
        )
    return allowed


def world_layout(
    placed: Sequence[Placed],
    base: str = "110m",
    *,
    sliver_km: float | None = None,
    skip_errors: bool = False,
) -> WorldLayout:
    """Cut the peoples out of the countries of ``base``; see the module docstring.

    A people whose territory cannot be cut (it overlaps no country, not the one it left)
    raises :class:`DataError`; with ``skip_errors`` (a published page, which must show the
    others) it is listed, not drawn, and the reason is a note."""
    world = load_countries(base)
    countries = projected_countries(base)
    tree = shapely.STRtree(countries)
    sliver = SLIVER_KM[base] if sliver_km is None else float(sliver_km)
    if sliver < 0:
        raise DataError(f"the sliver width must be 0 or more km (got {sliver})")
    notes: list[str] = []
    drawn = [item for item in placed if item.territory is not None]
    projected = simplify_territories(
        [project_lonlat(item.territory) for item in drawn], SIMPLIFY_M[base]
    )
    territories: dict[str, Any] = {}
    allowed: dict[str, set[int]] = {}
    notes.extend(n for item in placed if item.territory is None for n in item.notes)
    for item, territory in zip(drawn, projected, strict=True):
        notes.extend(item.notes)
        try:
            allowed[item.people.id] = _cut_from(
                item, territory, world, countries, tree, sliver, notes
            )
        except DataError as exc:
            if not skip_errors:
                raise
            notes.append(f"not drawn: {exc}")
            continue
        territories[item.people.id] = territory
    faces = _arrangement(countries, territories, allowed)
    groups = _groups(faces)
    if sliver > 0 and territories:
        strips = _strips(countries, groups, sliver * 1000 / 2)
        if strips:
            names = {p.people.id: p.people.name for p in placed}
            notes.extend(_strip_notes(strips, world, names, sliver))
            faces = _arrangement(
                countries, territories, allowed, [(c, claim, g) for c, claim, g, _ in strips]
            )
            groups = _groups(faces)
    features, checks = _assemble(world, countries, placed, groups)
    for f in features:
        if f.kind == "contested":
            notes.append(f"{f.name}: {f.area_km2:,.0f} km² claimed by several peoples")
    layout = WorldLayout(world, features, [p.people for p in placed], checks, sliver, notes)
    check_layout(layout)
    return layout


def _assemble(
    world: WorldCountries,
    countries: np.ndarray,
    placed: Sequence[Placed],
    groups: dict[tuple[int, frozenset[str]], Any],
) -> tuple[list[Feature], list[AreaCheck]]:
    """Countries (what each keeps), peoples and contested pieces; the area check of each
    country that gave land."""
    empty = shapely.Polygon()
    features = [
        Feature("country", key, key, groups.get((i, REST), empty))
        for i, key in enumerate(world.keys)
    ]
    by_claim: dict[frozenset[str], list[tuple[int, Any]]] = {}
    for (i, claim), geom in sorted(groups.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        if claim:
            by_claim.setdefault(claim, []).append((i, geom))
    checks = []
    for i in sorted({i for parts in by_claim.values() for i, _ in parts}):
        given = sum(_area(g) for parts in by_claim.values() for c, g in parts if c == i)
        checks.append(
            AreaCheck(
                world.keys[i],
                _area(countries[i]) / KM2,
                _area(groups.get((i, REST), empty)) / KM2,
                given / KM2,
            )
        )

    def union(parts: list[tuple[int, Any]]) -> Any:
        if not parts:
            return empty
        return polygonal(shapely.coverage_union_all([g for _, g in parts]))

    def cut(parts: list[tuple[int, Any]]) -> tuple[tuple[str, float], ...]:
        return tuple((world.keys[i], _area(g) / KM2) for i, g in parts)

    by_id = {p.people.id: p.people for p in placed}
    for p in by_id.values():
        parts = by_claim.get(frozenset({p.id}), [])
        features.append(
            Feature("people", p.id, p.name, union(parts), p.status, (p.id,), cut(parts))
        )
    for claim, parts in sorted(by_claim.items(), key=lambda kv: sorted(kv[0])):
        if len(claim) < 2:
            continue
        ids = tuple(pid for pid in by_id if pid in claim)
        who = [by_id[pid].name for pid in ids]
        name = "Claimed by " + ", ".join(who[:-1]) + " and " + who[-1]
        key = "contested:" + "+".join(ids)
        features.append(Feature("contested", key, name, union(parts), "contested", ids, cut(parts)))
    return features, checks


def _strip_notes(
    strips: list[tuple[int, frozenset[str], Any, float]],
    world: WorldCountries,
    names: dict[str, str],
    sliver: float,
) -> list[str]:
    totals: dict[tuple[int, frozenset[str]], list[float]] = {}
    for c, claim, _, area in strips:
        totals.setdefault((c, claim), []).append(area)
    out = []
    for (c, claim), areas in sorted(totals.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        who = " and ".join(names[i] for i in sorted(claim))
        out.append(
            f"{who}: {len(areas)} strip(s) of {world.keys[c]} between it and the coast or "
            f"border, narrower than {sliver:g} km ({sum(areas) / KM2:,.0f} km²), joined to it"
        )
    return out


def check_layout(layout: WorldLayout, tolerance: float = 1e-6) -> None:
    """Raise if a geometry is invalid, the pieces do not form a valid coverage, or a
    country's kept plus given area differs from its original by more than ``tolerance``
    (relative). A failure here is a bug, never a user mistake."""
    shown = [f for f in layout.features if _area(f.geometry) > 0]
    bad = [f.name for f in shown if not shapely.is_valid(f.geometry)]
    if bad:
        raise AssertionError(f"invalid world-map geometry: {bad[:5]}")
    geoms = np.array([f.geometry for f in shown], dtype=object)
    if not shapely.coverage_is_valid(geoms):
        edges = shapely.coverage_invalid_edges(geoms)
        broken = [e is not None and not shapely.is_empty(e) for e in edges]
        bad = [f.name for f, b in zip(shown, broken, strict=True) if b]
        raise AssertionError(f"world-map pieces do not form a valid coverage: {bad[:5]}")
    for c in layout.checks:
        if c.relative_error > tolerance:
            raise AssertionError(
                f"{c.country}: kept {c.kept_km2:,.1f} + given {c.given_km2:,.1f} km² != "
                f"{c.original_km2:,.1f} km²"
            )
