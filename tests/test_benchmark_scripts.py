"""The benchmark scripts end a user mistake with its message and status 1 or 2, never a
traceback: a data folder that does not exist, an argument that does not parse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
NEEDS_DATA = ["bench_exact_states.py", "bench_improve.py", "probe_gap.py", "probe_pa.py"]


def _run(script: str, *args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECESSION_DATA": str(data)}
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=BENCHMARKS,
        timeout=300,
    )


@pytest.mark.parametrize("script", NEEDS_DATA)
def test_a_missing_data_folder_is_named_without_a_traceback(script: str, tmp_path) -> None:
    missing = tmp_path / "no-such-folder"
    done = _run(script, data=missing)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"data folder not found: {missing}" in done.stderr


def test_bad_window_sizes_are_refused(tmp_path) -> None:
    done = _run("probe_pa.py", "--sizes", "800,lots", data=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "'800,lots' is not a list of unit counts" in done.stderr


def test_the_shared_flow_mip_baseline_finds_the_proven_optimum(data_dir) -> None:
    """baselines.flow_mip, the flow MIP every benchmark compares with, reaches the exact
    planner's proven optimum on small real states (both directions) and a synthetic map."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from baselines import flow_mip
    finally:
        sys.path.remove(str(BENCHMARKS))
    from secession.geo.load import load_graph
    from secession.plan import PlanConstraints, solve
    from secession.plan.synthetic import synthetic_planar_graph

    counties = load_graph(data_dir=data_dir, states=("OR", "HI", "DE")).graph
    graphs = [synthetic_planar_graph(40, seed=2)]
    for state in ("OR", "HI", "DE"):
        sub = counties.subgraph(counties.groups["state"] == state)
        graphs += [sub, sub.swapped()]
    for graph in graphs:
        exact = solve(graph, PlanConstraints(), solver="exact", time_limit=60, seed=0)
        base = flow_mip(graph, time_limit=60)
        assert exact.proven_optimal and base["proven"]
        assert base["satisfied"] == pytest.approx(exact.satisfied_voters)
        assert len(base["country"]) == graph.n_units
