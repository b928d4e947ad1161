"""National scenarios compared side by side, with sensitivity sweeps on Dask.

>>> from secession.scenario import run_comparison  # doctest: +SKIP
>>> comp = run_comparison(graph, ["states", "counties"], "out/")  # doctest: +SKIP
>>> comp.report  # doctest: +SKIP
PosixPath('out/report.html')
"""

from secession.scenario.compare import Comparison, SweepSettings, run_comparison
from secession.scenario.kinds import KINDS, ScenarioOptions, ScenarioSpec, spec_for
from secession.scenario.run import ScenarioResult, SolverSettings, run_scenarios
from secession.scenario.sensitivity import MonteCarloSettings
from secession.scenario.swing import perturb, swing

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
