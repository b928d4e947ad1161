"""Units on the earth: lon/lat outlines, the Alaska inset mapped back, water links."""

from __future__ import annotations

import numpy as np

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
