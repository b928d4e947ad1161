"""``secession scenario``: compare national scenarios on the same data, with sensitivity runs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from secession.cli.options import DataOptions, LangOption, with_data_options
from secession.exceptions import DataError
from secession.scenario.names import DEFAULT_MIN_POPULATION, DEFAULT_SPLIT_THRESHOLD, KINDS, TITLES

if TYPE_CHECKING:  # pragma: no cover
    from secession.geo.graph import UnitGraph

PANEL_PLAN = "Scenarios"
PANEL_SENS = "Sensitivity"
DEFAULT_SWING = "-5..5"
DEFAULT_DRAWS = 40


def scenario_command(
    data: DataOptions,
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help=f"Scenarios to run (default: all): {', '.join(KINDS)}.", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: secession-scenarios/<leave>-<year>)."),
    ] = None,
    solver: Annotated[
        str,
        typer.Option(
            "--solver",
            help="exact (default: each headline plan from the exact path, with its proven "
            "bound and gap), auto (exact up to 500 planning units, fast beyond) or fast.",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = "exact",
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            help="Time budget of each scenario's headline plan, seconds (the exact path "
            "proves what it can within it and reports its bound).",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = 20.0,
    exclaves: Annotated[
        str,
        typer.Option(
            "--exclaves",
            help="nearest (default), none or any: where a new country may hold pieces on "
            "several landmasses (see `secession plan --help`).",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = "nearest",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of every randomised step.")] = 0,
    contiguous: Annotated[
        bool,
        typer.Option(
            "--contiguous/--no-contiguous",
            help="Require every country, new and remaining, to be contiguous.",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = True,
    min_population: Annotated[
        float,
        typer.Option(
            "--min-population",
            help="Minimum population of each new country (multi-country scenarios).",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = DEFAULT_MIN_POPULATION,
    split: Annotated[
        list[str] | None,
        typer.Option(
            "--split",
            help="A state to divide in split-states (repeat: --split OR --split WA).",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = None,
    split_threshold: Annotated[
        float | None,
        typer.Option(
            "--split-threshold",
            help="Also divide states where the county plan gains more than this share of the "
            f"state's two-side votes (default {DEFAULT_SPLIT_THRESHOLD:g} when no --split is "
            "given; negative turns it off).",
            rich_help_panel=PANEL_PLAN,
        ),
    ] = None,
    swing: Annotated[
        str,
        typer.Option(
            "--swing",
            help="Uniform swings to re-plan under, in points towards the leave side: a range "
            "like -5..5, a list like -2,0,2, or 'none'.",
            rich_help_panel=PANEL_SENS,
        ),
    ] = DEFAULT_SWING,
    swing_step: Annotated[
        float,
        typer.Option("--swing-step", help="Step of a --swing range.", rich_help_panel=PANEL_SENS),
    ] = 1.0,
    monte_carlo: Annotated[
        int,
        typer.Option(
            "--monte-carlo",
            help="Number of random draws of unit shares (0: none).",
            rich_help_panel=PANEL_SENS,
        ),
    ] = DEFAULT_DRAWS,
    mc_scenario: Annotated[
        str | None,
        typer.Option(
            "--mc-scenario",
            help="Scenario the Monte Carlo draws re-plan (default: counties-multi).",
            rich_help_panel=PANEL_SENS,
        ),
    ] = None,
    mc_sigma: Annotated[
        float,
        typer.Option(
            "--mc-sigma", help="Unit-level noise, points (normal σ).", rich_help_panel=PANEL_SENS
        ),
    ] = 3.0,
    mc_national_sigma: Annotated[
        float,
        typer.Option(
            "--mc-national-sigma",
            help="National swing per draw, points (normal σ).",
            rich_help_panel=PANEL_SENS,
        ),
    ] = 2.0,
    sweep_solver: Annotated[
        str,
        typer.Option(
            "--sweep-solver", help="Solver of the sensitivity re-plans.", rich_help_panel=PANEL_SENS
        ),
    ] = "fast",
    sweep_time_limit: Annotated[
        float,
        typer.Option(
            "--sweep-time-limit",
            help="Seconds per sensitivity re-plan.",
            rich_help_panel=PANEL_SENS,
        ),
    ] = 10.0,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); default: a local cluster.",
            rich_help_panel=PANEL_SENS,
        ),
    ] = None,
    scheduler_timeout: Annotated[
        float,
        typer.Option(
            "--scheduler-timeout",
            help="Seconds to wait for the --scheduler to answer.",
            rich_help_panel=PANEL_SENS,
        ),
    ] = 20.0,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Local worker processes (default: one per core).",
            rich_help_panel=PANEL_SENS,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
    lang: LangOption = "en",
) -> None:
    """Compare national scenarios on the same data and write one report.

    Whole states, counties, several countries, split states; each re-planned under vote
    swings and random draws."""
    import time

    from secession.scenario.compare import SweepSettings, mc_scenario_name, run_comparison
    from secession.scenario.kinds import ScenarioOptions, check_kinds
    from secession.scenario.progress import Steps
    from secession.scenario.run import SolverSettings
    from secession.scenario.sensitivity import MonteCarloSettings
    from secession.scenario.swing import parse_range

    started = time.perf_counter()
    from secession.i18n import check_language

    check_language(lang)  # before any work
    from secession.plan.kernels.exclaves import check_policy

    check_policy(exclaves)
    for flag, value in (("--solver", solver), ("--sweep-solver", sweep_solver)):
        if value not in ("auto", "exact", "fast"):
            raise DataError(f"{flag} must be auto, exact or fast, not {value!r}")
    for flag, number in (
        ("--time-limit", time_limit), ("--sweep-time-limit", sweep_time_limit),
        ("--min-population", min_population), ("--split-threshold", split_threshold),
        ("--swing-step", swing_step), ("--mc-sigma", mc_sigma),
        ("--mc-national-sigma", mc_national_sigma), ("--scheduler-timeout", scheduler_timeout),
    ):  # fmt: skip
        if number is not None and math.isnan(number):
            raise DataError(f"{flag} must be a number, not nan")
    if scheduler_timeout <= 0:
        raise DataError(f"--scheduler-timeout must be positive, not {scheduler_timeout:g}")
    if time_limit <= 0 or sweep_time_limit <= 0:
        raise DataError("--time-limit and --sweep-time-limit must be positive")
    if monte_carlo < 0:
        raise DataError(f"--monte-carlo must be 0 or more, not {monte_carlo}")
    if mc_sigma < 0 or mc_national_sigma < 0:
        raise DataError("--mc-sigma and --mc-national-sigma must be 0 or more (points)")
    if workers is not None and workers < 1:
        raise DataError(f"--workers must be 1 or more, not {workers}")
    if min_population < 0:
        raise DataError(f"--min-population must be 0 or more, not {min_population:g}")
    if split_threshold is not None and split_threshold > 1:
        raise DataError(
            f"--split-threshold {split_threshold:g}: give a share of the state's votes "
            "between 0 and 1 (e.g. 0.08)"
        )
    threshold = split_threshold
    if threshold is None:
        threshold = None if split else DEFAULT_SPLIT_THRESHOLD
    elif threshold < 0:
        threshold = None
    swings = () if swing.strip().lower() in ("", "none", "off") else parse_range(swing, swing_step)
    kinds = check_kinds(scenarios or KINDS)
    sweep = SweepSettings(
        swings=tuple(swings),
        monte_carlo=MonteCarloSettings(
            draws=monte_carlo, seed=seed, unit_sigma=mc_sigma, national_sigma=mc_national_sigma
        ),
        scenario=mc_scenario,
        solver=sweep_solver,
        time_limit=sweep_time_limit,
        scheduler=scheduler,
        workers=workers,
        timeout=scheduler_timeout,
    )
    mc_name = mc_scenario_name(kinds, sweep) if monte_carlo else None
    steps = Steps(quiet=quiet)
    with steps.step("loading units"):
        loaded = data.load()
    graph = loaded.graph
    out_dir = out or Path("secession-scenarios") / f"{data.leave}-{data.year}"
    if not quiet:
        _intro(steps.console, graph, kinds, swings, monte_carlo, mc_name, scheduler,
               workers, out_dir, min_population)  # fmt: skip
    if not loaded.report.ok and not quiet:
        counts = ", ".join(f"{k}: {v}" for k, v in loaded.report.counts().items())
        steps.console.print(
            f"[yellow]data notes[/] ({counts}): `secession data inspect` lists them",
            highlight=False,
        )
    comp = run_comparison(
        graph,
        kinds,
        out_dir,
        options=ScenarioOptions(
            contiguous=contiguous,
            min_population=min_population,
            split=tuple(split or ()),
            split_threshold=threshold,
            exclaves=exclaves,
        ),
        settings=SolverSettings(solver=solver, time_limit=time_limit, seed=seed),
        sweep=sweep,
        steps=steps,
        lang=lang,
    )
    from secession.maps.figures import population_is_votes

    console = Console(soft_wrap=False, width=max(Console().width, 110))
    people = "voters" if population_is_votes(graph) else "people"
    table = Table(title=f"Scenarios: {graph.leave_label} voters leave", title_justify="left")
    for col in ("scenario", "satisfied", f"stranded {graph.leave_label}",
                f"stranded {graph.stay_label}", "new countries", f"{people} in new countries",
                "remaining contiguous"):  # fmt: skip
        if col == "scenario":
            table.add_column(col, no_wrap=True)
        else:
            table.add_column(col, justify="right")
    for r in comp.results:
        row = r.row
        table.add_row(
            r.spec.name,
            f"{row['satisfied_share']:.1%}",
            f"{row['stranded_leave_voters']:,.0f}",
            f"{row['stranded_stay_voters']:,.0f}",
            str(row["new_countries"]),
            f"{row['new_population']:,.0f}",
            "yes" if row["remaining_contiguous"] else "no",
        )
    console.print(table)
    leave, stay = graph.leave_label, graph.stay_label
    console.print(
        f"satisfied: share of {leave} and {stay} voters who end up in the country their side "
        f"chose.\nstranded {leave}: {leave} voters left in the remaining country; stranded "
        f"{stay}: {stay} voters taken into a new country.",
        highlight=False,
    )
    typer.echo(
        "Open the report in a browser: the table, maps, sensitivity chart and probability\n"
        "map, with links to each scenario's own report and interactive map."
    )
    typer.echo(f"Report: {comp.report.resolve()}")
    typer.echo(f"This run took {time.perf_counter() - started:.0f} s (measured).")


def _intro(
    console: Console,
    graph: UnitGraph,
    kinds: list[str],
    swings: tuple[float, ...] | list[float],
    draws: int,
    mc_scenario: str | None,
    scheduler: str | None,
    workers: int | None,
    out_dir: Path,
    min_population: float,
) -> None:
    """Tell a first-time user what is about to run, on what, where, and for how long."""
    import os

    from secession.maps.figures import population_is_votes

    county = str(graph.meta.get("layout", "")).startswith("us-county")
    year = graph.meta.get("year")
    leave, stay = graph.leave_label, graph.stay_label
    size = "votes" if population_is_votes(graph) else "people"
    about = {
        "states": "whole states whose majority voted " + leave,
        "counties": "counties, one new country",
        "counties-multi": f"counties, new countries of ≥ {min_population:,.0f} {size} each",
    }
    lines = [
        f"[bold]Scenario comparison[/]: what if the places where {leave} voters won left to",
        f"form new countries? ({leave} voters' side leaves, {stay} voters' side stays)",
        f"  data         {graph.n_units:,} {'counties' if county else 'units'}"
        + (f", {year} presidential results" if county and year else ""),
    ]
    for k, name in enumerate(kinds):
        head = "  scenarios    " if k == 0 else " " * 15
        lines.append(f"{head}{name:<15} {about.get(name, TITLES[name].lower())}")
    replans = sum(1 for s in swings if s != 0)
    sens = []
    if swings:
        sens.append(
            f"each scenario again under {replans} uniform swings of "
            f"{min(swings):+g}..{max(swings):+g} points,"
        )
    if draws:
        sens.append(f"{draws} Monte Carlo draws of {mc_scenario},")
    if sens:
        where = (
            f"the Dask scheduler at {scheduler}"
            if scheduler
            else f"{workers or os.cpu_count() or 1} local Dask worker processes"
        )
        sens.append(f"re-planned on {where}")
        for k, text in enumerate(sens):
            lines.append(("  sensitivity  " if k == 0 else " " * 15) + text)
    lines.append(f"  output       {out_dir}/")
    for line in lines:
        console.print(line, highlight=False)


def register(app: typer.Typer) -> None:
    """Mount ``secession scenario`` on the root app."""
    app.command("scenario")(with_data_options(scenario_command))
