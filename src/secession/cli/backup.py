"""`secession backup` and `secession restore`: the platform's database as one archive
(format in :mod:`secession.web.backup`), restored into an empty database and checked: the
restored log must extend the backup's signed head (and any ``--against`` head) and the
tables must agree with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from secession.cli.audit import Against, AuditBrokenError, Key, _kept
from secession.cli.web import DatabaseUrl, _database_errors, setup_django


def backup(
    out: Annotated[Path, typer.Argument(help="The archive to write (a new .zip file).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Write every table and the log's signed head to one archive (a consistent snapshot)."""
    setup_django(database_url)
    from secession.web.backup import make_backup

    with _database_errors():
        summary = make_backup(out)
    head = summary.head
    signed = f"; log head {head['tree_size']} entries, root {head['root_hash']}" if head else ""
    typer.echo(f"wrote {out}: {summary.tables} tables, {summary.rows} rows{signed}")
    if head is None:
        typer.echo("note: no signing key, so the backup holds no signed head", err=True)


def restore(
    archive: Annotated[Path, typer.Argument(help="A backup archive made by `secession backup`.")],
    against: Against = None,
    key: Key = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Load a backup into an empty database, then verify it (exit 6 if it fails).

    The log is checked against the backup's signed head (and each --against head), and
    the tables against the log."""
    from secession.transparency.checkpoint import open_head
    from secession.web.backup import read_manifest

    pinned, kept = _kept(against, key)
    manifest = read_manifest(archive)  # checked before anything is written
    head = manifest.get("audit_head")
    if head is not None:
        kept.insert(0, open_head(json.dumps(head), source=f"the head in {archive}", pinned=pinned))
    setup_django(database_url)
    from secession.web.apps.audit.log import verify
    from secession.web.backup import restore_backup

    with _database_errors():
        restore_backup(archive)
        result = verify(kept)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if not result.ok:
        raise AuditBrokenError(
            f"restored {archive}, but its log does not verify: {result.first.describe()}; do "
            "not use this database"
        )
    proven = ", ".join(result.kept) or "no signed head (none in the backup)"
    typer.echo(
        f"restored {archive}: {result.checked} log entries, root {result.root}; extends "
        f"{proven}; tables agree"
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
