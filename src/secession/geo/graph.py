"""The unit graph: one compact structure for everything after loading.

Units (counties, wards, precincts...) with their ids, names, two-side votes, other votes and
population, adjacency in CSR arrays (``indptr``/``indices``, symmetric, no self loops), the
connected components of the input, named groupings (state, county...) and optional geometry
kept beside it. Everything downstream (planning, referendums, maps) works on this structure.

Example
-------
>>> import numpy as np
>>> g = UnitGraph.from_edges(
...     ids=["a", "b", "c"], leave=[5, 1, 0], stay=[1, 4, 3],
...     edges=np.array([[0, 1], [1, 2]]),
... )
>>> g.n_units, g.n_edges, g.neighbors_of("b")
(3, 2, ['a', 'c'])
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.exceptions import DataError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import networkx as nx

CACHE_FORMAT = "secession-unit-graph/1"


def _as_float(values: Iterable[float] | None, n: int, name: str) -> np.ndarray:
    if values is None:
        return np.zeros(n, dtype=np.float64)
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.shape[0] != n:
        raise DataError(f"{name}: expected {n} values, got {arr.shape[0]}")
    return arr


def csr_from_edges(n: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric, deduplicated CSR arrays (``indptr`` int64, ``indices`` int32) from edge pairs."""
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    if edges.size and (edges.min() < 0 or edges.max() >= n):
        raise DataError(f"edge endpoint out of range 0..{n - 1}")
    edges = edges[edges[:, 0] != edges[:, 1]]
    both = np.concatenate([edges, edges[:, ::-1]])
    mat = sparse.coo_matrix(
        (np.ones(len(both), dtype=np.int8), (both[:, 0], both[:, 1])), shape=(n, n)
    ).tocsr()
    mat.sum_duplicates()
    mat.sort_indices()
    return mat.indptr.astype(np.int64), mat.indices.astype(np.int32)


@dataclass(frozen=True, eq=False)
class UnitGraph:
    """Units, votes and adjacency in flat arrays. Build with :meth:`from_edges`.

    ``leave`` and ``stay`` are the two sides being compared (for the county results,
    ``--leave dem`` puts Democratic votes in ``leave``); ``other`` holds every other vote.
    ``groups`` maps a grouping name (``"state"``, ``"county"``) to one label per unit.
    """

    ids: np.ndarray
    names: np.ndarray
    leave: np.ndarray
    stay: np.ndarray
    other: np.ndarray
    population: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    geometry: Any = None  # geopandas.GeoSeries aligned with ids, or None
    leave_label: str = "leave"
    stay_label: str = "stay"
    meta: dict[str, Any] = field(default_factory=dict)
    earth: Any = None  # secession.geo.earth.EarthPoints aligned with ids, or None

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_edges(
        cls,
        ids: Sequence[str],
        leave: Iterable[float],
        stay: Iterable[float],
        edges: np.ndarray,
        *,
        names: Sequence[str] | None = None,
        other: Iterable[float] | None = None,
        population: Iterable[float] | None = None,
        groups: dict[str, Sequence[str]] | None = None,
        geometry: Any = None,
        leave_label: str = "leave",
        stay_label: str = "stay",
        meta: dict[str, Any] | None = None,
    ) -> UnitGraph:
        """Build a graph from unit arrays and an ``(m, 2)`` array of index pairs.

        Population defaults to total votes (leave + stay + other) when not given.
        """
        id_arr = np.asarray([str(i) for i in ids], dtype=object)
        n = len(id_arr)
        if len(set(id_arr.tolist())) != n:
            seen: set[str] = set()
            dups = sorted({i for i in id_arr if i in seen or seen.add(i)})
            raise DataError(f"duplicate unit ids: {', '.join(dups[:10])}")
        leave_a = _as_float(leave, n, "leave")
        stay_a = _as_float(stay, n, "stay")
        other_a = _as_float(other, n, "other")
        pop_a = (
            leave_a + stay_a + other_a
            if population is None
            else _as_float(population, n, "population")
        )
        name_arr = (
            id_arr.copy() if names is None else np.asarray([str(x) for x in names], dtype=object)
        )
        indptr, indices = csr_from_edges(n, np.asarray(edges).reshape(-1, 2))
        grp = {k: np.asarray(v, dtype=object) for k, v in (groups or {}).items()}
        return cls(
            ids=id_arr,
            names=name_arr,
            leave=leave_a,
            stay=stay_a,
            other=other_a,
            population=pop_a,
            indptr=indptr,
            indices=indices,
            groups=grp,
            geometry=geometry,
            leave_label=leave_label,
            stay_label=stay_label,
            meta=dict(meta or {}),
        )

    # ----------------------------------------------------------------- basic facts
    @property
    def n_units(self) -> int:
        return len(self.ids)

    @property
    def n_edges(self) -> int:
        return int(len(self.indices) // 2)

    @cached_property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr).astype(np.int64)

    @cached_property
    def index(self) -> dict[str, int]:
        """Map from unit id to position."""
        return {uid: i for i, uid in enumerate(self.ids.tolist())}

    def index_of(self, unit_id: str) -> int:
        try:
            return self.index[str(unit_id)]
        except KeyError:
            raise DataError(f"unknown unit id: {unit_id!r}") from None

    def neighbors(self, i: int) -> np.ndarray:
        """Positions of the neighbours of the unit at position ``i``."""
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def neighbors_of(self, unit_id: str) -> list[str]:
        """Ids of the neighbours of ``unit_id``, sorted."""
        return sorted(self.ids[self.neighbors(self.index_of(unit_id))].tolist())

    def edges(self) -> np.ndarray:
        """Each undirected edge once, as an ``(m, 2)`` int array with ``u < v``."""
        rows = np.repeat(np.arange(self.n_units, dtype=np.int64), self.degree)
        cols = self.indices.astype(np.int64)
        keep = rows < cols
        return np.column_stack([rows[keep], cols[keep]])

    def adjacency_matrix(self) -> sparse.csr_matrix:
        data = np.ones(len(self.indices), dtype=np.int8)
        return sparse.csr_matrix((data, self.indices, self.indptr), shape=(self.n_units,) * 2)

    @cached_property
    def _components(self) -> tuple[int, np.ndarray]:
        count, labels = connected_components(self.adjacency_matrix(), directed=False)
        return int(count), labels.astype(np.int32)

    @property
    def n_components(self) -> int:
        return self._components[0]

    @property
    def component(self) -> np.ndarray:
        """Connected-component label of each unit (0-based, largest component first)."""
        count, labels = self._components
        sizes = np.bincount(labels, minlength=count)
        order = np.argsort(-sizes, kind="stable")
        rank = np.empty(count, dtype=np.int32)
        rank[order] = np.arange(count, dtype=np.int32)
        return rank[labels]

    @property
    def islands(self) -> np.ndarray:
        """Positions of units with no neighbour at all."""
        return np.flatnonzero(self.degree == 0)

    @property
    def total_votes(self) -> np.ndarray:
        return self.leave + self.stay + self.other

    @property
    def upper_bound(self) -> float:
        """Satisfied voters if every unit sat on its own majority side."""
        return float(np.maximum(self.leave, self.stay).sum())

    # ----------------------------------------------------------------- derived graphs
    def swapped(self) -> UnitGraph:
        """The same graph with the leave and stay sides exchanged."""
        return replace(
            self,
            leave=self.stay,
            stay=self.leave,
            leave_label=self.stay_label,
            stay_label=self.leave_label,
        )

    def subgraph(self, keep: np.ndarray | Sequence[int]) -> UnitGraph:
        """The induced subgraph on a boolean mask or a list of positions (order kept)."""
        keep = np.asarray(keep)
        pos = np.flatnonzero(keep) if keep.dtype == bool else np.sort(keep.astype(np.int64))
        remap = np.full(self.n_units, -1, dtype=np.int64)
        remap[pos] = np.arange(len(pos))
        e = self.edges()
        e = remap[e]
        e = e[(e[:, 0] >= 0) & (e[:, 1] >= 0)]
        indptr, indices = csr_from_edges(len(pos), e)
        geometry = None
        if self.geometry is not None:
            geometry = self.geometry.iloc[pos].reset_index(drop=True)
        return replace(
            self,
            ids=self.ids[pos],
            names=self.names[pos],
            leave=self.leave[pos],
            stay=self.stay[pos],
            other=self.other[pos],
            population=self.population[pos],
            indptr=indptr,
            indices=indices,
            groups={k: v[pos] for k, v in self.groups.items()},
            geometry=geometry,
            meta=copy.deepcopy(self.meta),
            earth=None if self.earth is None else self.earth.subset(pos),
        )

    def with_edges(self, extra: np.ndarray, note: str | None = None) -> UnitGraph:
        """A copy with extra edges added (e.g. islands linked to their nearest neighbour)."""
        e = np.concatenate([self.edges(), np.asarray(extra, dtype=np.int64).reshape(-1, 2)])
        indptr, indices = csr_from_edges(self.n_units, e)
        meta = copy.deepcopy(self.meta)
        if note:
            meta.setdefault("notes", []).append(note)
        return replace(self, indptr=indptr, indices=indices, meta=meta)

    def aggregate(self, by: str | Sequence[str], *, dissolve: bool = True) -> UnitGraph:
        """Merge units sharing a label (a ``groups`` name, or one label per unit).

        Votes and population are summed; two merged units are adjacent when any of their
        members are. Geometry is dissolved per label when present and ``dissolve`` is true.
        """
        labels = self.groups[by] if isinstance(by, str) else np.asarray(by, dtype=object)
        if len(labels) != self.n_units:
            raise DataError(f"aggregate: expected {self.n_units} labels, got {len(labels)}")
        uniq, inverse = np.unique(labels.astype(str), return_inverse=True)
        k = len(uniq)

        def total(values: np.ndarray) -> np.ndarray:
            return np.bincount(inverse, weights=values, minlength=k)

        e = inverse[self.edges()]
        indptr, indices = csr_from_edges(k, e)
        groups = {}
        # the first member of each merged unit carries its group labels
        first = np.zeros(k, dtype=np.int64)
        first[inverse[::-1]] = np.arange(self.n_units)[::-1]
        for name, vals in self.groups.items():
            groups[name] = vals[first]
        geometry = None
        if self.geometry is not None and dissolve:
            import geopandas as gpd

            frame = gpd.GeoDataFrame({"key": inverse}, geometry=self.geometry.values)
            geometry = frame.dissolve(by="key").geometry.reset_index(drop=True)
        names = uniq.astype(object)
        meta = copy.deepcopy(self.meta)
        meta["aggregated_from"] = {
            "units": self.n_units,
            "by": by if isinstance(by, str) else "labels",
        }
        return UnitGraph(
            ids=uniq.astype(object),
            names=names,
            leave=total(self.leave),
            stay=total(self.stay),
            other=total(self.other),
            population=total(self.population),
            indptr=indptr,
            indices=indices,
            groups=groups,
            geometry=geometry,
            leave_label=self.leave_label,
            stay_label=self.stay_label,
            meta=meta,
            earth=None if self.earth is None else self.earth.merged(inverse, k),
        )

    # ----------------------------------------------------------------- conversion
    def to_networkx(self) -> nx.Graph:
        import networkx as nx

        g = nx.Graph()
        for i, uid in enumerate(self.ids.tolist()):
            g.add_node(
                uid,
                name=self.names[i],
                leave=float(self.leave[i]),
                stay=float(self.stay[i]),
                other=float(self.other[i]),
                population=float(self.population[i]),
                **{k: v[i] for k, v in self.groups.items()},
            )
        ids = self.ids
        g.add_edges_from((ids[u], ids[v]) for u, v in self.edges().tolist())
        return g

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """Units as a GeoDataFrame (requires geometry)."""
        import geopandas as gpd

        if self.geometry is None:
            raise DataError("this unit graph has no geometry")
        data = {
            "unit_id": self.ids,
            "name": self.names,
            self.leave_label: self.leave,
            self.stay_label: self.stay,
            "other": self.other,
            "population": self.population,
        }
        data.update(self.groups)
        return gpd.GeoDataFrame(data, geometry=self.geometry.values, crs=self.geometry.crs)

    # ----------------------------------------------------------------- cache file
    def save(self, path: str | Path) -> Path:
        """Write the graph (and geometry as WKB) to one ``.npz`` cache file (no pickled objects)."""
        path = Path(path)
        arrays: dict[str, np.ndarray] = {
            "ids": self.ids.astype(str),
            "names": self.names.astype(str),
            "leave": self.leave,
            "stay": self.stay,
            "other": self.other,
            "population": self.population,
            "indptr": self.indptr,
            "indices": self.indices,
        }
        for k, v in self.groups.items():
            arrays[f"group__{k}"] = v.astype(str)
        header: dict[str, Any] = {
            "format": CACHE_FORMAT,
            "leave_label": self.leave_label,
            "stay_label": self.stay_label,
            "meta": self.meta,
            "crs": None,
        }
        if self.geometry is not None:
            import shapely

            blobs = [b or b"" for b in shapely.to_wkb(self.geometry.values)]
            arrays["geometry_wkb"] = np.frombuffer(b"".join(blobs), dtype=np.uint8)
            arrays["geometry_offsets"] = np.cumsum([0] + [len(b) for b in blobs], dtype=np.int64)
            crs = self.geometry.crs
            header["crs"] = crs.to_wkt() if crs is not None else None
        if self.earth is not None:
            arrays["earth_xyz"] = self.earth.xyz
            arrays["earth_start"] = self.earth.start
            header["earth_source"] = self.earth.source
        arrays["header"] = np.asarray(json.dumps(header, default=str))
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        try:
            path.write_bytes(buf.getvalue())
        except OSError as exc:
            why = exc.strerror or exc
            raise DataError(f"{path}: cannot write graph cache file ({why})") from None
        return path

    @classmethod
    def load(cls, path: str | Path) -> UnitGraph:
        """Read a cache file written by :meth:`save`."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                if header.get("format") != CACHE_FORMAT:
                    raise DataError(f"{path}: not a secession graph cache file")
                groups = {
                    k.removeprefix("group__"): z[k].astype(object)
                    for k in z.files
                    if k.startswith("group__")
                }
                geometry = None
                if "geometry_wkb" in z.files:
                    import geopandas as gpd
                    import shapely

                    raw = z["geometry_wkb"].tobytes()
                    offsets = z["geometry_offsets"]
                    wkb = [raw[a:b] or None for a, b in itertools.pairwise(offsets.tolist())]
                    geometry = gpd.GeoSeries(shapely.from_wkb(wkb), crs=header.get("crs"))
                earth = None
                if "earth_xyz" in z.files:
                    from secession.geo.earth import EarthPoints

                    earth = EarthPoints(
                        z["earth_xyz"], z["earth_start"], header.get("earth_source", "")
                    )
                return cls(
                    ids=z["ids"].astype(object),
                    names=z["names"].astype(object),
                    leave=z["leave"],
                    stay=z["stay"],
                    other=z["other"],
                    population=z["population"],
                    indptr=z["indptr"],
                    indices=z["indices"],
                    groups=groups,
                    geometry=geometry,
                    leave_label=header["leave_label"],
                    stay_label=header["stay_label"],
                    meta=header.get("meta", {}),
                    earth=earth,
                )
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            raise DataError(f"{path}: cannot read graph cache file ({exc})") from None

    def summary(self) -> dict[str, Any]:
        """Counts and totals, as printed by ``secession data inspect``."""
        comp_sizes = np.bincount(self.component) if self.n_units else np.array([], dtype=int)
        return {
            "units": self.n_units,
            "edges": self.n_edges,
            "components": self.n_components,
            "component_sizes": comp_sizes.tolist(),
            "islands": self.ids[self.islands].tolist(),
            "votes": {
                self.leave_label: float(self.leave.sum()),
                self.stay_label: float(self.stay.sum()),
                "other": float(self.other.sum()),
                "total": float(self.total_votes.sum()),
            },
            "population": float(self.population.sum()),
            "upper_bound": self.upper_bound,
        }
