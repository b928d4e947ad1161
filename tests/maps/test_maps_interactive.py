"""The interactive map page: self-contained, one path per unit, colours true to the plan."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from mapcheck import best_country, hand_plan

from secession.maps import map_data
from secession.maps.interactive import render_html, write_interactive_map

PATH_RE = re.compile(r'<path class="unit" data-i="(\d+)" fill="(#[0-9a-f]{6})"')
LEGEND_RE = re.compile(r'data-country="(\d+)"><span class="sw" style="background:(#[0-9A-Fa-f]{6})')


def _payload(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="plan-data">(.*?)</script>', page, re.S)
    assert m, "no inline plan data"
    return json.loads(m.group(1))


def test_page_is_self_contained(ia_plan) -> None:
    page = render_html(map_data(ia_plan))
    assert "<script src" not in page and '<link rel="stylesheet"' not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "url(http" not in page and "@import" not in page
    assert page.count("<svg") >= 1 and "</html>" in page


def test_every_unit_is_drawn_in_a_tint_of_its_country(ia_plan) -> None:
    page = render_html(map_data(ia_plan))
    fills = {int(i): f for i, f in PATH_RE.findall(page)}
    assert sorted(fills) == list(range(ia_plan.graph.n_units))
    legend = {int(c): col for c, col in LEGEND_RE.findall(page)}
    assert sorted(legend) == [0, 1, 2]
    palette = [legend[c] for c in range(3)]
    for i, fill in fills.items():
        assert best_country(fill, palette) == ia_plan.country[i]


def test_inline_data_matches_the_graph(ia_plan) -> None:
    g = ia_plan.graph
    data = _payload(render_html(map_data(ia_plan)))
    assert data["leave_label"] == g.leave_label
    units = data["units"]
    assert [u[0] for u in units] == g.ids.tolist()
    polk = g.index_of("19153")  # Polk County, Des Moines
    _uid, name, leave, stay, _other, margin, country, _stranded, where = units[polk]
    assert where == "Iowa"  # the tooltip names the state (loader groups by FIPS)
    assert name == "Polk" and (leave, stay) == (round(g.leave[polk]), round(g.stay[polk]))
    assert abs(margin - (g.leave[polk] - g.stay[polk]) / (g.leave[polk] + g.stay[polk])) < 1e-4
    assert country == ia_plan.country[polk]


def test_national_map_stays_a_few_megabytes(data_dir: Path, tmp_path: Path) -> None:
    from secession.geo.load import load_graph

    g = load_graph(data_dir=data_dir).graph
    plan = hand_plan(g, (g.leave > g.stay).astype(np.int64), ["stay", "dem"])
    path = write_interactive_map(map_data(plan), tmp_path)
    size = path.stat().st_size
    assert 300_000 < size < 3_000_000
    # every unit with a shape is drawn (five Virginia cities have none in the TopoJSON)
    drawable = int((~(g.geometry.isna() | g.geometry.is_empty)).sum())
    assert drawable == g.n_units - 5
    assert len(PATH_RE.findall(path.read_text())) == drawable
