"""Units on the earth: lon/lat outlines, the Alaska inset mapped back, water links."""

from __future__ import annotations

import numpy as np
import pytest

from secession.geo.insets import inset_residuals_km
from secession.geo.load import load_graph


def test_alaska_inset_maps_back_onto_the_census_outline(data_dir) -> None:
    states = str(data_dir / "us-president-county" / "2020-states-albers.topojson")
    r = inset_residuals_km("02", states)
    assert np.median(r) < 2.0 and np.quantile(r, 0.95) < 6.0


def test_default_water_links_cross_mackinac_and_the_narrows(data_dir, cli) -> None:
    g = load_graph(data_dir=data_dir).graph
    links = {(w["a"], w["b"]): w["km"] for w in g.meta["water_links"]}
    assert ("26047", "26097") in links and ("26031", "26097") in links  # Straits of Mackinac
    assert ("36047", "36085") in links and links["36047", "36085"] < 2.0  # Verrazzano Narrows
    assert "26097" in g.neighbors_of("26047") and "36085" in g.neighbors_of("36047")
    assert all(0 < km <= 6.0 for km in links.values())
    # Alaska to Washington: measured on the earth, not in the inset beside Mexico
    ak = [i for i, u in enumerate(g.ids) if u.startswith("029")]
    wa = [i for i, u in enumerate(g.ids) if u.startswith("53")]
    assert 700 < g.earth.distance_km(ak, wa) < 900
    r = cli("data", "inspect", "--state", "MI", "--state", "NY", "--state", "NJ")
    assert r.exit_code == 0 and "Mackinac County" in r.stdout and "Richmond County" in r.stdout
    off = load_graph(data_dir=data_dir, water_links=0).graph
    assert off.meta["water_links"] == [] and off.n_edges == g.n_edges - len(links)


def test_nearest_is_the_closest_pair_of_outline_points() -> None:
    """The pruned search (unit bounds, then one k-d tree query) equals brute force."""
    from secession.geo.earth import EarthPoints, chord_to_km, to_xyz

    rng = np.random.default_rng(7)
    n_units, per_unit = 300, 12
    centres = np.column_stack([rng.uniform(-20, 20, n_units), rng.uniform(-15, 15, n_units)])
    lon = (centres[:, :1] + rng.normal(0, 0.4, (n_units, per_unit))).ravel()
    lat = (centres[:, 1:] + rng.normal(0, 0.4, (n_units, per_unit))).ravel()
    start = np.arange(0, n_units * per_unit + 1, per_unit)
    earth = EarthPoints(to_xyz(lon, lat), start, "synthetic")
    for _ in range(20):
        units = rng.permutation(n_units)
        a, b = units[: rng.integers(70, 150)], units[150 : 150 + rng.integers(70, 150)]
        km, i, j = earth.nearest(a, b)
        pa = np.concatenate([earth.points_of(u) for u in a])
        pb = np.concatenate([earth.points_of(u) for u in b])
        brute = float(np.sqrt(((pa[:, None] - pb[None]) ** 2).sum(axis=2)).min())
        assert km == pytest.approx(float(chord_to_km(brute)), rel=1e-12)
        assert i in set(a.tolist()) and j in set(b.tolist())
        pair = np.sqrt(((earth.points_of(i)[:, None] - earth.points_of(j)[None]) ** 2).sum(2))
        assert float(chord_to_km(pair.min())) == pytest.approx(km, rel=1e-12)
