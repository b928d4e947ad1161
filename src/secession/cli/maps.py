"""``secession map DIR``: redraw the maps and report of a plan folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from secession.cli.options import LangOption


def map_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A plan folder written by `secession plan --out DIR` (assignment.csv, "
            "summary.json, plan.geojson; units.json, written with the maps, gives back the "
            "state outlines, other votes and title).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the maps and report here (default: the plan folder)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the maps.")] = None,
    lang: LangOption = "en",
) -> None:
    """Redraw the maps and the HTML report of an existing plan folder.

    Writes map.png, map.svg, map.html and report.html: the same maps as the first time
    when the folder's units.json is there."""
    from secession.i18n import check_language
    from secession.maps import render_plan_outputs
    from secession.maps.redraw import read_plan_dir

    check_language(lang)

    plan = read_plan_dir(folder)
    written = render_plan_outputs(
        plan,
        out or folder,
        title=title or plan.stats.get("map_title"),
        subtitle=plan.stats.get("map_subtitle"),
        lang=lang,
    )
    for path in written:
        typer.echo(str(path))
    if plan.graph.geometry is None:
        typer.echo("no shapes in plan.geojson: wrote the report only", err=True)


def register(app: typer.Typer) -> None:
    """Mount ``secession map`` on the root app."""
    app.command("map")(map_command)
