"""``secession scenario`` end to end on four western states, sweeps on a real Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# The tests sharing the module's comparison run on one xdist worker (run with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("scenario-cli")

FAST = ("--solver", "fast", "--sweep-solver", "fast", "--time-limit", "5", "--quiet")
STATES = ("--state", "OR", "--state", "WA", "--state", "ID", "--state", "NV")


@pytest.fixture(scope="module")
def cluster():
    """A real Dask scheduler and worker in this process; tests pass its address."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as c:
        yield c


@pytest.fixture(scope="module")
def comparison(cluster, data_dir, tmp_path_factory) -> Path:
    from secession.cli.app import run

    out = tmp_path_factory.mktemp("west")
    code = run(
        [
            "scenario", *STATES, *FAST, "--out", str(out), "--min-population", "300000",
            "--data-dir", str(data_dir),
            "--swing=-2..2", "--swing-step", "2", "--monte-carlo", "4", "--seed", "3",
            "--scheduler", cluster.scheduler_address,
        ]
    )  # fmt: skip
    assert code == 0
    return out


def test_comparison_report_has_every_scenario(comparison: Path) -> None:
    data = json.loads((comparison / "comparison.json").read_text())
    names = [r["scenario"] for r in data["scenarios"]]
    assert names == ["states", "counties", "counties-multi", "split-states"]
    report = (comparison / "report.html").read_text()
    for name in names:
        assert f'href="{name}/report.html"' in report
        assert (comparison / name / "assignment.csv").exists()
        assert (comparison / name / "map.html").exists()
    for figure in ("small_multiples.png", "swing.png", "probability.png"):
        assert (comparison / figure).stat().st_size > 20_000, figure
        assert figure not in report  # embedded, so the page stands alone
    assert report.count("data:image/png;base64,") == 3


def test_rows_agree_with_each_scenario_plan(comparison: Path) -> None:
    data = json.loads((comparison / "comparison.json").read_text())
    for row in data["scenarios"]:
        summary = json.loads((comparison / row["scenario"] / "summary.json").read_text())
        assert abs(row["satisfied_voters"] - summary["satisfied_voters"]) < 0.5
        stay = next(c for c in summary["countries"] if c["label"] == "stay")
        assert abs(row["stranded_leave_voters"] - stay["stranded_voters"]) < 0.5
        assert row["new_countries"] == summary["new_countries"]


def test_swing_zero_replans_to_the_same_plan(comparison: Path) -> None:
    data = json.loads((comparison / "comparison.json").read_text())
    swings = pd.DataFrame(data["swing"])
    assert sorted(swings["value"].unique()) == [-2.0, 0.0, 2.0]
    assert len(swings) == 3 * 4
    base = {r["scenario"]: r["satisfied_share"] for r in data["scenarios"]}
    zero = swings[swings["value"] == 0]
    for _, r in zero.iterrows():  # same solver and seed: the same answer
        assert abs(r["satisfied_share"] - base[r["scenario"]]) < 1e-12
    # a swing towards the leave side never lowers the unconstrained bound
    bound = swings.groupby("value")["upper_bound_share"].first()
    assert bound[2.0] > bound[0.0] > bound[-2.0] or bound.is_monotonic_increasing


def test_monte_carlo_probabilities(comparison: Path) -> None:
    probs = pd.read_csv(comparison / "probabilities.csv", dtype={"unit_id": str})
    assert len(probs) == 75 + 44 + 17  # OR + WA + ID + NV counties
    cols = [c for c in probs.columns if c.startswith("p_") and c != "p_leave"]
    assert np.allclose(probs[cols].sum(axis=1), 1.0)
    # four draws: every probability is a multiple of a quarter
    assert np.allclose((probs["p_leave"] * 4) % 1, 0)
    data = json.loads((comparison / "comparison.json").read_text())
    assert data["monte_carlo"]["scenario"] == "counties-multi"
    assert len(data["monte_carlo"]["draws"]) == 4
    # draws are seeded: national swings differ from one another
    nat = [d["national_swing"] for d in data["monte_carlo"]["draws"]]
    assert len(set(nat)) == 4


def test_default_output_folder_and_summary(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli("scenario", "states", "--state", "OR", "--state", "ID", *FAST, "--swing", "none",
            "--monte-carlo", "0")  # fmt: skip
    assert r.exit_code == 0, r.output
    report = tmp_path / "secession-scenarios" / "dem-2020" / "report.html"
    assert f"Report: {report}" in r.stdout
    assert "states" in r.stdout and "satisfied" in r.stdout


def test_other_side_and_other_year(cli, tmp_path: Path) -> None:
    r = cli("scenario", "states", "--leave", "gop", "--year", "2016", "--state", "OR",
            "--state", "ID", *FAST, "--swing", "none", "--monte-carlo", "0",
            "--out", tmp_path)  # fmt: skip
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "comparison.json").read_text())
    assert data["leave_label"] == "gop" and "2016" in data["title"]
    assignment = pd.read_csv(tmp_path / "states" / "assignment.csv", dtype=str)
    leaving = assignment[assignment["country"] != "stay"]["unit_id"]
    # Idaho (FIPS 16) voted Republican in 2016 and leaves whole; Oregon (41) stays
    assert set(leaving.str[:2]) == {"16"} and (assignment["unit_id"].str[:2] == "16").sum() == 44
    assert len(leaving) == 44


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("provinces",), 2, "unknown scenario"),
        (("--split", "TX"), 2, "no units of that state"),
        (("--swing", "x..y"), 2, "--swing"),
        (("--split-threshold", "8"), 2, "between 0 and 1"),
        (("--solver", "magic"), 2, "auto, exact or fast"),
        (("--sweep-solver", "magic"), 2, "--sweep-solver must be auto, exact or fast, not 'magic'"),
        (("--mc-sigma", "-1"), 2, "must be 0 or more"),
        (("--workers", "0"), 2, "--workers must be 1 or more"),
        (("--seed", "-1"), 2, "--seed"),  # numpy's generator rejected it with a traceback
        (("--swing", "nan"), 2, "between -50 and 50"),
        (("--min-population", "nan"), 2, "--min-population must be a number, not nan"),
        (("--mc-sigma", "nan"), 2, "--mc-sigma must be a number, not nan"),
        (("--scheduler-timeout", "0"), 2, "--scheduler-timeout must be positive"),
        (
            ("--scheduler", "tcp://127.0.0.1:9", "--scheduler-timeout", "1"),
            1,
            "cannot reach the Dask scheduler",
        ),
    ],
)
def test_bad_options_give_clear_errors(cli, tmp_path: Path, args, code, message) -> None:
    r = cli("scenario", "--state", "OR", *FAST, "--monte-carlo", "1", "--out", tmp_path, *args)
    assert r.exit_code == code, r.output
    assert message in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("provinces",), "unknown scenario 'provinces'"),
        (("states", "--mc-scenario", "counties"), "--mc-scenario 'counties' is not one of"),
    ],
)
def test_bad_scenario_names_fail_before_any_work(cli, tmp_path: Path, args, message) -> None:
    # without --quiet: the intro names every scenario, so names are checked before it
    r = cli("scenario", "--state", "OR", "--swing", "none", "--out", tmp_path, *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and "Scenario comparison" not in r.stderr


def test_console_tells_a_first_time_user_what_runs(cli, tmp_path: Path) -> None:
    r = cli("scenario", "states", "counties", "--state", "OR", "--state", "ID", "--solver",
            "fast", "--swing", "none", "--monte-carlo", "0", "--out", tmp_path)  # fmt: skip
    assert r.exit_code == 0, r.output
    err = r.stderr
    assert "Scenario comparison" in err and "80 counties, 2020 presidential results" in err
    assert "whole states whose majority voted dem" in err and "counties, one new country" in err
    assert f"output       {tmp_path}/" in err
    assert "✓ states: " in err and "satisfied" in err
    assert "stranded dem: dem voters left in the remaining country" in r.stdout
    assert "voters in new" in r.stdout  # county results have no population: sizes in votes


def test_report_explains_its_terms(comparison: Path) -> None:
    report = (comparison / "report.html").read_text()
    assert "Stranded voters are voters who end up in the country they voted against" in report
    assert "counted in votes cast" in report  # the data has no population figures
    data = json.loads((comparison / "comparison.json").read_text())
    multi = next(r for r in data["scenarios"] if r["scenario"] == "counties-multi")
    assert f"{multi['largest_new_population'] / 1e6:.1f} M" in report
    # the swing table lists the scenarios in the comparison's order
    head = report[report.index('id="swing"') :].split("</thead>")[0]
    cols = [c for c in ("states", "counties", "counties-multi", "split-states") if f">{c}<" in head]
    assert cols == ["states", "counties", "counties-multi", "split-states"]
    assert head.index(">counties<") < head.index(">counties-multi<") < head.index(">split-states<")


def test_output_folder_blocked_by_a_file(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("keep me")
    r = cli("scenario", "states", "--state", "OR", *FAST, "--swing", "none", "--monte-carlo",
            "0", "--out", blocker / "out")  # fmt: skip
    assert r.exit_code == 2, r.output
    assert "cannot write the output folder" in r.stderr.replace("\n", "")
    assert "Traceback" not in r.output and blocker.read_text() == "keep me"
