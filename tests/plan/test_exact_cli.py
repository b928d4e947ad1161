"""`secession plan` end to end: the output contract on a real state, and clean errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest


def test_plan_command_writes_the_contract(cli, data_dir, tmp_path) -> None:
    out = tmp_path / "or"
    r = cli("plan", "--state", "OR", "--solver", "exact", "--out", out)
    assert r.exit_code == 0, r.output
    assert "proven optimal" in r.stdout and "satisfied voters" in r.stdout
    for name in ("assignment.csv", "summary.json", "plan.geojson", "map.png", "report.html"):
        assert (out / name).is_file(), name
    assignment = pd.read_csv(out / "assignment.csv", dtype=str)
    summary = json.loads((out / "summary.json").read_text())
    # recompute the objective from the raw results file, independently of the package
    raw = pd.read_csv(data_dir / "us-president-county" / "2020.csv", dtype={"county_fips": str})
    raw = raw[raw["state_name"] == "Oregon"].assign(unit_id=lambda d: d.county_fips.str.zfill(5))
    merged = raw.merge(assignment, on="unit_id", validate="one_to_one")
    assert len(assignment) == len(raw) == summary["units"] == 36
    leaves = merged["country"] != "stay"
    assert set(merged["country"]) == {"stay", "dem"}
    sat = merged.loc[leaves, "votes_dem"].sum() + merged.loc[~leaves, "votes_gop"].sum()
    assert summary["satisfied_voters"] == sat
    assert summary["upper_bound"] == np.maximum(raw.votes_dem, raw.votes_gop).sum()
    assert summary["two_side_votes"] == (raw.votes_dem + raw.votes_gop).sum()
    assert summary["proven_optimal"] is True and summary["gap"] == 0
    by_label = {c["label"]: c for c in summary["countries"]}
    assert by_label["dem"]["units"] == int(leaves.sum())
    assert by_label["dem"]["stranded_voters"] == merged.loc[leaves, "votes_gop"].sum()
    assert by_label["stay"]["stranded_voters"] == merged.loc[~leaves, "votes_dem"].sum()
    geo = json.loads((out / "plan.geojson").read_text())
    assert len(geo["features"]) == 36
    assert all(f["geometry"] is not None for f in geo["features"])
    assert {f["properties"]["country"] for f in geo["features"]} == {"stay", "dem"}


def test_plan_command_constraints_reach_the_solver(cli, tmp_path) -> None:
    out = tmp_path / "ri"
    r = cli(
        "plan", "--state", "RI", "--leave", "gop", "--consent", "0.4", "--any-number",
        "--min-population", "1000", "--no-rest-contiguous", "--lock-stay", "44007",
        "--solver", "exact", "--no-maps", "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["constraints"]["max_countries"] is None
    assert summary["constraints"]["lock_stay"] == ["44007"]
    assert summary["leave_label"] == "gop"
    assignment = pd.read_csv(out / "assignment.csv", dtype=str).set_index("unit_id")
    assert assignment.loc["44007", "country"] == "stay"
    assert not (out / "map.png").exists()


def test_plan_command_time_limit_inf_means_no_limit(cli, tmp_path) -> None:
    # SCIP rejects limits/time above 1e20; an infinite limit is passed on as that
    r = cli(
        "plan", "--state", "OR", "--solver", "exact", "--time-limit", "inf", "--no-maps",
        "--out", tmp_path / "x",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "proven optimal" in r.stdout


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--lock-leave", "41001", "--lock-stay", "41001"], 4, "both to leave and to stay"),
        (["--lock-leave", "12345"], 2, "12345"),
        (["--level", "nowhere"], 2, "level 'nowhere'"),
        (["--seed", "-1"], 2, "--seed"),  # numpy's generator rejects negative seeds
    ],
)
def test_plan_command_errors_are_clean(cli, tmp_path, args, code, needle) -> None:
    r = cli("plan", "--state", "OR", "--solver", "exact", "--out", tmp_path / "x", *args)
    assert r.exit_code == code
    assert needle in r.stderr
    assert "Traceback" not in r.output


def test_plan_command_unwritable_out_is_clean(cli, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = cli("plan", "--state", "OR", "--solver", "fast", "--no-maps", "--out", blocker / "x")
    assert r.exit_code == 2
    assert "cannot write the output folder" in r.stderr.replace("\n", "")
    assert "Traceback" not in r.output


def test_plan_command_warns_before_a_very_large_exact_model(cli, tmp_path) -> None:
    from secession.cli.plan import large_exact_note
    from secession.plan.model import PlanConstraints
    from secession.plan.options import SolverOptions
    from secession.plan.synthetic import synthetic_planar_graph

    args = ("plan", "--state", "RI", "--max-countries", "5", "--min-population", "1000")
    args = (*args, "--no-maps")
    r = cli(*args, "--solver", "exact", "--out", tmp_path / "a")
    assert r.exit_code == 0, r.output
    assert "note: the exact model" not in r.output
    # 5 units, up to 5 countries of at least 1,000 voters: 5 units x 5 slots, over a limit
    # of 10 (the limit is an option, not a module global)
    g = synthetic_planar_graph(5, seed=0)
    cons = PlanConstraints(max_countries=5, min_population=1000)
    assert large_exact_note(g, cons) is None
    note = large_exact_note(g, cons, SolverOptions(large_exact_variables=10))
    assert note is not None and note.startswith("note: the exact model has 25 unit variables")
    r = cli(*args, "--out", tmp_path / "c")  # auto: no note, it picks for itself
    assert "note: the exact model" not in r.output
    # any number of countries has no slots: one variable per unit, so no note
    pooled = ("plan", "--state", "RI", "--any-number", "--min-population", "1000", "--no-maps")
    r = cli(*pooled, "--solver", "exact", "--out", tmp_path / "d")
    assert r.exit_code == 0, r.output
    assert "note: the exact model" not in r.output
