"""Colours and short names of many countries: no two touching countries alike, on a
synthetic case a naive colour cycle gets wrong and on the real national plan (counties
2020, any number of new countries of at least 500,000 people), checked on the pixels too."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from mapcheck import best_country, hand_plan
from PIL import Image

from secession.geo.graph import UnitGraph
from secession.maps import draw_plan_map, map_data
from secession.maps.countries import NEW_COLORS, STAY_COLOR, country_key, touching
from secession.maps.mapdata import rekey
from secession.maps.style import PALETTE
from secession.plan import PlanConstraints
from secession.plan.solve import fast_plan


def _proper(plan, colors: list[str]) -> None:
    g = touching(plan)
    clashes = [(a, b) for a, b in g.edges if colors[a] == colors[b]]
    assert clashes == [], clashes
    assert STAY_COLOR not in colors[1:]


RING = len(NEW_COLORS) + 2


def ring_plan(n: int = RING, chord: tuple[int, int] = (1, RING - 1)) -> object:
    """One unit per new country 1..n on a ring (i touches i+1 and n touches 1), a stay
    unit 0 touching all, and a chord between the countries ``chord``: the first and the
    palette's length + 1 share the colour a naive cycle through the palette gives."""
    ids = [str(i) for i in range(n + 1)]
    edges = [(0, i) for i in range(1, n + 1)] + [(i, i % n + 1) for i in range(1, n + 1)]
    edges.append(chord)
    graph = UnitGraph.from_edges(
        ids, [5] * (n + 1), [1] * (n + 1), np.array(edges), population=list(range(100, 101 + n))
    )
    return hand_plan(graph, np.arange(n + 1), ["stay"] + [f"dem-{i}" for i in range(1, n + 1)])


def test_synthetic_ring_a_naive_cycle_gets_wrong() -> None:
    plan = ring_plan()
    naive = [STAY_COLOR] + [NEW_COLORS[(c - 1) % len(NEW_COLORS)] for c in range(1, RING + 1)]
    assert naive[1] == naive[RING - 1] and touching(plan).has_edge(1, RING - 1)  # old defect
    key = country_key(plan)
    _proper(plan, key.colors)
    assert key.colors == country_key(plan).colors  # same plan, same colours
    assert len(set(key.colors[1:])) == len(NEW_COLORS)  # the whole palette is used


def test_wheel_with_odd_rim_needs_four_colours() -> None:
    # country 1 touches a rim of five countries that touch in a ring: 4 colours at least;
    # with a palette of one colour per country too many, still never two alike
    ids = [str(i) for i in range(7)]
    edges = [(1, i) for i in range(2, 7)] + [(i, i % 5 + 2) for i in range(2, 7)] + [(0, 2)]
    graph = UnitGraph.from_edges(ids, [5] * 7, [1] * 7, np.array(edges), population=[10] * 7)
    plan = hand_plan(graph, np.arange(7), ["stay"] + [f"n{i}" for i in range(1, 7)])
    _proper(plan, country_key(plan).colors)


def test_persisting_countries_keep_colour_and_name() -> None:
    base = ring_plan()
    ref = country_key(base)
    # the same countries labelled in the other order: every colour and name persists
    perm = np.array([0, *range(RING, 0, -1)])
    labels = ["stay"] + [f"x{i}" for i in range(1, RING + 1)]
    moved = hand_plan(base.graph, perm[np.asarray(base.country)], labels)
    key = country_key(moved, ref)
    _proper(moved, key.colors)
    for old in range(1, RING + 1):
        new = int(perm[old])
        assert (key.colors[new], key.names[new]) == (ref.colors[old], ref.names[old])
    # the last two merged: the merged country (most of it the last) takes the last's colour
    # and name; a country it now touches that had that colour is recoloured, nothing else
    country = np.asarray(base.country).copy()
    last = RING
    country[country == last - 1] = last
    merged = hand_plan(base.graph, country, list(base.labels))
    key = country_key(merged, ref)
    _proper(merged, key.colors)
    assert (key.colors[last], key.names[last]) == (ref.colors[last], ref.names[last])
    changed = [c for c in range(1, last - 1) if key.colors[c] != ref.colors[c]]
    assert all(ref.colors[c] == ref.colors[last] for c in changed)
    assert key.names[1 : last - 1] == ref.names[1 : last - 1]


def test_short_names_are_the_largest_unit_and_state_and_unique(orwa_plan) -> None:
    names = country_key(orwa_plan).names
    assert names[1:] == ["Multnomah, OR", "King, WA"]
    assert names[0].startswith("Remaining country")


@pytest.fixture(scope="module")
def national(data_dir: Path):
    from secession.geo.load import load_graph

    graph = load_graph(year=2020, data_dir=data_dir).graph
    cons = PlanConstraints(max_countries=None, min_population=500_000)
    return fast_plan(graph, cons, seed=0)


@pytest.mark.slow
def test_national_plan_colours_and_pixels(national, tmp_path: Path) -> None:
    plan = national
    assert plan.country.max() >= 20  # a plan with many new countries
    data = map_data(plan)
    _proper(plan, data.colors)
    assert len(set(data.names)) == len(data.names)
    # the map's pixels: every large unit is a tint of its country's colour, so touching
    # countries (whose colours differ) look different on the picture
    fig = draw_plan_map(data)
    png = tmp_path / "national.png"
    fig.savefig(png, dpi=fig.dpi)  # the pixel transform below is at the figure's dpi
    ax = next(a for a in fig.axes if a.get_label() == "map")
    pts = data.geometry.representative_point()
    xy = ax.transData.transform(np.column_stack([pts.x, pts.y]))
    plt.close(fig)
    img = np.asarray(Image.open(png).convert("RGB"), dtype=float) / 255.0
    area = data.geometry.area.to_numpy()
    stranded = data.units["stranded"].to_numpy()
    palette = list(PALETTE)
    hues: dict[int, int] = {}  # unit -> palette index read from its pixels
    checked = 0
    for i, (x, y) in enumerate(xy):
        if stranded[i] or area[i] < np.percentile(area, 20):
            continue
        col, row = round(x), round(img.shape[0] - y)
        pixel = np.median(img[row - 1 : row + 2, col - 1 : col + 2].reshape(-1, 3), axis=0)
        hue = best_country(pixel, palette)
        if hue is None or np.ptp(pixel) < 0.06:  # a label, its halo or a border: no hue
            continue
        assert palette[hue] == data.colors[plan.country[i]], data.units.iloc[i]["unit_id"]
        hues[i] = hue
        checked += 1
    assert checked >= 300
    # neighbouring units of different countries, both read off the picture: their hues
    # differ (on this plan the new countries touch only the remaining country, whose teal no
    # new country gets; the synthetic tests above cover new countries touching each other)
    edges = plan.graph.edges()
    country = np.asarray(plan.country)
    pairs = [
        (hues[a], hues[b]) for a, b in edges if country[a] != country[b] and a in hues and b in hues
    ]
    assert len(pairs) >= 100 and all(x != y for x, y in pairs)


def test_rekey_changes_colours_not_geometry(orwa_plan) -> None:
    data = map_data(orwa_plan)
    other = country_key(orwa_plan)
    swapped = type(other)(
        [other.colors[0], other.colors[2], other.colors[1]], other.names, other.labels,
        other.country, other.population,
    )  # fmt: skip
    again = rekey(data, swapped)
    assert again.geometry is data.geometry
    assert (again.units["color"] != data.units["color"]).sum() > 0


def test_scenario_maps_share_colours_and_names(orwa_plan, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from secession.scenario.report import shared_keys

    # scenario B: the same two countries with their labels (and so indices) swapped, plus a
    # third: the reference (most countries); A's countries keep B's colours and names
    country = np.asarray(orwa_plan.country)
    swapped = np.where(country == 1, 2, np.where(country == 2, 1, 0))
    swapped[np.flatnonzero(country == 1)[:1]] = 3
    b = hand_plan(orwa_plan.graph, swapped, ["stay", "b-wa", "b-or", "b-x"])
    results = [
        SimpleNamespace(plan=orwa_plan, map=None, spec=SimpleNamespace(name="a")),
        SimpleNamespace(plan=b, map=None, spec=SimpleNamespace(name="b")),
    ]
    shared_keys(SimpleNamespace(results=results, out_dir=tmp_path))
    a_map, b_map = results[0].map, results[1].map
    for c_a, c_b in ((1, 2), (2, 1)):
        assert a_map.colors[c_a] == b_map.colors[c_b]
        assert a_map.names[c_a] == b_map.names[c_b]
    _proper(orwa_plan, a_map.colors)
