"""`secession audit`: the platform's audit log, a Merkle tree with signed heads.

- ``audit head``: print the current signed head (JSON); keep it.
- ``audit verify``: recompute the whole tree from the database, check the stored tree and
  head, prove each ``--against`` head is a prefix, and check the tables against the log.
- ``audit verify --url SITE``: the same proofs for anyone, over the site's public API
  (``--full`` downloads every entry and recomputes the tree).
- ``audit keygen PATH``: make a signing key file (mode 0600) for production.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from secession.cli.web import DatabaseUrl, _database_errors, setup_django
from secession.exceptions import SecessionError

audit_app = typer.Typer(
    help="The platform's audit log: a Merkle tree (RFC 9162) with signed heads.",
    no_args_is_help=True,
)


class AuditBrokenError(SecessionError):
    """The audit log does not verify (names the first entry or row that does not fit)."""

    exit_code = 6


def _django(database_url: str | None) -> None:
    try:
        import django  # noqa: F401
    except ImportError:
        raise SecessionError(
            "checking the database needs the web extra (pip install 'secession[web]'); "
            "to check a published log, use --url"
        ) from None
    setup_django(database_url)


Against = Annotated[
    list[Path] | None,
    typer.Option(
        "--against",
        help="A signed head kept earlier (from `audit head` or /api/audit/head); prove the "
        "log still extends it. Repeatable.",
    ),
]
Key = Annotated[
    str | None,
    typer.Option(
        "--key",
        help="The log's verifier key (name+id+key) to trust instead of the one inside the "
        "kept heads.",
    ),
]


def _kept(paths: list[Path] | None, key: str | None):
    from secession.transparency.checkpoint import Verifier, open_head

    pinned = Verifier.parse(key) if key else None
    heads = []
    for path in paths or []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SecessionError(f"cannot read the kept head {path}: {exc}") from None
        heads.append(open_head(text, source=str(path), pinned=pinned))
    return pinned, heads


@audit_app.command("head")
def head(
    database_url: DatabaseUrl = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the head to this file.")
    ] = None,
) -> None:
    """Print the current signed head of the audit log (JSON); keep it to check against."""
    _django(database_url)
    from secession.web.apps.audit.log import signed_head

    with _database_errors():
        document = signed_head()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out is not None:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SecessionError(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(text, nl=False)


@audit_app.command("verify")
def verify(
    against: Against = None,
    key: Key = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="Check the log published by this site (no database)."),
    ] = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="With --url: download every entry, recompute the tree."),
    ] = False,
    tables: Annotated[
        bool, typer.Option(help="Also check that the tables agree with the log.")
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Verify the audit log; name the first entry or table row that does not fit (exit 6)."""
    pinned, kept = _kept(against, key)
    if url:
        _verify_remote(url, kept, pinned, full)
        return
    _django(database_url)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from secession.web.apps.audit.log import head as current_head
    from secession.web.apps.audit.log import verify as verify_log

    with _database_errors():
        total = current_head().size
        with Progress(
            TextColumn("checking the log"),
            BarColumn(),
            MofNCompleteColumn(),
            transient=True,
            disable=total < 20000,
        ) as bar:
            task = bar.add_task("log", total=total)
            result = verify_log(
                kept, tables=tables, progress=lambda n: bar.update(task, completed=n)
            )
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if not result.ok:
        first = result.first
        more = len(result.problems) - 1
        extra = f"; {more} more problem{'s' if more != 1 else ''}" if more else ""
        if result.table_problems > len([p for p in result.problems if p.kind == "table"]):
            extra += f" ({result.table_problems} table rows disagree in all)"
        for problem in result.problems[1:6]:
            typer.echo(f"also: {problem.describe()}", err=True)
        at = " at" if first.kind != "table" and first.seq is not None else ":"
        raise AuditBrokenError(
            f"audit log broken{at} {first.describe()}; {result.checked} entries checked{extra}"
        )
    proven = "".join(f"; extends {source}" for source in result.kept)
    checked = f"; tables agree ({', '.join(result.checks)})" if result.checks else ""
    typer.echo(f"audit log ok: {result.checked} entries, root {result.root}{proven}{checked}")


def _verify_remote(url: str, kept, pinned, full: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from secession.transparency import remote

    base = remote.parse_base_url(url)
    with Progress(
        TextColumn("downloading entries"),
        BarColumn(),
        MofNCompleteColumn(),
        transient=True,
        disable=not full,
    ) as bar:
        task = bar.add_task("entries", total=None)
        result = remote.check(
            base,
            kept,
            pinned=pinned,
            full=full,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if not result.ok:
        for problem in result.problems[1:6]:
            typer.echo(f"also: {problem}", err=True)
        raise AuditBrokenError(f"the log at {base} does not verify: {result.problems[0]}")
    proven = "".join(f"; extends {source} (consistency proof verified)" for source in result.proven)
    entries = f"; all {result.entries_checked} entries recomputed" if full else ""
    typer.echo(
        f"the log at {base} is ok: {result.head.size} entries, root {result.head.root.hex()}, "
        f"signed by {result.verifier.key_text()}{proven}{entries}"
    )


@audit_app.command("keygen")
def keygen(
    path: Annotated[Path, typer.Argument(help="Where to write the new key (PEM, mode 0600).")],
) -> None:
    """Make a new signing key for the audit log's heads (never overwrites a key)."""
    from secession.transparency.checkpoint import write_new_key

    write_new_key(path)
    typer.echo(
        f"wrote {path} (mode 0600). Set SECESSION_AUDIT_SIGNING_KEY_FILE={path} for the site, "
        "and keep a copy offline."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
