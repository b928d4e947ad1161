"""Local Dask clusters: forked worker processes by default, the same answers as in-process."""

from __future__ import annotations

import os

import pytest

from secession.exceptions import SecessionError
from secession.scenario.kinds import ScenarioOptions, spec_for
from secession.scenario.parallel import START_METHOD_ENV, dask_client, map_tasks, start_method
from secession.scenario.run import SolverSettings
from secession.scenario.sensitivity import (
    MonteCarloSettings,
    Variant,
    solve_variant,
    strip_geometry,
)


def test_start_method_defaults_to_fork_and_can_be_chosen(monkeypatch) -> None:
    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    assert start_method() == "fork"  # Linux
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv(START_METHOD_ENV, "teleport")
    with pytest.raises(SecessionError, match=START_METHOD_ENV):
        start_method()


def test_forked_workers_replan_exactly_as_this_process(west_graph, monkeypatch) -> None:
    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    graph = strip_geometry(west_graph)
    spec = spec_for("counties-multi", ScenarioOptions(min_population=300_000))
    variants = [Variant(spec, "swing", -2.0), Variant(spec, "draw", 1)]
    settings, mc = SolverSettings("fast", 5, 0), MonteCarloSettings(draws=2, seed=4)
    here = [solve_variant(graph, v, settings, mc)["row"] for v in variants]
    with dask_client(workers=2) as client:
        pids = set(client.run(os.getpid).values())
        there = [r["row"] for r in map_tasks(client, solve_variant, graph, variants, settings, mc)]
    assert len(pids) == 2 and os.getpid() not in pids  # two real processes
    for a, b in zip(here, there, strict=True):
        assert a["satisfied_voters"] == b["satisfied_voters"]
        assert a["national_swing"] == b["national_swing"]
