"""``secession map DIR``: redraw a plan folder written by the planner, checked against its files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from mapcheck import as_number, best_country, html_table

from secession.maps import render_plan_outputs
from secession.plan import PlanConstraints, solve
from secession.plan.output import write_plan

PATH_RE = re.compile(r'<path class="unit" data-i="(\d+)" fill="(#[0-9a-f]{6})"')
LEGEND_RE = re.compile(r'data-country="(\d+)"><span class="sw" style="background:(#[0-9A-Fa-f]{6})')


@pytest.fixture(scope="module")
def orwa_solved(orwa_graph):
    """A real two-country plan of Oregon and Washington."""
    return solve(
        orwa_graph,
        PlanConstraints(max_countries=None, min_population=200_000),
        solver="fast",
        seed=0,
    )


@pytest.fixture(scope="module")
def plan_dir(orwa_solved, tmp_path_factory) -> Path:
    """The plan written without maps."""
    out = tmp_path_factory.mktemp("orwa-plan")
    write_plan(orwa_solved, out)
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
        # no population column in the county results: it is the votes cast, and says so
        assert as_number(row["population*"]) == round(want["population"])
        assert as_number(row["stranded voters"]) == round(want["stranded_voters"])
    assert as_number(total["units"]) == 75
    assert "population here is the total number of votes" in (plan_dir / "report.html").read_text()
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


@pytest.fixture(scope="module")
def drawn_dir(orwa_solved, tmp_path_factory) -> Path:
    """The same plan written with its maps (as `secession plan` does)."""
    out = tmp_path_factory.mktemp("orwa-drawn")
    written = {
        p.name for p in [*write_plan(orwa_solved, out), *render_plan_outputs(orwa_solved, out)]
    }
    assert {"map.png", "map.svg", "map.html", "report.html", "units.json"} <= written
    return out


def test_redraw_reproduces_the_original_maps_byte_for_byte(cli, drawn_dir, tmp_path) -> None:
    r = cli("map", drawn_dir, "--out", tmp_path)
    assert r.exit_code == 0, r.output
    for name in ("map.png", "map.svg", "map.html"):
        assert (tmp_path / name).read_bytes() == (drawn_dir / name).read_bytes(), name
    # state outlines and other votes come back from units.json
    page = (tmp_path / "map.html").read_text()
    assert page.count('stroke="#555"') == 1  # the group (state) outline layer
    units = json.loads(re.search(r'id="plan-data">(.*?)</script>', page).group(1))["units"]
    multnomah = next(u for u in units if u[0] == "41051")
    assert multnomah[4] > 10_000 and multnomah[8] == "Oregon"  # other votes, state name
    report = (tmp_path / "report.html").read_text()
    assert "redrawn from the plan files" in report and "adjacencies" in report


def test_redraw_without_sidecar_rebuilds_us_states(
    cli, plan_dir: Path, tmp_path, orwa_graph
) -> None:
    def orwa_other(uid: str) -> float:
        return float(orwa_graph.other[orwa_graph.index_of(uid)])

    (plan_dir / "units.json").unlink(missing_ok=True)
    r = cli("map", plan_dir, "--out", tmp_path)
    assert r.exit_code == 0, r.output
    page = (tmp_path / "map.html").read_text()
    assert page.count('stroke="#555"') == 1  # states from the county FIPS codes
    units = json.loads(re.search(r'id="plan-data">(.*?)</script>', page).group(1))["units"]
    assert {u[8] for u in units} == {"Oregon", "Washington"}
    # other votes are not in plan.geojson: population minus the two sides, once the
    # per-country other votes of summary.json confirm that population is the votes cast
    g_other = {u[0]: u[4] for u in units}
    assert g_other["41051"] == round(orwa_other("41051"))


def test_redraw_refuses_a_sidecar_from_another_plan(cli, drawn_dir, tmp_path) -> None:
    for name in ("assignment.csv", "summary.json", "plan.geojson"):
        (tmp_path / name).write_bytes((drawn_dir / name).read_bytes())
    side = json.loads((drawn_dir / "units.json").read_text())
    side["unit_id"][0] = "99999"
    (tmp_path / "units.json").write_text(json.dumps(side))
    r = cli("map", tmp_path)
    assert r.exit_code == 2, r.output
    assert "units.json" in r.stderr and "different units" in r.stderr


def test_map_unwritable_out_is_one_line_error(cli, plan_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    r = cli("map", plan_dir, "--out", tmp_path / "file" / "out")
    assert r.exit_code == 2, r.output
    assert "cannot write the output folder" in r.stderr and "Traceback" not in r.output


def _set(key, value):
    return lambda doc: doc.__setitem__(key, value)


def _feature(key, value):
    return lambda doc: doc["features"][0].__setitem__(key, value)


@pytest.mark.parametrize(
    ("name", "mutate", "message"),
    [
        ("units.json", _set("unit_id", 5), "unit_id must list"),
        ("units.json", _set("groups", [1]), "groups must map"),
        ("units.json", lambda d: d["other"].__setitem__(0, "abc"), "other must list a number"),
        ("plan.geojson", lambda d: d["features"].__setitem__(0, "x"), "every feature must"),
        (
            "plan.geojson",
            _feature("geometry", {"type": "Polygon", "coordinates": "x"}),
            "geometry cannot be read",
        ),
        (
            "plan.geojson",
            lambda d: d["features"][0]["properties"].__setitem__("leave", None),
            "has no 'leave' value",
        ),
        ("plan.geojson", _set("crs_wkt", "garbage"), "coordinate reference system"),
        ("summary.json", lambda d: d["countries"][0].__setitem__("country", "x"), "not a number"),
        ("summary.json", _set("upper_bound", "x"), "upper_bound is not a number"),
        ("summary.json", _set("satisfied_voters", "x"), "satisfied_voters is not a number"),
        ("summary.json", _set("source", [1]), "source must be"),
        ("summary.json", _set("constraints", [1]), "constraints must be"),
        ("summary.json", _set("constraints", {"min_population": "x"}), "min_population is not"),
        ("summary.json", _set("constraints", {"lock_leave": 5}), "constraints cannot be read"),
    ],
)
def test_hand_edited_plan_files_give_one_line_errors(
    cli, drawn_dir: Path, tmp_path: Path, name, mutate, message
) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    for f in ("assignment.csv", "summary.json", "plan.geojson", "units.json"):
        (folder / f).write_bytes((drawn_dir / f).read_bytes())
    doc = json.loads((folder / name).read_text())
    mutate(doc)
    (folder / name).write_text(json.dumps(doc))
    r = cli("map", folder, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert name in r.stderr and message in r.stderr
