"""`secession publish TARGET --out DIR [--lang es]`: a static snapshot anyone can post on any host.

``TARGET`` is a community's slug, or the name of a site-wide publisher (``site``: every
community; ``registry``: the registry of free peoples): see
``secession.web.apps.snapshots.publishers``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from secession.cli.web import DatabaseUrl, _database_errors, setup_django
from secession.exceptions import SecessionError


def publish(
    target: Annotated[
        str,
        typer.Argument(
            help="A community's slug, 'site' (every community) or 'registry' (the registry of "
            "free peoples)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The folder to write (empty or new).")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an earlier snapshot in --out.")
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Language of the pages, a code of the platform's LANGUAGES (e.g. es); the data "
            "and audit files are the same in every language.",
        ),
    ] = "en",
    database_url: DatabaseUrl = None,
) -> None:
    """Write a self-contained static site that opens from disk or can be posted anywhere.

    Pages (in --lang), data files, maps, audit entries and their proofs against the signed
    head. Open its index.html from disk, or post the folder."""
    setup_django(database_url)
    from secession.web.apps.opendata.registry import UnknownExport, subject
    from secession.web.apps.snapshots.build import check_language
    from secession.web.apps.snapshots.build import publish as write
    from secession.web.apps.snapshots.publishers import named_targets, publisher

    check_language(lang)  # before any work
    with _database_errors():
        named = named_targets()
        pub = named.get(target) or publisher("community")
        key = "all" if target in named else target
        if pub is None:  # pragma: no cover - the snapshots app registers both
            raise SecessionError("no publisher for communities is installed")
        try:
            found = subject(pub.scope, key)
        except UnknownExport:
            known = ", ".join(sorted(named))
            raise SecessionError(
                f"no community with the slug {target!r} (site-wide targets: {known})"
            ) from None
        snap = write(pub, found, out, force=force, lang=lang)
    typer.echo(
        f"wrote {len(snap.files)} files to {out} (audit head: {snap.head['tree_size']} "
        f"entries); check it with: secession audit verify --snapshot {out}"
    )


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
