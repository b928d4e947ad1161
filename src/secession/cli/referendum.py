"""`secession referendum`: decide a vote under a rule, from recorded results or raw ballots.

Examples::

    secession referendum --rule two-thirds --results results.csv
    secession referendum --rule rule.toml --ballots ballots.parquet --eligible eligible.csv
    secession referendum --rule opt-in --results or.csv --state OR --min-population 200000 \\
        --out out/

The unit graph (bundled US counties, ``--units``, ``--graph`` or ``--boundaries``) is
joined when the rule is opt-in or any data option is given; the data option ``--results``
of other commands is replaced here by the referendum's own ``--results``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from secession.cli.options import Adjacency as AdjacencyKind
from secession.cli.options import (
    AdjacencyOption,
    BoundariesOption,
    DataDirOption,
    DataOptions,
    GraphOption,
    IdColOption,
    LinkIslandsOption,
    NameColOption,
    OnMismatchOption,
    PopulationColOption,
    StateOption,
    UnitsOption,
    YearOption,
)
from secession.cli.options import OnMismatch as OnMismatchKind
from secession.exceptions import DataError

IN = "Referendum input"
REPAIR = "Opt-in border repair"


def _eligible_map(path: Path, unit_col: str | None, eligible_col: str | None) -> dict[str, int]:
    import pandas as pd

    from secession.referendum.results import ResultColumns, parse_counts

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{path}: eligible-voters file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: cannot read eligible-voters CSV ({exc})") from None
    header = [str(c) for c in frame.columns]
    cols = ResultColumns(unit=unit_col, eligible=eligible_col)
    ucol = cols.unit or "unit"
    ecol = cols.eligible or "eligible"
    for c, opt in ((ucol, "--unit-col"), (ecol, "--eligible-col")):
        if c not in header:
            raise DataError(f"{path}: no column {c!r} (columns: {', '.join(header)}; see {opt})")
    values = parse_counts(path, ecol, frame[ecol])
    units = frame[ucol].str.strip().tolist()
    return dict(zip(units, values.tolist(), strict=True))


def referendum(
    rule: Annotated[
        str,
        typer.Option(
            "--rule",
            help="Preset (simple-majority, supermajority-55, two-thirds, double-majority, "
            "double-majority-population, opt-in) or a .toml/.json rule file.",
        ),
    ],
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help="Recorded results per unit (CSV: unit, yes, no, blank, eligible).",
            rich_help_panel=IN,
        ),
    ] = None,
    ballots: Annotated[
        Path | None,
        typer.Option(
            "--ballots",
            help="Raw ballots, one row per ballot (unit, choice): CSV or Parquet (streamed).",
            rich_help_panel=IN,
        ),
    ] = None,
    eligible: Annotated[
        Path | None,
        typer.Option(
            "--eligible",
            help="With --ballots: CSV of eligible voters per unit (unit, eligible).",
            rich_help_panel=IN,
        ),
    ] = None,
    unit_col: Annotated[
        str | None, typer.Option("--unit-col", help="Unit id column.", rich_help_panel=IN)
    ] = None,
    yes_col: Annotated[
        str | None, typer.Option("--yes-col", help="Yes column.", rich_help_panel=IN)
    ] = None,
    no_col: Annotated[
        str | None, typer.Option("--no-col", help="No column.", rich_help_panel=IN)
    ] = None,
    blank_col: Annotated[
        str | None,
        typer.Option("--blank-col", help="Blank ballots column.", rich_help_panel=IN),
    ] = None,
    abstain_col: Annotated[
        str | None,
        typer.Option("--abstain-col", help="Abstentions column.", rich_help_panel=IN),
    ] = None,
    eligible_col: Annotated[
        str | None,
        typer.Option("--eligible-col", help="Eligible voters column.", rich_help_panel=IN),
    ] = None,
    choice_col: Annotated[
        str, typer.Option("--choice-col", help="Ballot choice column.", rich_help_panel=IN)
    ] = "choice",
    choices: Annotated[
        str,
        typer.Option(
            "--choices",
            help="Answers on the ballot: 'yes,no,blank' or label=category "
            "('oui=yes,non=no,blanc=blank'); categories: yes, no, blank, abstain.",
            rich_help_panel=IN,
        ),
    ] = "yes,no,blank",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write outcome.json and units.csv (and plan files) here."),
    ] = None,
    min_population: Annotated[
        float,
        typer.Option(
            "--min-population",
            help="Minimum population of the new country.",
            rich_help_panel=REPAIR,
        ),
    ] = 0.0,
    max_countries: Annotated[
        int,
        typer.Option(
            "--max-countries", help="New countries allowed (0 = any).", rich_help_panel=REPAIR
        ),
    ] = 1,
    consent: Annotated[
        bool,
        typer.Option(
            "--consent/--no-consent",
            help="Never move a unit that chose stay into the new country.",
            rich_help_panel=REPAIR,
        ),
    ] = False,
    solver: Annotated[
        str, typer.Option("--solver", help="auto, exact or fast.", rich_help_panel=REPAIR)
    ] = "auto",
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds for the solver.", rich_help_panel=REPAIR)
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", rich_help_panel=REPAIR)] = 0,
    maps: Annotated[
        bool,
        typer.Option(
            "--maps/--no-maps", help="With opt-in and --out: render the plan maps and report."
        ),
    ] = True,
    join: Annotated[
        bool | None,
        typer.Option(
            "--join/--no-join",
            help="Join to the unit graph (default: when opt-in or a data option is given).",
        ),
    ] = None,
    boundaries: BoundariesOption = None,
    units: UnitsOption = None,
    graph: GraphOption = None,
    id_col: IdColOption = None,
    population_col: PopulationColOption = None,
    name_col: NameColOption = None,
    state: StateOption = None,
    year: YearOption = 2020,
    adjacency: AdjacencyOption = AdjacencyKind.rook,
    link_islands: LinkIslandsOption = False,
    on_mismatch: OnMismatchOption = OnMismatchKind.error,
    data_dir: DataDirOption = None,
) -> None:
    """Decide a referendum under an explicit rule and say why; with opt-in, repair the border."""
    from secession.plan.model import PlanConstraints
    from secession.referendum.ballots import tally_ballots
    from secession.referendum.optin import repair_opt_in
    from secession.referendum.report import print_outcome, write_outcome
    from secession.referendum.results import ResultColumns, join_to_graph, read_results
    from secession.referendum.rules import Rule
    from secession.referendum.tally import decide

    console = Console()
    the_rule = Rule.load(rule)
    if (results is None) == (ballots is None):
        raise DataError("give exactly one of --results (per-unit CSV) or --ballots (one per row)")
    data = DataOptions(
        boundaries=boundaries,
        units=units,
        graph=graph,
        id_col=id_col,
        population_col=population_col,
        name_col=name_col,
        states=tuple(state or ()),
        year=year,
        adjacency=adjacency,
        link_islands=link_islands,
        on_mismatch=on_mismatch,
        data_dir=data_dir,
    )
    given = any(v for v in (boundaries, units, graph, state))
    if join is None:
        join = the_rule.unit_opt_in or given
    if the_rule.unit_opt_in and not join:
        raise DataError("an opt-in rule needs the unit graph to repair the border (drop --no-join)")
    unit_graph = None
    notes: list[str] = []
    if join:
        loaded = data.load()
        unit_graph = loaded.graph
    columns = ResultColumns(
        unit=unit_col,
        yes=yes_col,
        no=no_col,
        blank=blank_col,
        abstain=abstain_col,
        eligible=eligible_col,
    )
    if results is not None:
        counts = read_results(results, columns)
        source = str(results)
    else:
        elig = None if eligible is None else _eligible_map(eligible, unit_col, eligible_col)
        counts = tally_ballots(
            ballots,
            unit_col=unit_col or "unit",
            choice_col=choice_col,
            choices=choices,
            units=None if unit_graph is None else unit_graph.ids.tolist(),
            eligible=elig,
            progress=console.is_terminal,
        )
        source = str(ballots)
        if unit_graph is not None:
            empty = int((counts.cast == 0).sum())
            if empty:
                notes.append(f"{empty} unit(s) of the graph had no ballots (counted as zero)")
    if unit_graph is not None:
        counts, unit_graph, join_notes = join_to_graph(
            counts, unit_graph, source=source, on_mismatch=data.on_mismatch
        )
        notes.extend(join_notes)
    else:
        notes.append("not joined to a unit graph: units are as listed in the input")
    outcome = decide(the_rule, counts)
    optin = None
    if the_rule.unit_opt_in:
        cons = PlanConstraints(
            min_population=min_population,
            max_countries=None if max_countries == 0 else max_countries,
            consent=0.5 if consent else None,
        )
        optin = repair_opt_in(
            unit_graph,
            outcome,
            cons,
            solver=solver,
            time_limit=time_limit,
            seed=seed,
            progress=console.is_terminal,
        )
    print_outcome(console, outcome, optin, notes=notes)
    if out is not None:
        sources = {"rule": rule, "input": source}
        paths = write_outcome(outcome, out, optin, notes=notes, sources=sources, maps=maps)
        console.print(f"wrote {', '.join(p.name for p in paths)} to {out}", highlight=False)


def register(app: typer.Typer) -> None:
    """Mount this module's commands on the root app."""
    app.command("referendum")(referendum)
