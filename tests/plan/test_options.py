"""``SolverOptions``: frozen, picklable tuning passed through ``solve()``."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from secession.plan.model import PlanConstraints
from secession.plan.options import ModelView, SolverOptions
from secession.plan.solve import exact_plan
from secession.plan.synthetic import synthetic_planar_graph


def test_options_are_frozen_and_picklable() -> None:
    params = {"limits/nodes": 1}
    options = SolverOptions(scip_params=params, rooted_min_units=0)
    params["limits/nodes"] = 5  # the caller's dict is copied, not shared
    assert options.scip_params == {"limits/nodes": 1}
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.max_left_out = 3  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(options))
    assert back == options and back.with_(max_left_out=3).max_left_out == 3


class _Record:
    def __init__(self) -> None:
        self.views: list[ModelView] = []

    def __call__(self, view: ModelView) -> None:
        self.views.append(view)


def test_the_model_hook_sees_every_exact_model_and_the_scip_parameters_apply() -> None:
    g = synthetic_planar_graph(60, seed=3)
    hook = _Record()
    root_only = SolverOptions(scip_params={"limits/nodes": 1}, model_hook=hook)
    plan = exact_plan(g, PlanConstraints(), time_limit=30, options=root_only)
    assert len(hook.views) >= 1
    view = hook.views[-1]
    assert view.slots == 1 and len(view.variables) == len(view.units) == g.n_units
    assert view.model.getParam("limits/nodes") == 1
    assert plan.stats["nodes"] <= 1
