"""``secession map DIR``: redraw a plan folder written by the planner, checked against its files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from mapcheck import as_number, best_country, html_table

from secession.plan import PlanConstraints, solve
from secession.plan.output import write_plan

PATH_RE = re.compile(r'<path class="unit" data-i="(\d+)" fill="(#[0-9a-f]{6})"')
LEGEND_RE = re.compile(r'data-country="(\d+)"><span class="sw" style="background:(#[0-9A-Fa-f]{6})')


@pytest.fixture(scope="module")
def plan_dir(orwa_graph, tmp_path_factory) -> Path:
    """A real two-country plan of Oregon and Washington, written without maps."""
    plan = solve(
        orwa_graph,
        PlanConstraints(max_countries=None, min_population=200_000),
        solver="fast",
        seed=0,
    )
    out = tmp_path_factory.mktemp("orwa-plan")
    write_plan(plan, out, maps=False)
    assert not (out / "map.png").exists()
    return out


def test_map_redraws_every_file(cli, plan_dir: Path) -> None:
    r = cli("map", plan_dir)
    assert r.exit_code == 0, r.output
    for name in ("map.png", "map.svg", "map.html", "report.html"):
        assert (plan_dir / name).stat().st_size > 10_000, name
        assert str(plan_dir / name) in r.stdout


def test_redrawn_map_colours_follow_assignment_csv(cli, plan_dir: Path) -> None:
    assert cli("map", plan_dir).exit_code == 0
    assignment = pd.read_csv(plan_dir / "assignment.csv", dtype=str)
    summary = json.loads((plan_dir / "summary.json").read_text())
    index_of = {row["label"]: row["country"] for row in summary["countries"]}
    feature_ids = [
        f["properties"]["unit_id"]
        for f in json.loads((plan_dir / "plan.geojson").read_text())["features"]
    ]
    page = (plan_dir / "map.html").read_text()
    legend = {int(c): col for c, col in LEGEND_RE.findall(page)}
    palette = [legend.get(k, "#000000") for k in range(max(legend) + 1)]
    fills = {feature_ids[int(i)]: f for i, f in PATH_RE.findall(page)}
    assert len(fills) == len(assignment) == 75
    assert set(assignment["country"]) == {"stay", "dem-1", "dem-2"}
    for uid, label in zip(assignment["unit_id"], assignment["country"], strict=True):
        assert best_country(fills[uid], palette) == index_of[label], uid


def test_report_tables_match_summary_json(cli, plan_dir: Path) -> None:
    assert cli("map", plan_dir).exit_code == 0
    summary = json.loads((plan_dir / "summary.json").read_text())
    rows = html_table((plan_dir / "report.html").read_text(), "countries")
    header, body, total = rows[0], rows[1:-1], dict(zip(rows[0], rows[-1], strict=True))
    assert len(body) == len(summary["countries"])
    for cells, want in zip(body, summary["countries"], strict=True):
        row = dict(zip(header, cells, strict=True))
        assert as_number(row["units"]) == want["units"]
        assert as_number(row["population"]) == round(want["population"])
        assert as_number(row["stranded voters"]) == round(want["stranded_voters"])
    assert as_number(total["units"]) == 75
    assert abs(as_number(total["satisfied share"]) - 100 * summary["satisfied_share"]) < 0.051


def test_map_names_missing_files(cli, tmp_path: Path) -> None:
    r = cli("map", tmp_path)
    assert r.exit_code == 3
    assert "assignment.csv" in r.stderr and "Traceback" not in r.output


def test_map_refuses_a_folder_that_mixes_plans(cli, plan_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "mixed"
    bad.mkdir()
    for name in ("summary.json", "plan.geojson"):
        (bad / name).write_bytes((plan_dir / name).read_bytes())
    assignment = pd.read_csv(plan_dir / "assignment.csv", dtype=str)
    assignment.loc[assignment["country"] == "stay", "country"] = "dem-1"
    assignment.to_csv(bad / "assignment.csv", index=False)
    r = cli("map", bad)
    assert r.exit_code == 2
    assert "summary.json" in r.stderr and "disagrees" in r.stderr
