"""The whole comparison: solve the scenarios, run the sensitivity sweeps, write the report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secession.geo.graph import UnitGraph
from secession.scenario.kinds import ScenarioOptions
from secession.scenario.progress import Steps
from secession.scenario.run import ScenarioResult, SolverSettings, run_scenarios
from secession.scenario.sensitivity import (
    MonteCarloSettings,
    Variant,
    probabilities,
    solve_variant,
    strip_geometry,
)


@dataclass(frozen=True)
class SweepSettings:
    """Sensitivity runs: swings (points), Monte Carlo draws, where and how to solve them."""

    swings: tuple[float, ...] = ()
    monte_carlo: MonteCarloSettings = field(default_factory=MonteCarloSettings)
    scenario: str | None = None  # Monte Carlo scenario (default: counties-multi, counties, last)
    solver: str = "fast"
    time_limit: float = 10.0
    scheduler: str | None = None
    workers: int | None = None


@dataclass
class Comparison:
    """Everything a comparison produced, with the folder it was written to."""

    out_dir: Path
    results: list[ScenarioResult]
    swing_rows: list[dict[str, Any]]
    mc_rows: list[dict[str, Any]]
    mc_scenario: str | None
    probabilities: np.ndarray | None
    files: dict[str, Path]

    @property
    def report(self) -> Path:
        return self.files["report"]


def _sweeps(
    graph: UnitGraph,
    results: list[ScenarioResult],
    sweep: SweepSettings,
    seed: int,
    steps: Steps,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str | None, np.ndarray | None]:
    from secession.scenario.parallel import dask_client, map_tasks

    by_name = {r.spec.name: r for r in results}
    mc_name = sweep.scenario or next(
        (n for n in ("counties-multi", "counties") if n in by_name), results[-1].spec.name
    )
    if sweep.monte_carlo.draws and mc_name not in by_name:
        from secession.exceptions import DataError

        raise DataError(
            f"--mc-scenario {mc_name!r} is not one of this run's scenarios: " + ", ".join(by_name)
        )
    variants = [Variant(r.spec, "swing", s) for s in sweep.swings for r in results]
    mc = sweep.monte_carlo
    if mc.draws:
        variants += [Variant(by_name[mc_name].spec, "draw", d) for d in range(mc.draws)]
    if not variants:
        return [], [], None, None
    settings = SolverSettings(solver=sweep.solver, time_limit=sweep.time_limit, seed=seed)
    where = sweep.scheduler or f"{sweep.workers or 'all'} local cores"
    with steps.bar(
        f"sensitivity: {len(variants)} re-plans on Dask ({where})", len(variants)
    ) as bar:
        with dask_client(sweep.scheduler, workers=sweep.workers) as client:
            out = map_tasks(
                client,
                solve_variant,
                strip_geometry(graph),
                variants,
                settings,
                mc,
                on_done=lambda _i: bar(),
            )
    swing_rows = [o["row"] for o, v in zip(out, variants, strict=True) if v.kind == "swing"]
    draws = [
        (o["row"], o["country"]) for o, v in zip(out, variants, strict=True) if v.kind == "draw"
    ]
    probs = None
    if draws:
        base = by_name[mc_name].plan
        probs = probabilities(
            np.asarray(base.country), [d[1] for d in draws], graph.population, len(base.labels)
        )
    return swing_rows, [d[0] for d in draws], (mc_name if draws else None), probs


def _write_plans(results: list[ScenarioResult], out: Path, steps: Steps) -> dict[str, Path]:
    from secession.maps import render_plan_outputs
    from secession.plan.output import write_plan

    files = {}
    for r in results:
        d = out / r.spec.name
        with steps.step(f"writing {r.spec.name}: plan files, maps, report"):
            write_plan(r.plan, d, maps=False)
            render_plan_outputs(
                r.plan, d, title=f"{r.spec.title}: {r.row['satisfied_share']:.1%} satisfied"
            )
        files[r.spec.name] = d / "report.html"
    return files


def run_comparison(
    graph: UnitGraph,
    kinds: list[str],
    out_dir: str | Path,
    *,
    options: ScenarioOptions = ScenarioOptions(),
    settings: SolverSettings = SolverSettings(),
    sweep: SweepSettings = SweepSettings(),
    steps: Steps | None = None,
) -> Comparison:
    """Solve ``kinds`` on ``graph``, run the sweeps and write everything into ``out_dir``."""
    from secession.scenario.report import write_comparison

    steps = steps or Steps(quiet=True)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results = run_scenarios(graph, kinds, options, settings, steps=steps)
    files = _write_plans(results, out, steps)
    swing_rows, mc_rows, mc_name, probs = _sweeps(graph, results, sweep, settings.seed, steps)
    comp = Comparison(out, results, swing_rows, mc_rows, mc_name, probs, dict(files))
    with steps.step("writing the comparison report"):
        comp.files.update(write_comparison(comp, graph, options, settings, sweep))
    return comp


def rows_frame(results: list[ScenarioResult]) -> pd.DataFrame:
    keep = [
        "scenario", "title", "satisfied_share", "satisfied_voters", "stranded_leave_voters",
        "stranded_stay_voters", "new_countries", "new_population", "remaining_population",
        "remaining_contiguous", "new_contiguous", "solver", "proven_optimal", "gap", "seconds",
    ]  # fmt: skip
    return pd.DataFrame([{k: r.row[k] for k in keep} for r in results])


def to_json(obj: Any) -> Any:
    """JSON-safe copy (numpy scalars and arrays become Python values)."""
    return json.loads(
        json.dumps(obj, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
    )
