"""The improvers follow one ``typing.Protocol`` (``secession.plan.improver.Improver``).

Each of ``improve``, ``intensify`` and ``window_search`` has the protocol's parameters
(names, kinds, which have defaults), accepts ``options`` and, run on a seeded synthetic
map from the fast plan, returns a plan the independent checker accepts and that is not
worse than the one it was given.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from secession.plan import PlanConstraints, SolverOptions
from secession.plan.check import check_plan
from secession.plan.improve import Improver, improve, intensify, window_search
from secession.plan.metrics import satisfied_voters
from secession.plan.solve import fast_plan
from secession.plan.synthetic import synthetic_planar_graph

IMPROVERS = {"improve": improve, "intensify": intensify, "window_search": window_search}


def _shape(function) -> list[tuple[str, object, bool]]:
    params = [p for p in inspect.signature(function).parameters.values() if p.name != "self"]
    return [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in params]


@pytest.mark.parametrize("name", sorted(IMPROVERS))
def test_signature_is_the_protocol(name):
    assert _shape(IMPROVERS[name]) == _shape(Improver.__call__)


def test_a_function_with_another_signature_is_told_apart():
    def other(graph, constraints, country, seconds):  # positional seconds, no options
        return country, {}

    assert _shape(other) != _shape(Improver.__call__)


@pytest.mark.parametrize("name", sorted(IMPROVERS))
def test_never_worse_and_valid(name):
    graph = synthetic_planar_graph(120, seed=3)
    constraints = PlanConstraints()
    start = fast_plan(graph, constraints, seed=0, search=False).country
    options = SolverOptions(window_sizes=(20, 40), window_step_seconds=0.5)
    improver: Improver = IMPROVERS[name]
    country, stats = improver(graph, constraints, start, seconds=0.5, seed=1, options=options)
    assert isinstance(stats, dict)
    assert check_plan(graph, constraints, np.asarray(country)) == []
    assert satisfied_voters(graph, country) >= satisfied_voters(graph, start) - 1e-9
