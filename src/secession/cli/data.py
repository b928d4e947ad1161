"""``secession data inspect`` and ``secession data download``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from secession.cli.flags import to_flags
from secession.cli.options import DataOptions, with_data_options

data_app = typer.Typer(help="Load, check and fetch electoral geography.", no_args_is_help=True)
MAX_COMPONENT_ROWS = 30


INSPECT_HELP = (
    "Load units and print units, edges, components, islands, vote totals and every "
    "mismatch.\n\n"
    "With no source given, reads the 2020 US county results and boundaries from the data "
    "folder (--data-dir, else $SECESSION_DATA, else the download cache).\n\n"
    "Examples: secession data inspect --state OR --state WA | "
    "secession data inspect --units NH.zip --leave-col PRES16D --stay-col PRES16R | "
    "secession data inspect --graph pa.json --leave-col VoteA --stay-col VoteB | "
    "secession data inspect --aggregate state --save-graph states.npz\n\n"
    "Formats and options: docs/data.md."
)
DOWNLOAD_HELP = (
    "Fetch the public US county results (2016, 2020) and their boundaries into the "
    "download cache.\n\n"
    "Files go to ~/.cache/secession/data ($SECESSION_CACHE/data, or --dest), which "
    "commands read when neither --data-dir nor SECESSION_DATA is set. Needs a network; "
    "files already present are kept unless --force. The NH, IA and graph examples of the "
    "shared data folder are not part of the download."
)


@data_app.command("inspect", help=INSPECT_HELP)
@with_data_options
def inspect_command(
    data: DataOptions,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")
    ] = False,
    save_graph: Annotated[
        Path | None,
        typer.Option(
            "--save-graph",
            help="Also write the unit graph and this report to a cache file (.npz); "
            "read it back with --graph FILE.npz.",
        ),
    ] = None,
) -> None:
    """Load units and print units, edges, components, islands, vote totals and mismatches."""
    from secession.geo.load import save_cache

    loaded = data.load()
    graph, report = loaded.graph, loaded.report
    if save_graph is not None:
        save_cache(loaded, save_graph)
    facts = describe(graph, report)
    if save_graph is not None:
        facts["saved_graph"] = str(save_graph)
    if as_json:
        typer.echo(json.dumps(facts, indent=2, default=str))
        return
    print_tables(facts, Console(soft_wrap=False, width=max(Console().width, 100)))


@data_app.command("download", help=DOWNLOAD_HELP)
def download_command(
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Base address of the origin files (default: $SECESSION_DOWNLOAD_BASE, else "
            "the public results repository).",
        ),
    ] = None,
    years: Annotated[
        list[str] | None,
        typer.Option("--years", help="Years of results to fetch (repeat, or 2016,2020)."),
    ] = None,
    dest: Annotated[
        Path | None,
        typer.Option("--dest", help="Folder to fill (default: the download cache)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch files already present.")] = False,
) -> None:
    """Fetch the public US county results and boundaries into the download cache."""
    from secession.exceptions import DataError
    from secession.geo.download import DEFAULT_YEARS, download

    chosen: list[int] = []
    for item in years or []:
        for part in item.replace(" ", ",").split(","):
            if part:
                if not part.isdigit() or len(part) != 4:
                    raise DataError(f"--years: {part!r} is not a year")
                chosen.append(int(part))
    paths = download(base=base_url, years=chosen or DEFAULT_YEARS, dest=dest, force=force)
    for path in paths:
        typer.echo(str(path))
    root = paths[0].parents[1] if paths else dest
    typer.echo(f"data folder ready: {root} (used when SECESSION_DATA is not set)")


def register(app: typer.Typer) -> None:
    """Mount ``secession data ...`` on the root app."""
    app.add_typer(data_app, name="data")


# --------------------------------------------------------------------------- output
def describe(graph: Any, report: Any) -> dict[str, Any]:
    """Everything ``data inspect`` prints, as plain data."""
    import numpy as np

    summary = graph.summary()
    comp = graph.component
    components = []
    state = graph.groups.get("state")
    for label, size in enumerate(summary["component_sizes"]):
        members = np.flatnonzero(comp == label)
        entry: dict[str, Any] = {"size": int(size), "example": str(graph.names[members[0]])}
        if state is not None:
            entry["states"] = sorted({str(s) for s in state[members]})
        components.append(entry)
    islands = [
        {"id": str(graph.ids[i]), "name": str(graph.names[i])} for i in graph.islands.tolist()
    ]
    return {
        "units": summary["units"],
        "edges": summary["edges"],
        "components": summary["components"],
        "component_sizes": summary["component_sizes"],
        "component_details": components,
        "islands": islands,
        "votes": summary["votes"],
        "population": summary["population"],
        "upper_bound": summary["upper_bound"],
        "leave_label": graph.leave_label,
        "stay_label": graph.stay_label,
        "water_links": graph.meta.get("water_links", []),
        "water_links_km": graph.meta.get("water_links_km"),
        "source": {k: v for k, v in graph.meta.items() if k not in ("notes", "water_links")},
        "notes": [to_flags(note) for note in graph.meta.get("notes", [])],
        "mismatches": report.to_dict(),
    }


def print_tables(facts: dict[str, Any], console: Console) -> None:
    src = facts["source"]
    title = ", ".join(
        Path(str(src[k])).name
        for k in ("results", "boundaries", "units", "graph", "cache")
        if src.get(k)
    )
    head = Table(title=f"Units: {title}", show_header=False)
    head.add_column("what")
    head.add_column("value", justify="right")
    head.add_row("units", f"{facts['units']:,}")
    head.add_row("edges", f"{facts['edges']:,} ({src.get('adjacency', 'given')})")
    sizes = facts["component_sizes"]
    head.add_row("components", f"{facts['components']:,} (sizes {_sizes(sizes)})")
    head.add_row("islands (no neighbour)", f"{len(facts['islands']):,}")
    head.add_row("population", f"{facts['population']:,.0f}")
    console.print(head)

    votes = Table(title="Vote totals")
    votes.add_column("side")
    votes.add_column("votes", justify="right")
    votes.add_column("share", justify="right")
    total = facts["votes"]["total"] or 1.0
    for side, value in facts["votes"].items():
        votes.add_row(side, f"{value:,.0f}", f"{100 * value / total:.2f}%")
    votes.add_row("upper bound (satisfied)", f"{facts['upper_bound']:,.0f}", "")
    console.print(votes)

    if facts["components"] > 1:
        comps = Table(title="Connected components")
        comps.add_column("#", justify="right")
        comps.add_column("units", justify="right")
        comps.add_column("states")
        comps.add_column("example unit")
        for i, c in enumerate(facts["component_details"][:MAX_COMPONENT_ROWS]):
            comps.add_row(str(i), f"{c['size']:,}", " ".join(c.get("states", [])), c["example"])
        rest = len(facts["component_details"]) - MAX_COMPONENT_ROWS
        if rest > 0:
            comps.add_row("", "", "", f"... and {rest} more components (see --json)")
        console.print(comps)

    if facts["islands"]:
        isl = Table(title="Islands (units with no neighbour)")
        isl.add_column("id")
        isl.add_column("name")
        for item in facts["islands"]:
            isl.add_row(item["id"], item["name"])
        console.print(isl)

    links = facts.get("water_links") or []
    if links:
        wl = Table(title=f"Water links (--water-links {facts['water_links_km']:g} km, geodesic)")
        for col in ("unit", "name", "unit ", "name ", "km"):
            wl.add_column(col, justify="right" if col == "km" else "left")
        for w in links:
            wl.add_row(w["a"], w["name_a"], w["b"], w["name_b"], f"{w['km']:.1f}")
        console.print(wl)
    elif facts.get("water_links_km") == 0:
        console.print("water links: none (--water-links 0)", highlight=False)

    for note in facts["notes"]:
        console.print(f"note: {note}", highlight=False)

    issues = facts["mismatches"]["issues"]
    if not issues:
        console.print("mismatches: none", highlight=False)
        return
    mm = Table(title=f"Mismatches and decisions (--on-mismatch {facts['mismatches']['policy']})")
    mm.add_column("kind", no_wrap=True)
    mm.add_column("id")
    mm.add_column("name")
    mm.add_column("detail")
    mm.add_column("action")
    for item in issues:
        mm.add_row(
            item["kind"], item["unit_id"], item["name"], item["detail"], item["action"] or "-"
        )
    console.print(mm)
    counts = ", ".join(f"{k}: {v}" for k, v in facts["mismatches"]["counts"].items())
    console.print(f"mismatches: {counts}", highlight=False)


def _sizes(sizes: list[int]) -> str:
    shown = ", ".join(f"{s:,}" for s in sizes[:8])
    return shown + (f", ... ({len(sizes) - 8} more)" if len(sizes) > 8 else "")
