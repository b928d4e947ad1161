"""The whole comparison on Dask: scenario plans and sensitivity re-plans run side by side.

Every plan is one task. The scenario plans go first (higher priority); the swing and Monte
Carlo re-plans of a scenario are queued as soon as that scenario is fully specified (the
split states of ``split-states`` wait for the county-level plan). While the workers solve,
this process writes each finished scenario's files, maps and report.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.i18n import DEFAULT, check_language, gettext_for
from secession.output_dir import make_output_dir
from secession.scenario.kinds import ScenarioOptions, ScenarioSpec, graph_for, spec_for
from secession.scenario.metrics import scenario_row
from secession.scenario.parallel import dask_client
from secession.scenario.progress import Steps
from secession.scenario.run import (
    ScenarioResult,
    SolverSettings,
    finish_split,
    needs_reference,
    plan_specs,
    scenario_result,
    solve_spec,
)
from secession.scenario.sensitivity import (
    MonteCarloSettings,
    Variant,
    probabilities,
    solve_variant,
    strip_geometry,
)

#: Re-plans of the costliest scenarios start first, so no long task is left for the end
#: (one new country of counties takes about twice the CPU of the others).
VARIANT_PRIORITY = {"counties": 2, "counties-multi": 1}


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
    timeout: float = 20.0  # seconds to reach a scheduler

    @property
    def active(self) -> bool:
        return bool(self.swings or self.monte_carlo.draws)


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


def mc_scenario_name(kinds: list[str], sweep: SweepSettings) -> str:
    if sweep.scenario is not None:
        if sweep.scenario not in kinds:
            raise DataError(
                f"`mc_scenario` {sweep.scenario!r} is not one of this run's scenarios: "
                + ", ".join(kinds)
            )
        return sweep.scenario
    return next((n for n in ("counties-multi", "counties") if n in kinds), kinds[-1])


def solve_task(graph: UnitGraph, spec: ScenarioSpec, settings: SolverSettings) -> Any:
    """Worker task: one scenario plan (returned without geometry)."""
    return solve_spec(graph, spec, settings)


def _write_plan(result: ScenarioResult, out: Path, lang: str = DEFAULT) -> Path:
    """Write one scenario's plan files, maps and report; keep its map data for the
    comparison's small multiples and probability map."""
    from secession.maps import map_data, render_plan_outputs
    from secession.plan.output import write_plan

    d = out / result.spec.name
    write_plan(result.plan, d)
    _ = gettext_for(lang)
    title = _("{scenario}: {share} satisfied").format(
        scenario=_(result.spec.title), share=f"{result.row['satisfied_share']:.1%}"
    )
    geometry = result.plan.graph.geometry is not None
    result.map = map_data(result.plan, title=title, lang=lang) if geometry else None
    render_plan_outputs(result.plan, d, title=title, data=result.map, lang=lang)
    return d / "report.html"


class _Run:
    """State of one comparison while its tasks run."""

    def __init__(self, client: Any, graph: UnitGraph, out: Path, options: ScenarioOptions,
                 settings: SolverSettings, sweep: SweepSettings, steps: Steps,
                 lang: str = DEFAULT) -> None:  # fmt: skip
        from distributed import as_completed

        self.client, self.graph, self.out, self.lang = client, graph, out, lang
        self.options, self.settings, self.sweep, self.steps = options, settings, sweep, steps
        self.shared = client.scatter(strip_geometry(graph), broadcast=True)
        self.queue = as_completed()
        self.what: dict[str, tuple[str, Any]] = {}
        self.sweep_settings = SolverSettings(sweep.solver, sweep.time_limit, settings.seed)

    def submit_plan(self, kind: str, spec: ScenarioSpec) -> None:
        fut = self.client.submit(
            solve_task, self.shared, spec, self.settings, pure=False, priority=10
        )
        self.what[fut.key] = (kind, spec)
        self.queue.add(fut)

    def submit_variants(self, spec: ScenarioSpec, mc_name: str) -> int:
        # a swing of 0 is the scenario's own plan: reused, not solved again (see _drive)
        variants = [Variant(spec, "swing", s) for s in self.sweep.swings if s != 0]
        if spec.name == mc_name:
            variants += [Variant(spec, "draw", d) for d in range(self.sweep.monte_carlo.draws)]
        for v in variants:
            fut = self.client.submit(
                solve_variant, self.shared, v, self.sweep_settings, self.sweep.monte_carlo,
                pure=False, priority=VARIANT_PRIORITY.get(spec.name, 0),
            )  # fmt: skip
            self.what[fut.key] = ("variant", v)
            self.queue.add(fut)
        return len(variants)


def run_comparison(
    graph: UnitGraph,
    kinds: list[str],
    out_dir: str | Path,
    *,
    options: ScenarioOptions = ScenarioOptions(),
    settings: SolverSettings = SolverSettings(),
    sweep: SweepSettings = SweepSettings(),
    steps: Steps | None = None,
    lang: str = DEFAULT,
) -> Comparison:
    """Solve ``kinds`` on ``graph``, run the sweeps and write everything into ``out_dir``.

    Tasks run on the Dask scheduler ``sweep.scheduler`` when given; otherwise on a local
    cluster of processes when there are sweeps, or in this process when there are none.
    ``lang``: the language of the reports and maps (``secession.i18n.LANGUAGES``).
    """
    from secession.scenario.report import write_comparison

    check_language(lang)
    steps = steps or Steps(quiet=True)
    out = make_output_dir(out_dir)
    specs = plan_specs(graph, kinds, options)
    names = [s.name for s in specs]
    mc_name = mc_scenario_name(names, sweep) if sweep.monte_carlo.draws else ""
    local = sweep.scheduler is None and not sweep.active
    where = sweep.scheduler or ("this process" if local else "a local Dask cluster")
    with steps.step("solving in this process" if local else f"starting {where}"):
        client_cm = dask_client(
            sweep.scheduler,
            workers=1 if local else sweep.workers,
            processes=not local,
            timeout=sweep.timeout,
        )
        client = client_cm.__enter__()
    try:
        run = _Run(client, graph, out, options, settings, sweep, steps, lang)
        results, variants = _drive(run, specs, mc_name)
    finally:
        client_cm.__exit__(None, None, None)
    ordered = [results[n] for n in names]
    with steps.step("steadying the sweeps (baseline and neighbouring plans re-scored)"):
        variants = steady_variants(graph, results, variants, sweep)
    swing_rows = [row for v, row, _ in variants if v.kind == "swing"]
    draws = [(row, c) for v, row, c in variants if v.kind == "draw"]
    probs = None
    if draws:
        base = results[mc_name].plan
        probs = probabilities(
            np.asarray(base.country), [c for _, c in draws], graph.population, len(base.labels)
        )
    files = {r.spec.name: out / r.spec.name / "report.html" for r in ordered}
    comp = Comparison(
        out, ordered, swing_rows, [row for row, _ in draws], mc_name or None, probs, files
    )
    with steps.step("writing the comparison report"):
        comp.files.update(write_comparison(comp, graph, options, settings, sweep, lang))
    return comp


def steady_variants(
    graph: UnitGraph,
    results: dict[str, ScenarioResult],
    variants: list[tuple[Variant, dict[str, Any], Any]],
    sweep: SweepSettings,
) -> list[tuple[Variant, dict[str, Any], Any]]:
    """Every re-plan offered the baseline's plan and (swings) its neighbours' plans,
    re-scored on its own votes; the best kept (:mod:`secession.scenario.steady`)."""
    from secession.plan.labels import country_labels
    from secession.plan.metrics import satisfied_voters
    from secession.plan.model import Plan
    from secession.scenario.steady import steady_draw, steady_swings
    from secession.scenario.swing import perturb, swing

    def row_for(v: Variant, moved: UnitGraph, country: np.ndarray, source: str) -> dict:
        base = results[v.scenario.name].plan
        sat = satisfied_voters(moved, country)
        plan = Plan(moved, country, country_labels(moved, int(country.max(initial=0))), sat,
                    moved.upper_bound, moved.upper_bound, False, f"{base.solver} ({source})",
                    0.0, v.scenario.constraints)  # fmt: skip
        row = scenario_row(v.scenario.name, v.scenario.title, plan, moved)
        return row

    out: list[tuple[Variant, dict[str, Any], Any]] = []
    by_name: dict[str, list[tuple[Variant, dict[str, Any], Any]]] = {}
    for item in variants:
        by_name.setdefault(item[0].scenario.name, []).append(item)
    mc = sweep.monte_carlo
    for name, items in by_name.items():
        if name not in results:
            out += items
            continue
        spec = results[name].spec
        baseline = np.asarray(results[name].plan.country, dtype=np.int64)
        swings = {v.value: (v, row, c) for v, row, c in items if v.kind == "swing"}
        if swings:
            own = {s: (None if c is None else np.asarray(c, dtype=np.int64))
                   for s, (_, _, c) in swings.items()}  # fmt: skip
            plans, source = steady_swings(graph, spec, own, baseline, lambda s: swing(graph, s))
            for s, (v, row, c) in sorted(swings.items()):
                if source[s] == "own":
                    row["plan_from"] = "own"
                    out.append((v, row, c))
                    continue
                moved = swing(graph, s)
                new = row_for(v, moved, plans[s], source[s])
                new.update(kind="swing", value=float(s), national_swing=float(s),
                           plan_from=source[s])  # fmt: skip
                out.append((v, new, plans[s].astype(np.int32)))
        for v, row, c in items:
            if v.kind != "draw":
                continue
            drawn, national = perturb(graph, seed=mc.seed, draw=int(v.value),
                                      unit_sigma=mc.unit_sigma,
                                      national_sigma=mc.national_sigma)  # fmt: skip
            own_c = None if c is None else np.asarray(c, dtype=np.int64)
            kept, from_base = steady_draw(spec, drawn, own_c, baseline)
            if not from_base:
                row["plan_from"] = "own"
                out.append((v, row, c))
                continue
            new = row_for(v, drawn, kept, "baseline")
            new.update(kind="draw", value=float(v.value), national_swing=national,
                       plan_from="baseline")  # fmt: skip
            out.append((v, new, kept.astype(np.int32)))
    return out


def _zero_swing(
    graph: UnitGraph, spec: ScenarioSpec, plan: Any
) -> tuple[Variant, dict[str, Any], Any]:
    """The swing-0 point of a sweep: the scenario's own plan, so the chart, the swing table
    and the scenario table agree (and one re-plan per scenario is saved)."""
    row = scenario_row(spec.name, spec.title, plan, graph)
    row.update(kind="swing", value=0.0, national_swing=0.0)
    return Variant(spec, "swing", 0.0), row, np.asarray(plan.country, dtype=np.int32)


def _drive(
    run: _Run, specs: list[ScenarioSpec], mc_name: str
) -> tuple[dict[str, ScenarioResult], list[tuple[Variant, dict[str, Any], Any]]]:
    """Submit, collect and write until every task is done."""
    graph, options = run.graph, run.options
    waiting = [s for s in specs if needs_reference(s, options)]
    have_multi = any(s.name == "counties-multi" for s in specs)
    total = 0
    for spec in specs:
        if spec in waiting:
            continue
        run.submit_plan("scenario", spec)
        total += 1
    if waiting and not have_multi:
        run.submit_plan("reference", spec_for("counties-multi", options))
        total += 1
    for spec in specs:
        if spec not in waiting:
            total += run.submit_variants(spec, mc_name)
    if waiting:  # known in advance: the split plan and its re-plans
        draws = run.sweep.monte_carlo.draws if mc_name == "split-states" else 0
        total += 1 + sum(1 for s in run.sweep.swings if s != 0) + draws
    results: dict[str, ScenarioResult] = {}
    variants: list[tuple[Variant, dict[str, Any], Any]] = []
    where = run.sweep.scheduler or ("Dask" if run.sweep.active else "")
    what = f"planning {len(specs)} scenarios" + (
        " and their sensitivity re-plans" if run.sweep.active else ""
    )
    with run.steps.bar(what + (f" on {where}" if where else ""), total) as tick:
        for fut in run.queue:
            kind, item = run.what.pop(fut.key)
            value = fut.result()
            tick()
            if kind == "variant":
                variants.append((item, value["row"], value["country"]))
                continue
            plan = replace(value, graph=graph_for(graph, item))  # put the geometry back
            if kind == "reference" or item.name == "counties-multi":
                for spec in waiting:
                    final = finish_split(graph, spec, options, plan)
                    run.submit_plan("scenario", final)
                    run.submit_variants(final, mc_name)
                waiting = []
            if kind == "reference":
                continue
            result = scenario_result(graph, item, plan)
            results[item.name] = result
            if 0.0 in run.sweep.swings:
                variants.append(_zero_swing(graph, item, plan))
            _write_plan(result, run.out, run.lang)
            if not run.steps.quiet:
                row = result.row
                proof = "optimal" if row["proven_optimal"] else f"gap ≤ {row['gap']:.2%}"
                n = row["new_countries"]
                run.steps.console.print(
                    f"[green]✓[/] {item.name}: {row['satisfied_share']:.1%} satisfied, {n} new "
                    f"{'country' if n == 1 else 'countries'} "
                    f"[dim]({plan.solver}, {proof}, {plan.seconds:.1f} s)[/]",
                    highlight=False,
                )
    return results, variants
