"""National scenarios compared side by side, with sensitivity sweeps on Dask.

>>> from secession.scenario import run_comparison  # doctest: +SKIP
>>> comp = run_comparison(graph, ["states", "counties"], "out/")  # doctest: +SKIP
>>> comp.report  # doctest: +SKIP
PosixPath('out/report.html')

The public names load on first use, so ``secession.scenario.names`` (the constants the
command line's help reads) imports neither the planner nor Dask (only numpy, for ``swing``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from secession.scenario.compare import Comparison, SweepSettings, run_comparison
    from secession.scenario.kinds import ScenarioOptions, ScenarioSpec, spec_for
    from secession.scenario.run import ScenarioResult, SolverSettings, run_scenarios
    from secession.scenario.sensitivity import MonteCarloSettings

from secession.scenario.names import KINDS

# Eager on purpose: ``swing`` is also a submodule's name, and importing that submodule
# would otherwise bind the package attribute to the module instead of the function.
from secession.scenario.swing import perturb, swing

_HOMES = {
    "Comparison": "compare",
    "SweepSettings": "compare",
    "run_comparison": "compare",
    "ScenarioOptions": "kinds",
    "ScenarioSpec": "kinds",
    "spec_for": "kinds",
    "ScenarioResult": "run",
    "SolverSettings": "run",
    "run_scenarios": "run",
    "MonteCarloSettings": "sensitivity",
}

__all__ = [
    "KINDS",
    "Comparison",
    "MonteCarloSettings",
    "ScenarioOptions",
    "ScenarioResult",
    "ScenarioSpec",
    "SolverSettings",
    "SweepSettings",
    "perturb",
    "run_comparison",
    "run_scenarios",
    "spec_for",
    "swing",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'secession.scenario' has no attribute {name!r}")
    return getattr(importlib.import_module(f"secession.scenario.{home}"), name)
