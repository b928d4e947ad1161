"""The report's contiguity line and water-link table on the real 2020 counties: the line
is the one judgement of ``plan/contiguity.py``, and every water link is listed."""

from __future__ import annotations

import numpy as np
import pytest
from mapcheck import hand_plan, html_table

from secession.geo.load import load_graph
from secession.maps.geography_report import geography_section
from secession.plan.contiguity import judge


def _michigan_leaves(graph):
    country = (np.asarray(graph.groups["state"]).astype(str) == "MI").astype(int)
    return hand_plan(graph, country, ["stay", "michigan"])


@pytest.fixture(scope="module")
def counties(data_dir):
    return load_graph(data_dir=data_dir).graph


def test_water_links_listed_with_the_country_using_them(counties) -> None:
    plan = _michigan_leaves(counties)
    html = geography_section(plan)
    rows = html_table(html, "water-links")
    assert rows[0] == ["unit", "name", "unit", "name", "km", "used by"]
    assert len(rows) - 1 == len(counties.meta["water_links"]) > 2
    by_pair = {frozenset((r[0], r[2])): r for r in rows[1:]}
    # the Straits of Mackinac join the two peninsulas of the new country
    assert by_pair[frozenset(("26097", "26047"))][5] == "michigan"
    assert float(by_pair[frozenset(("26097", "26047"))][4]) == pytest.approx(5.2, abs=0.1)
    # the Verrazzano Narrows lie inside the remaining country
    assert by_pair[frozenset(("36085", "36047"))][5] == "remaining country"
    # the line is the judgement's own sentence
    assert judge(counties, plan.country, plan.labels).new_contiguous
    assert "every country is contiguous on the units" in html


def test_without_water_links_the_cut_off_peninsula_is_named(data_dir) -> None:
    graph = load_graph(data_dir=data_dir, water_links=0).graph
    plan = _michigan_leaves(graph)
    html = geography_section(plan)
    assert 'id="water-links"' not in html and "(water links turned off)" in html
    judged = judge(graph, plan.country, plan.labels)
    assert not judged.new_contiguous
    assert ("26097", "Mackinac County") in judged.countries[1].cut_off  # the Upper Peninsula
    assert "michigan is cut off at 15 unit(s): Alger County (26003)" in html
