"""Nearest-neighbour links for islands and small components."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from shapely.geometry import box

from secession.exceptions import DataError
from secession.geo.islands import nearest_neighbour_links
from secession.geo.topology import read_topojson


def components(n: int, edges: np.ndarray) -> np.ndarray:
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    adj = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return connected_components(adj, directed=False)[1]


def test_small_cases() -> None:
    geoms = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 0, 6, 1), box(0, 3, 1, 4)]
    # unit 3 is 2 above unit 0; unit 2 is 3 right of unit 1
    assert nearest_neighbour_links(geoms, [0, 0, 1, 2]).tolist() == [[0, 3], [1, 2]]
    assert nearest_neighbour_links(geoms, [0, 0, 0, 0]).shape == (0, 2)
    with pytest.raises(DataError, match="expected 4 values"):
        nearest_neighbour_links(geoms, [0, 1])


def test_islands_nearest_each_other_still_join_the_mainland() -> None:
    main = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]
    pair = [box(10, 0, 11, 1), box(11.5, 0, 12, 1)]  # two islands, closer to each other
    geoms = main + pair + [None]
    links = nearest_neighbour_links(geoms, [0, 0, 0, 1, 2, 3])
    assert links.tolist() == [[2, 3], [3, 4]]  # the None unit stays alone


def test_states_alaska_and_hawaii(data_dir: Path) -> None:
    states = read_topojson(data_dir / "us-president-county/2020-states-albers.topojson")
    n = len(states.ids)
    labels = components(n, states.edges)
    assert len(set(labels.tolist())) == 3  # contiguous states + DC, Alaska, Hawaii
    links = nearest_neighbour_links(states.geometry, labels)
    assert len(links) == 2
    assert len(set(components(n, np.vstack([states.edges, links])).tolist())) == 1
    named = {tuple(sorted((states.ids[a], states.ids[b]))) for a, b in links.tolist()}
    # in the Albers USA layout the two insets sit closest to each other (brute force below);
    # once joined, the pair is linked to its nearest mainland state, Arizona
    assert named == {("02", "15"), ("02", "04")}
    geoms = states.geometry.to_numpy()
    for a, b in (("15", "02"), ("02", "15")):
        i = states.ids.index(a)
        others = np.flatnonzero(labels != labels[i])
        nearest = others[np.argmin(shapely.distance(geoms[i], geoms[others]))]
        assert states.ids[nearest] == b
    pair = [states.ids.index("02"), states.ids.index("15")]
    mainland = np.flatnonzero(labels == labels[states.ids.index("41")])
    dist = shapely.distance(geoms[pair][:, None], geoms[mainland][None, :])
    assert states.ids[mainland[np.unravel_index(np.argmin(dist), dist.shape)[1]]] == "04"


def test_counties_become_connected(data_dir: Path) -> None:
    counties = read_topojson(data_dir / "us-president-county/2020-units-albers.topojson")
    n = len(counties.ids)
    labels = components(n, counties.edges)
    links = nearest_neighbour_links(counties.geometry, labels)
    ids = counties.ids
    named = {tuple(sorted((ids[a], ids[b]))) for a, b in links.tolist()}
    assert ("25007", "25019") in named  # Nantucket to Martha's Vineyard (Dukes)
    assert ("53055", "53057") in named  # San Juan to Skagit, Washington
    assert ("11007", "24033") in named  # DC ward 7 to Prince George's, Maryland
    geoms = counties.geometry.to_numpy()
    for island, partner in (("25019", "25007"), ("53055", "53057")):
        i = ids.index(island)  # brute force: nearest unit of any other component
        others = np.flatnonzero((labels != labels[i]) & ~counties.geometry.isna().to_numpy())
        assert ids[others[np.argmin(shapely.distance(geoms[i], geoms[others]))]] == partner
    after = components(n, np.vstack([counties.edges, links]))
    null = counties.geometry.isna().to_numpy()
    # one piece, plus the five units without geometry which cannot be placed
    assert len(set(after[~null].tolist())) == 1
    assert len(set(after.tolist())) == 1 + null.sum()
    assert len(links) == len(set(labels[~null].tolist())) - 1
