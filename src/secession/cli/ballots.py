"""`secession ballots ...` (the board: set up, cast, tally, publish, verify) and
`secession trustee ...` (what each trustee runs on their own machine).

A verifiable election from the command line, 3 of 5 trustees::

    secession ballots new board.json --election e1 --question "Leave?" --option yes \\
        --option no --trustee ana --trustee ben --trustee cy --trustee dee --trustee eli \\
        --threshold 3
    secession trustee keygen board.json --name ana --secret ana.secret.json --public ana.json
    secession ballots open board.json ana.json ben.json cy.json dee.json eli.json
    secession trustee shares board.json --secret ana.secret.json --out ana.shares.json
    secession trustee check board.json --secret ana.secret.json *.shares.json
    secession ballots encrypt board.json --choice yes --out b1.json
    secession ballots cast board.json b1.json --voter v1
    secession ballots close board.json
    secession trustee decrypt board.json --secret ana.secret.json --out ana.decryption.json
    secession ballots publish board.json ana.decryption.json ben.decryption.json ...
    secession ballots verify board.json

Trustee secret files never leave the trustee's machine; everything else (public records,
sealed shares, decryption shares, the board) is public. Guide: ``docs/ballots.md``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from secession.exceptions import SecessionError

ballots_app = typer.Typer(
    help="Verifiable secret ballots: the bulletin board, from setup to a checked result.",
    no_args_is_help=True,
)
trustee_app = typer.Typer(
    help="A trustee's steps, run on the trustee's own machine (files in, files out).",
    no_args_is_help=True,
)

BoardArg = Annotated[Path, typer.Argument(help="The board file (JSON).")]
SecretOption = Annotated[
    Path, typer.Option("--secret", help="This trustee's secret file (kept on this machine).")
]


def _load(board: Path):
    from secession.ballots.board import Board

    return Board.load(board)


def _console() -> Console:
    return Console(highlight=False)


# --- the board -------------------------------------------------------------------------


@ballots_app.command("new")
def new(
    board: BoardArg,
    election: Annotated[str, typer.Option(help="The election's id (unique).")],
    question: Annotated[str, typer.Option(help="The question voters answer.")],
    option: Annotated[list[str], typer.Option("--option", help="An option (repeat).")],
    trustee: Annotated[list[str], typer.Option("--trustee", help="A trustee (repeat).")],
    threshold: Annotated[int, typer.Option(help="How many trustees must decrypt (k).")],
    min_choices: Annotated[int, typer.Option(help="Fewest options a ballot chooses.")] = 1,
    max_choices: Annotated[int, typer.Option(help="Most options a ballot chooses.")] = 1,
    eligible: Annotated[int | None, typer.Option(help="Number of eligible voters.")] = None,
) -> None:
    """Start a board with the election's manifest (question, options, trustees, k)."""
    from secession.ballots.coordinator import new_board
    from secession.ballots.manifest import Manifest

    if board.exists():
        raise SecessionError(f"{board}: already exists (a board is never overwritten)")
    manifest = Manifest(
        election=election,
        question=question,
        options=tuple(option),
        trustees=tuple(trustee),
        threshold=threshold,
        min_choices=min_choices,
        max_choices=max_choices,
        eligible=eligible,
    )
    new_board(manifest).save(board)
    _console().print(
        f"board {board}: {manifest.k} of {manifest.n} trustees must decrypt; next, each "
        "trustee runs `secession trustee keygen`"
    )


@ballots_app.command("open")
def open_(
    board: BoardArg,
    public: Annotated[list[Path], typer.Argument(help="Every trustee's public record.")],
) -> None:
    """Post the trustees' public records (proofs checked) and the joint election key."""
    from secession.ballots.board import read_json
    from secession.ballots.coordinator import open_voting

    the_board = _load(board)
    key = open_voting(the_board, [read_json(p) for p in public])
    the_board.save(board)
    _console().print(
        f"voting open: joint key {key.joint_key.hex()[:16]}…; each trustee now sends "
        "shares (`secession trustee shares`) and checks the ones received "
        "(`secession trustee check`)"
    )


@ballots_app.command("encrypt")
def encrypt(
    board: BoardArg,
    choice: Annotated[list[str], typer.Option("--choice", help="Option name or number (from 1).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the encrypted ballot.")],
    reveal: Annotated[
        Path | None,
        typer.Option(help="Also write the Benaloh audit reveal (that ballot must not be cast)."),
    ] = None,
) -> None:
    """Encrypt a ballot on this machine (the Python voter client) and print its tracker."""
    from secession.ballots.ballot import encrypt_ballot
    from secession.ballots.board import write_json
    from secession.ballots.coordinator import election_key

    key = election_key(_load(board))
    options = key.manifest.options
    picked = []
    for text in choice:
        if text in options:
            picked.append(options.index(text))
        elif text.isdigit() and 1 <= int(text) <= len(options):
            picked.append(int(text) - 1)
        else:
            raise SecessionError(f"--choice {text!r}: not an option ({', '.join(options)})")
    encrypted = encrypt_ballot(key, picked)
    write_json(out, encrypted.ballot.to_json())
    if reveal is not None:
        write_json(reveal, encrypted.audit_json())
    _console().print(f"tracker {encrypted.ballot.tracker.hex()}")


@ballots_app.command("cast")
def cast(
    board: BoardArg,
    ballot: Annotated[Path, typer.Argument(help="An encrypted ballot file.")],
    voter: Annotated[str, typer.Option(help="Who casts it (one counted ballot each).")],
) -> None:
    """Check a ballot's proofs and post it to the board."""
    from secession.ballots.board import read_json
    from secession.ballots.coordinator import Casting

    the_board = _load(board)
    accepted = Casting(the_board).cast(read_json(ballot), voter)
    the_board.save(board)
    _console().print(f"cast: tracker {accepted.tracker.hex()}")


@ballots_app.command("audit")
def audit(
    board: BoardArg,
    reveal: Annotated[Path, typer.Argument(help="A Benaloh audit reveal.")],
    post: Annotated[bool, typer.Option(help="Post the audited ballot to the board.")] = False,
) -> None:
    """Check an audited ballot: its nonces re-encrypt the choice it claims."""
    from secession.ballots.ballot import check_audit
    from secession.ballots.board import read_json
    from secession.ballots.coordinator import Casting, election_key

    the_board = _load(board)
    data = read_json(reveal)
    if post:
        choices = Casting(the_board).audit(data)
        the_board.save(board)
        ballot_tracker = data["ballot"]["tracker"]
    else:
        ballot, choices = check_audit(election_key(the_board), data)
        ballot_tracker = ballot.tracker.hex()
    options = the_board.manifest().options
    shown = ", ".join(options[c] for c in choices) or "no option"
    _console().print(f"audit ok: ballot {ballot_tracker[:16]} encrypts {shown}; it is not counted")


@ballots_app.command("close")
def close(
    board: BoardArg,
    voters: Annotated[
        Path | None,
        typer.Option(help="The recorded voters, one a line (default: the ballots' voters)."),
    ] = None,
) -> None:
    """Close voting: post the recorded voters and the encrypted tally."""
    from secession.ballots.coordinator import close as close_board

    recorded = None
    if voters is not None:
        try:
            recorded = [v.strip() for v in voters.read_text().splitlines() if v.strip()]
        except OSError as exc:
            raise SecessionError(f"{voters}: cannot read ({exc})") from None
    the_board = _load(board)
    close_board(the_board, recorded)
    the_board.save(board)
    _console().print("closed: the trustees can now decrypt (`secession trustee decrypt`)")


@ballots_app.command("publish")
def publish(
    board: BoardArg,
    decryption: Annotated[list[Path], typer.Argument(help="Trustees' decryption shares.")],
) -> None:
    """Post decryption shares (each proof checked), combine at least k, post the result."""
    from secession.ballots.board import read_json
    from secession.ballots.coordinator import add_decryption
    from secession.ballots.coordinator import publish as publish_result

    the_board = _load(board)
    for path in decryption:
        add_decryption(the_board, read_json(path))
    counts = publish_result(the_board)
    the_board.save(board)
    options = the_board.manifest().options
    console = _console()
    for name, count in zip(options, counts, strict=True):
        console.print(f"{name}: {count}")


@ballots_app.command("verify")
def verify(
    board: BoardArg,
    workers: Annotated[
        int, typer.Option(min=0, help="Processes checking ballots (0: one per CPU, up to 4).")
    ] = 0,
) -> None:
    """Check everything on a board with no database: proofs, tally, decryption, result.

    Exits 8 and lists every problem, naming the entry (ballot tracker, trustee, proof)."""
    from rich.progress import Progress

    from secession.ballots.errors import BoardInvalidError
    from secession.ballots.verify import verify_board

    the_board = _load(board)
    console = _console()
    n = len(the_board.of_type("ballot"))
    jobs = workers or min(os.cpu_count() or 1, 4)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("checking ballots", total=n)
        report = verify_board(the_board, workers=jobs, progress=lambda k: bar.advance(task, k))
    for note in report.notes:
        console.print(f"note: {note}")
    if not report.ok:
        for problem in report.problems:
            console.print(f"[red]problem:[/] {problem}")
        raise BoardInvalidError(f"{board}: {len(report.problems)} problem(s) found")
    console.print(
        f"board ok ({report.phase}): {report.ballots} ballots, {report.audits} audited, "
        f"every proof verifies"
    )
    if report.counts is not None:
        trustees = ", ".join(str(t) for t in report.decrypted_by)
        console.print(f"result, decrypted by trustees {trustees}:")
        for name, count in zip(report.options, report.counts, strict=True):
            console.print(f"  {name}: {count}")


# --- trustees --------------------------------------------------------------------------


def _secret(path: Path):
    from secession.ballots.board import read_json
    from secession.ballots.trustees import TrusteeSecret

    return TrusteeSecret.from_json(read_json(path), str(path))


def _publics(the_board):
    from secession.ballots.trustees import TrusteePublic

    manifest = the_board.manifest()
    return [TrusteePublic.from_json(e, manifest) for _, e in the_board.of_type("trustee")]


@trustee_app.command("keygen")
def keygen(
    board: BoardArg,
    name: Annotated[str, typer.Option(help="Your name as the manifest lists it.")],
    secret: Annotated[Path, typer.Option(help="Where to write your secret file.")],
    public: Annotated[Path, typer.Option(help="Where to write your public record.")],
) -> None:
    """Generate your key material: a secret file (keep it) and a public record (upload it)."""
    from secession.ballots.board import write_json
    from secession.ballots.trustees import generate

    if secret.exists():
        raise SecessionError(f"{secret}: already exists (a trustee secret is never overwritten)")
    manifest = _load(board).manifest()
    made = generate(manifest, name)
    write_json(secret, made.to_json(), private=True)
    write_json(public, made.public(manifest).to_json())
    _console().print(
        f"trustee {made.index} ({name}): secret in {secret} (keep it on this machine), "
        f"public record in {public} (upload it)"
    )


@trustee_app.command("shares")
def shares(
    board: BoardArg,
    secret: SecretOption,
    out: Annotated[Path, typer.Option(help="Where to write the sealed shares (upload it).")],
) -> None:
    """Seal one share of your secret to every other trustee (their proofs checked first)."""
    from secession.ballots.board import write_json
    from secession.ballots.trustees import seal_shares

    the_board = _load(board)
    mine = _secret(secret)
    made = seal_shares(mine, the_board.manifest(), _publics(the_board))
    write_json(out, made)
    _console().print(f"{len(made['shares'])} sealed shares in {out}")


@trustee_app.command("check")
def check(
    board: BoardArg,
    secret: SecretOption,
    shares_files: Annotated[list[Path], typer.Argument(help="The shares files of the others.")],
) -> None:
    """Open the shares sent to you, check each against its sender's commitments, and keep
    your key share in your secret file."""
    from secession.ballots.board import read_json, write_json
    from secession.ballots.trustees import open_shares

    the_board = _load(board)
    manifest = the_board.manifest()
    publics = _publics(the_board)
    mine = open_shares(_secret(secret), manifest, publics, [read_json(p) for p in shares_files])
    write_json(secret, mine.to_json(), private=True)
    _console().print(
        f"trustee {mine.index} ({mine.name}): the shares of {len(mine.checked_from)} trustees "
        "match their commitments; key share kept in the secret file"
    )


@trustee_app.command("decrypt")
def decrypt(
    board: BoardArg,
    secret: SecretOption,
    out: Annotated[Path, typer.Option(help="Where to write your decryption share (upload it).")],
) -> None:
    """Check the whole board (only a tally of valid ballots is ever decrypted), then compute
    your decryption share of the tally with its proofs."""
    from secession.ballots.board import write_json
    from secession.ballots.coordinator import election_key, posted_tally
    from secession.ballots.errors import BoardInvalidError
    from secession.ballots.tally import decryption_share
    from secession.ballots.verify import verify_board

    the_board = _load(board)
    report = verify_board(the_board, workers=min(os.cpu_count() or 1, 4))
    if not report.ok:
        shown = "; ".join(report.problems[:3])
        raise BoardInvalidError(f"{board}: not decrypting a board that fails verification: {shown}")
    key = election_key(the_board)
    share = decryption_share(_secret(secret), key, posted_tally(the_board, key))
    write_json(out, share.to_json())
    _console().print(f"decryption share of trustee {share.trustee} in {out}")


def register(app: typer.Typer) -> None:
    """Mount ``ballots`` and ``trustee`` on the root app."""
    app.add_typer(ballots_app, name="ballots")
    app.add_typer(trustee_app, name="trustee")
