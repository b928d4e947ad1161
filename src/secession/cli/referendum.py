"""`secession referendum`: decide a vote under a rule, from recorded results or raw ballots.

Examples::

    secession referendum --rule two-thirds --results results.csv
    secession referendum --rule rule.toml --ballots ballots.parquet --eligible eligible.csv
    secession referendum --rule opt-in --results or.csv --state OR --min-population 200000 \\
        --out out/

The unit graph (bundled US counties, ``--units``, ``--graph`` or ``--boundaries``) is
joined when the rule is opt-in or any data option is given; the data option ``--results``
of other commands is replaced here by the referendum's own ``--results``. User guide:
``docs/referendum.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from secession.cli.flags import to_flags
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
DATA = "Data"  # the panel of the shared data options

HELP = """Decide a referendum under an explicit rule and say why it passed or failed.

Give the rule (--rule) and the votes: recorded results per unit (--results) or raw ballots,
one row per ballot (--ballots). The outcome names every condition, whether it was met and by
how many votes, with per-unit results; --out writes outcome.json and units.csv.

With an opt-in rule each unit follows its own vote; the units that chose to leave are then
handed to the plan solver, which repairs the border (contiguity, --min-population,
--max-countries) moving the fewest voters against their unit's choice, and --out also writes
moves.csv and the plan files, maps and report.

Examples:
  secession referendum --rule two-thirds --results results.csv
  secession referendum --rule rule.toml --ballots ballots.parquet --eligible eligible.csv
  secession referendum --rule opt-in --results or.csv --unit-col fips --state OR \\
      --min-population 300000 --out out/

Rules: simple-majority (more than 1/2), supermajority-55 (at least 55%), two-thirds (at
least 2/3), double-majority, double-majority-population, opt-in, or a TOML/JSON rule file
(see docs/referendum.md).
"""


def referendum(
    rule: Annotated[
        str,
        typer.Option(
            "--rule",
            help="A preset (simple-majority, supermajority-55, two-thirds, double-majority, "
            "double-majority-population, opt-in) or a rule file (.toml or .json).",
        ),
    ],
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help="Recorded results, one row per unit (CSV). Default columns: unit, yes, no "
            "and, if present, blank, abstain, eligible; other names via --unit-col, --yes-col...",
            rich_help_panel=IN,
        ),
    ] = None,
    ballots: Annotated[
        Path | None,
        typer.Option(
            "--ballots",
            help="Raw ballots, one row per ballot with columns unit and choice: CSV, or "
            "Parquet (.parquet file or folder); streamed, so any size fits in memory.",
            rich_help_panel=IN,
        ),
    ] = None,
    eligible: Annotated[
        Path | None,
        typer.Option(
            "--eligible",
            help="With --ballots: CSV of eligible voters per unit (columns unit, eligible); "
            "needed for a quorum. Units listed with no ballot count as zero turnout.",
            rich_help_panel=IN,
        ),
    ] = None,
    unit_col: Annotated[
        str | None,
        typer.Option(
            "--unit-col",
            help="Unit id column of --results, --ballots and --eligible (default: unit).",
            rich_help_panel=IN,
        ),
    ] = None,
    yes_col: Annotated[
        str | None,
        typer.Option("--yes-col", help="Yes votes column (default: yes).", rich_help_panel=IN),
    ] = None,
    no_col: Annotated[
        str | None,
        typer.Option("--no-col", help="No votes column (default: no).", rich_help_panel=IN),
    ] = None,
    blank_col: Annotated[
        str | None,
        typer.Option(
            "--blank-col",
            help="Blank or spoiled ballots column (default: blank, if present).",
            rich_help_panel=IN,
        ),
    ] = None,
    abstain_col: Annotated[
        str | None,
        typer.Option(
            "--abstain-col",
            help="Explicit abstentions column (default: abstain, if present).",
            rich_help_panel=IN,
        ),
    ] = None,
    eligible_col: Annotated[
        str | None,
        typer.Option(
            "--eligible-col",
            help="Eligible (registered) voters column (default: eligible, if present).",
            rich_help_panel=IN,
        ),
    ] = None,
    choice_col: Annotated[
        str, typer.Option("--choice-col", help="Choice column of --ballots.", rich_help_panel=IN)
    ] = "choice",
    choices: Annotated[
        str,
        typer.Option(
            "--choices",
            help="Answers allowed on a ballot (any other is an error naming the row), as "
            "'yes,no,blank' or label=category ('oui=yes,non=no,blanc=blank'); categories: "
            "yes, no, blank, abstain. Case is ignored.",
            rich_help_panel=IN,
        ),
    ] = "yes,no,blank",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for outcome.json and units.csv; with opt-in also moves.csv and the "
            "plan files, maps and report.",
        ),
    ] = None,
    min_population: Annotated[
        float,
        typer.Option(
            "--min-population",
            min=0,
            help="Minimum population of each new country (the graph's population column).",
            rich_help_panel=REPAIR,
        ),
    ] = 0.0,
    max_countries: Annotated[
        int,
        typer.Option(
            "--max-countries",
            min=0,
            help="Most new countries the leaving units may form (0 = any number).",
            rich_help_panel=REPAIR,
        ),
    ] = 1,
    consent: Annotated[
        bool,
        typer.Option(
            "--consent/--no-consent",
            help="Consent (the default): a unit that voted to stay is never moved into a new "
            "country; only units that voted to leave may be moved back. --no-consent also "
            "lets the repair move staying units out (e.g. to absorb an enclave).",
            rich_help_panel=REPAIR,
        ),
    ] = True,
    solver: Annotated[
        str,
        typer.Option(
            "--solver",
            help="auto, exact (proves the fewest voters moved) or fast (large graphs).",
            rich_help_panel=REPAIR,
        ),
    ] = "auto",
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0, help="Seconds for the solver.", rich_help_panel=REPAIR),
    ] = 60.0,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            min=0,
            help="Seed of the fast solver (same seed, same plan).",
            rich_help_panel=REPAIR,
        ),
    ] = 0,
    maps: Annotated[
        bool,
        typer.Option(
            "--maps/--no-maps",
            help="With opt-in and --out: draw map.png, map.svg, map.html and report.html.",
        ),
    ] = True,
    join: Annotated[
        bool | None,
        typer.Option(
            "--join/--no-join",
            help="Check the units against the unit graph (bundled US counties unless "
            "--units/--graph/--boundaries) and use its population. Default: on for opt-in "
            "or when a unit-graph option is given, else off (units as listed in the input).",
            rich_help_panel=DATA,
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
    # The help text shown by --help is HELP (set on registration).
    from secession.plan.model import PlanConstraints
    from secession.referendum.ballots import tally_ballots
    from secession.referendum.optin import CONSENT, repair_opt_in
    from secession.referendum.report import print_outcome, write_outcome
    from secession.referendum.results import (
        ResultColumns,
        join_to_graph,
        read_eligible,
        read_results,
    )
    from secession.referendum.rules import Rule
    from secession.referendum.tally import decide

    console = Console()
    the_rule = Rule.load(rule)
    if (results is None) == (ballots is None):
        raise DataError("give exactly one of --results (per-unit CSV) or --ballots (one per row)")
    if eligible is not None and results is not None:
        raise DataError(
            "--eligible goes with --ballots; with --results give an eligible column in the "
            "results file (--eligible-col)"
        )
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
        elig = None if eligible is None else read_eligible(eligible, unit_col, eligible_col)
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
            consent=CONSENT if consent else None,
        )
        optin = repair_opt_in(
            unit_graph,
            outcome,
            cons,
            solver=solver,
            time_limit=time_limit,
            seed=seed,
            progress=console.is_terminal,
            source=source,
        )
    notes = [to_flags(note) for note in notes]  # the library names parameters
    print_outcome(console, outcome, optin, notes=notes)
    if out is not None:
        sources = {"rule": rule, "input": source}
        paths = write_outcome(outcome, out, optin, notes=notes, sources=sources, maps=maps)
        console.print(f"wrote {', '.join(p.name for p in paths)} to {out}", highlight=False)


def register(app: typer.Typer) -> None:
    """Mount this module's commands on the root app."""
    app.command("referendum", help=HELP)(referendum)
