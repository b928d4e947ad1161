"""``secession plan``: choose the border, write the output contract, print a summary."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from secession.cli.options import DataOptions, LangOption, with_data_options

PANEL = "Constraints"
SOLVE_PANEL = "Solver"


class Exclaves(StrEnum):
    nearest = "nearest"
    none = "none"
    any = "any"


class Solver(StrEnum):
    auto = "auto"
    exact = "exact"
    fast = "fast"


def plan_command(
    data: DataOptions,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for assignment.csv, summary.json, maps...")
    ] = Path("plan"),
    contiguous: Annotated[
        bool,
        typer.Option(
            "--contiguous/--no-contiguous",
            help="Each new country forms one piece per landmass (a connected piece of the "
            "unit graph, water links included); judged on the units, as on every page.",
            rich_help_panel=PANEL,
        ),
    ] = True,
    rest_contiguous: Annotated[
        bool,
        typer.Option(
            "--rest-contiguous/--no-rest-contiguous",
            help="The remaining country forms one piece per landmass (it keeps exclaves "
            "such as Alaska).",
            rich_help_panel=PANEL,
        ),
    ] = True,
    min_population: Annotated[
        float,
        typer.Option(
            "--min-population",
            help="Minimum population of a new country.",
            rich_help_panel=PANEL,
            min=0,
        ),
    ] = 0.0,
    max_countries: Annotated[
        int,
        typer.Option(
            "--max-countries", help="At most this many new countries.", rich_help_panel=PANEL, min=1
        ),
    ] = 1,
    any_number: Annotated[
        bool,
        typer.Option(
            "--any-number",
            help="Any number of new countries (overrides --max-countries).",
            rich_help_panel=PANEL,
        ),
    ] = False,
    consent: Annotated[
        float | None,
        typer.Option(
            "--consent",
            help="A unit may leave only if at least this share of its "
            "two-side voters chose leave (0..1).",
            rich_help_panel=PANEL,
            min=0.0,
            max=1.0,
        ),
    ] = None,
    lock_leave: Annotated[
        list[str] | None,
        typer.Option(
            "--lock-leave", help="Unit id that must leave (repeatable).", rich_help_panel=PANEL
        ),
    ] = None,
    lock_stay: Annotated[
        list[str] | None,
        typer.Option(
            "--lock-stay", help="Unit id that must stay (repeatable).", rich_help_panel=PANEL
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level", help="Plan on whole groups of units, e.g. state.", rich_help_panel=PANEL
        ),
    ] = None,
    solver: Annotated[
        Solver,
        typer.Option(
            "--solver",
            help="exact (proves optimality), fast (large graphs), or auto.",
            rich_help_panel=SOLVE_PANEL,
        ),
    ] = Solver.auto,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            help="Seconds before returning the best plan and bound.",
            rich_help_panel=SOLVE_PANEL,
            min=0.1,
        ),
    ] = 60.0,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed.", rich_help_panel=SOLVE_PANEL, min=0)
    ] = 0,
    maps: Annotated[
        bool, typer.Option("--maps/--no-maps", help="Also draw maps and the HTML report.")
    ] = True,
    exclaves: Annotated[
        Exclaves,
        typer.Option(
            "--exclaves",
            help="Where a new country may hold pieces on several landmasses: nearest (each "
            "piece away from its main piece is nearer to its own country than to any other "
            "new country; geodesic distances), none (one landmass each) or any. The "
            "remaining country always keeps its exclaves.",
            rich_help_panel=PANEL,
        ),
    ] = Exclaves.nearest,
    lang: LangOption = "en",
) -> None:
    """Decide which units leave so that the most voters end up in the country they chose."""
    from secession.exceptions import DataError
    from secession.i18n import check_language
    from secession.plan.model import PlanConstraints
    from secession.plan.output import summary, write_plan
    from secession.plan.solve import solve

    check_language(lang)  # before the solve, not after it
    constraints = PlanConstraints(
        contiguous_new=contiguous,
        contiguous_rest=rest_contiguous,
        min_population=min_population,
        max_countries=None if any_number else max_countries,
        consent=consent,
        lock_leave=tuple(lock_leave or ()),
        lock_stay=tuple(lock_stay or ()),
        level=level,
        exclaves=getattr(exclaves, "value", exclaves),
    )
    err = Console(stderr=True)
    loaded = data.load()
    graph = loaded.graph
    if solver.value == "exact" and (note := large_exact_note(graph, constraints)):
        err.print(note)
    with err.status(f"planning {graph.n_units:,} units ({solver.value} solver)..."):
        plan = solve(graph, constraints, solver=solver.value, time_limit=time_limit, seed=seed)
    try:
        written = write_plan(plan, out)
        if maps:
            written += draw_maps(plan, out, lang)
    except OSError as exc:
        raise DataError(f"--out {out}: cannot write the plan ({exc.strerror or exc})") from exc
    facts = summary(plan)
    print_summary(facts, Console(soft_wrap=False, width=max(Console().width, 100)))
    if facts["note"]:
        err.print(facts["note"], highlight=False)
    typer.echo(f"wrote {len(written)} files to {out}")


def draw_maps(plan, out: Path, lang: str = "en") -> list[Path]:
    """The maps and report of ``plan`` (``secession.maps``), none when it is not installed."""
    try:
        from secession.maps import render_plan_outputs
    except ImportError:
        return []
    return list(render_plan_outputs(plan, out, lang=lang))


def large_exact_note(graph, constraints, options=None) -> str | None:
    """A warning when the exact model would be very large (``--max-countries K``: one copy
    of every unit per country slot), or ``None``; the limit is
    ``SolverOptions.large_exact_variables``."""
    from secession.plan.exact import exact_size
    from secession.plan.options import DEFAULT_OPTIONS

    options = DEFAULT_OPTIONS if options is None else options

    if constraints.level is not None:
        return None
    size = exact_size(graph, constraints)
    if size <= options.large_exact_variables:
        return None
    return (
        f"note: the exact model has {size:,} unit variables (every unit once per possible "
        "new country); it may need several GB of memory and prove little within the time "
        "limit. --solver auto (the default) uses the fast solver on instances this large."
    )


def print_summary(facts: dict, console: Console) -> None:
    """The short table printed after a plan."""
    two = facts["two_side_votes"] or 1
    head = Table(title="Plan", show_header=False)
    head.add_column("what")
    head.add_column("value", justify="right")
    head.add_row("units", f"{facts['units']:,}")
    head.add_row(
        "satisfied voters", f"{facts['satisfied_voters']:,.0f} ({facts['satisfied_share']:.2%})"
    )
    head.add_row(
        "upper bound (no constraints)",
        f"{facts['upper_bound']:,.0f} ({facts['upper_bound'] / two:.2%})",
    )
    head.add_row("proven bound", f"{facts['best_bound']:,.0f}")
    head.add_row("gap to bound", f"{facts['gap']:.4%}")
    head.add_row("proven optimal", "yes" if facts["proven_optimal"] else "no")
    head.add_row("solver", f"{facts['solver']} in {facts['seconds']:.2f} s")
    console.print(head)
    table = Table(title="Countries")
    for col in (
        "country",
        "units",
        "population",
        facts["leave_label"],
        facts["stay_label"],
        "stranded",
    ):
        table.add_column(col, justify="left" if col == "country" else "right")
    for row in facts["countries"]:
        table.add_row(
            row["label"],
            f"{row['units']:,}",
            f"{row['population']:,.0f}",
            f"{row['leave_votes']:,.0f}",
            f"{row['stay_votes']:,.0f}",
            f"{row['stranded_voters']:,.0f}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Mount ``secession plan`` on the root app."""
    app.command("plan")(with_data_options(plan_command))
