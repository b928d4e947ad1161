"""``secession world-map``: draw declared and recognised peoples on the map of the world.

The map is drawn from one world-map document (:mod:`secession.maps.world.doc`): read from
``--peoples FILE``, made from a plan folder (``--plan DIR``: its new countries as declared
peoples cut out of the country the plan divides), or, with neither, written by the registry
of the platform from its database (``--database-url``, ``--as PEOPLE`` for the map as one
people sees it; needs the ``web`` extra).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from secession.cli.options import LangOption
from secession.exceptions import DataError

MAX_NOTES = 8
STEM = "world-map"


class Base(StrEnum):
    small = "110m"
    medium = "50m"


class Extent(StrEnum):
    world = "world"
    peoples = "peoples"


def _registry(database_url: str | None, as_people: str | None, base: Base | None):
    try:
        import django  # noqa: F401
    except ImportError:
        raise DataError(
            "reading the registry needs the platform (pip install -e '.[web]'); or give "
            "--plan DIR or --peoples FILE"
        ) from None
    from secession.cli.web import registry_document
    from secession.maps.world.doc import parse_world_doc
    from secession.maps.world.render import place_peoples

    raw = registry_document(database_url, as_people, (base or Base.small).value)
    doc = parse_world_doc(raw, "the registry")
    return doc, place_peoples(doc)


def _document(
    plan: Path | None,
    peoples: Path | None,
    base: Base | None,
    left: str | None,
    data_dir: Path | None,
    database_url: str | None = None,
    as_people: str | None = None,
):
    """The world-map document and its placed peoples from the one source given."""
    from dataclasses import replace

    from secession.maps.world.doc import read_world_doc
    from secession.maps.world.plan import plan_world_doc
    from secession.maps.world.render import place_peoples

    if plan is not None and peoples is not None:
        raise DataError("give one of --plan DIR or --peoples FILE (or neither: the registry)")
    if plan is None and peoples is None:
        if left is not None:
            raise DataError("--left applies to --plan only")
        return _registry(database_url, as_people, base)
    if database_url is not None or as_people is not None:
        raise DataError("--database-url and --as read the registry: not with --plan or --peoples")
    if plan is not None:
        return plan_world_doc(plan, base=(base or Base.small).value, left=left)
    assert peoples is not None
    if left is not None:
        raise DataError("--left applies to --plan only (a document names each people's 'left')")
    doc = read_world_doc(peoples)
    if base is not None:
        doc = replace(doc, base=base.value)
    return doc, place_peoples(doc, peoples.parent, data_dir)


def world_map_command(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for world-map.png, .svg, .html and .json.")
    ] = Path("world-map"),
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="A plan folder (secession plan --out DIR): draw its new countries as "
            "declared peoples cut out of the country it divides.",
            show_default=False,
        ),
    ] = None,
    peoples: Annotated[
        Path | None,
        typer.Option(
            "--peoples",
            help="A world-map document (JSON: peoples, recognition rule, point of view; "
            "see docs/world-map.md).",
            show_default=False,
        ),
    ] = None,
    base: Annotated[
        Base | None,
        typer.Option("--base", help="Natural Earth scale of the countries [default: 110m]."),
    ] = None,
    extent: Annotated[
        Extent | None,
        typer.Option(
            "--extent",
            help="Draw the whole world, or zoom to the peoples [default: world, for a plan "
            "peoples].",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the map.")] = None,
    left: Annotated[
        str | None,
        typer.Option(
            "--left",
            help="With --plan: the country the plan divides (Natural Earth name or ISO "
            "numeric id) [default: the one holding most of its units].",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="With neither --plan nor --peoples: the platform's database to read the "
            "registry from [default: $SECESSION_DATABASE_URL, else SQLite in the data folder].",
            show_default=False,
        ),
    ] = None,
    as_people: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="The registry's map as this registered people (its slug) sees it: "
            "recognised are the peoples it recognises.",
            show_default=False,
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Data folder for units of 'us-counties-2020' [default: $SECESSION_DATA].",
            show_default=False,
        ),
    ] = None,
    sliver_km: Annotated[
        float | None,
        typer.Option(
            "--sliver-km",
            help="Strips narrower than this between a people and the coast or a border "
            "join the people [default: 25 at 110m, 10 at 50m; 0 turns it off].",
            min=0.0,
        ),
    ] = None,
    lang: LangOption = "en",
) -> None:
    """Draw declared and recognised peoples on the world map, each cut out of its country.

    Writes PNG, SVG and one offline interactive HTML. With neither --plan nor --peoples,
    it draws the platform's registry."""
    from dataclasses import replace

    from secession.i18n import check_language
    from secession.maps.world.render import render_world_map

    check_language(lang)
    console = Console(stderr=True)
    doc, placed = _document(plan, peoples, base, left, data_dir, database_url, as_people)
    changes = {}
    if title:
        changes["title"] = title
    if extent is not None:
        changes["extent"] = extent.value
    if changes:
        doc = replace(doc, **changes)
    with console.status("cutting the peoples out of the world's countries"):
        written, wm = render_world_map(doc, out, placed=placed, sliver_km=sliver_km, lang=lang)
    notes = wm.layout.notes
    for note in notes[:MAX_NOTES]:
        console.print(f"[dim]note:[/] {note}", highlight=False, soft_wrap=True)
    if len(notes) > MAX_NOTES:
        console.print(
            f"[dim]note:[/] {len(notes) - MAX_NOTES} more notes in {STEM}-checks.json",
            highlight=False,
        )
    counts = wm.counts
    console.print(
        f"{counts.get('recognised', 0)} recognised, {counts.get('declared', 0)} declared"
        + (f", {counts['contested']} contested" if counts.get("contested") else "")
        + f"; every country's area kept (largest relative difference "
        f"{max((c.relative_error for c in wm.layout.checks), default=0.0):.1e})",
        highlight=False,
    )
    for path in written:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Mount ``secession world-map`` on the root app."""
    app.command("world-map")(world_map_command)
