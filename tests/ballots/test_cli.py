"""A whole election through the command line, 3 of 5 trustees each with their own files,
and the commands' answers to user mistakes (a message naming the element, a non-zero exit,
no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .elections import NAMES


@pytest.fixture(scope="module")
def cli_election(tmp_path_factory):
    """Run the election once; tests read its files."""
    from secession.cli.app import run

    d = tmp_path_factory.mktemp("cli-election")
    board = d / "board.json"

    def ok(*args) -> None:
        code = run([str(a) for a in args])
        assert code == 0, args

    trustees = []
    for name in NAMES:
        trustees += ["--trustee", name]
    ok(
        "ballots",
        "new",
        board,
        "--election",
        "cli-e",
        "--question",
        "Leave?",
        "--option",
        "yes",
        "--option",
        "no",
        "--option",
        "blank",
        *trustees,
        "--threshold",
        3,
    )
    for name in NAMES:
        ok(
            "trustee",
            "keygen",
            board,
            "--name",
            name,
            "--secret",
            d / f"{name}.secret.json",
            "--public",
            d / f"{name}.public.json",
        )
    ok("ballots", "open", board, *(d / f"{n}.public.json" for n in NAMES))
    for name in NAMES:
        ok(
            "trustee",
            "shares",
            board,
            "--secret",
            d / f"{name}.secret.json",
            "--out",
            d / f"{name}.shares.json",
        )
    for name in NAMES:
        ok(
            "trustee",
            "check",
            board,
            "--secret",
            d / f"{name}.secret.json",
            *(d / f"{n}.shares.json" for n in NAMES),
        )
    for n, choice in enumerate(["yes", "no", "yes", "3", "yes"]):
        ok("ballots", "encrypt", board, "--choice", choice, "--out", d / f"b{n}.json")
        ok("ballots", "cast", board, d / f"b{n}.json", "--voter", f"v{n}")
    ok(
        "ballots",
        "encrypt",
        board,
        "--choice",
        "no",
        "--out",
        d / "audited.json",
        "--reveal",
        d / "reveal.json",
    )
    ok("ballots", "audit", board, d / "reveal.json", "--post")
    ok("ballots", "close", board)
    for name in ("ben", "cy", "eli"):
        ok(
            "trustee",
            "decrypt",
            board,
            "--secret",
            d / f"{name}.secret.json",
            "--out",
            d / f"{name}.decryption.json",
        )
    ok("ballots", "publish", board, *(d / f"{n}.decryption.json" for n in ("ben", "cy", "eli")))
    return d


def test_a_cli_election_verifies_with_the_right_result(cli_election: Path, cli) -> None:
    result = cli("ballots", "verify", cli_election / "board.json")
    assert result.exit_code == 0, result.output
    assert "board ok (decided): 5 ballots, 1 audited" in result.stdout
    assert "decrypted by trustees 2, 3, 5" in result.stdout
    lines = result.stdout.splitlines()
    assert "  yes: 3" in lines and "  no: 1" in lines and "  blank: 1" in lines


def test_the_server_side_holds_no_secret(cli_election: Path) -> None:
    board = (cli_election / "board.json").read_text()
    shares = "".join((cli_election / f"{n}.shares.json").read_text() for n in NAMES)
    for name in NAMES:
        secret = json.loads((cli_election / f"{name}.secret.json").read_text())
        for value in [*secret["coefficients"], secret["box_secret"], secret["key_share"]]:
            assert value not in board and value not in shares
        assert (cli_election / f"{name}.secret.json").stat().st_mode & 0o077 == 0


def test_a_tampered_board_fails_naming_the_ballot(cli_election: Path, tmp_path, cli) -> None:
    data = json.loads((cli_election / "board.json").read_text())
    position, entry = next((n, e) for n, e in enumerate(data["entries"]) if e["type"] == "ballot")
    entry["ballot"]["selections"][1]["alpha"] = entry["ballot"]["selections"][0]["alpha"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = cli("ballots", "verify", bad, "--workers", 1)
    assert result.exit_code == 8
    tracker = entry["ballot"]["tracker"][:16]
    assert f"problem: entry {position}, ballot {tracker}" in " ".join(result.stdout.split())
    assert "problem(s) found" in result.stderr and "Traceback" not in result.output


def test_a_trustee_will_not_decrypt_a_tampered_board(cli_election: Path, tmp_path, cli) -> None:
    data = json.loads((cli_election / "board.json").read_text())
    data["entries"] = [e for e in data["entries"] if e["type"] not in ("decryption", "result")]
    tally = next(e for e in data["entries"] if e["type"] == "tally")
    # the server asks the trustees to decrypt one voter's ballot instead of the tally
    first = next(e for e in data["entries"] if e["type"] == "ballot")
    tally["ciphertexts"] = [
        {"alpha": s["alpha"], "beta": s["beta"]} for s in first["ballot"]["selections"]
    ]
    bad = tmp_path / "single.json"
    bad.write_text(json.dumps(data))
    result = cli(
        "trustee",
        "decrypt",
        bad,
        "--secret",
        cli_election / "ana.secret.json",
        "--out",
        tmp_path / "x.json",
    )
    assert result.exit_code == 8
    assert "not decrypting a board that fails verification" in result.stderr
    assert "not the product of the 5 accepted ballots" in " ".join(result.stderr.split())
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ballots", "verify", "{d}/missing.json"], 2, "missing.json: file not found"),
        (["ballots", "verify", "{d}/ana.public.json"], 2, "not a ballot board"),
        (
            ["ballots", "cast", "{d}/board.json", "{d}/b0.json", "--voter", "v9"],
            9,
            "ballots are accepted only while voting is open (phase decided)",
        ),
        (
            [
                "trustee",
                "keygen",
                "{d}/board.json",
                "--name",
                "zed",
                "--secret",
                "{d}/z.json",
                "--public",
                "{d}/zp.json",
            ],
            9,
            "'zed' is not a trustee of this election",
        ),
        (
            [
                "trustee",
                "keygen",
                "{d}/board.json",
                "--name",
                "ana",
                "--secret",
                "{d}/ana.secret.json",
                "--public",
                "{d}/zp.json",
            ],
            1,
            "is never overwritten",
        ),
        (
            ["ballots", "encrypt", "{d}/board.json", "--choice", "maybe", "--out", "{d}/x.json"],
            1,
            "--choice 'maybe': not an option (yes, no, blank)",
        ),
        (
            ["ballots", "audit", "{d}/board.json", "{d}/b0.json"],
            2,
            "expected an object of type 'audit'",
        ),
    ],
)
def test_user_mistakes_get_a_clear_message(cli_election, cli, args, code, message) -> None:
    result = cli(*(a.format(d=cli_election) for a in args))
    assert result.exit_code == code, result.output
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_malformed_json_names_the_line(tmp_path, cli) -> None:
    bad = tmp_path / "board.json"
    bad.write_text('{"format": "secession-ballot-board",\n "version": }')
    result = cli("ballots", "verify", bad)
    assert result.exit_code == 2
    assert "not valid JSON (line 2, column 13" in result.stderr


def test_a_forged_share_file_is_named_by_check(cli_election, tmp_path, cli) -> None:
    shares = json.loads((cli_election / "ben.shares.json").read_text())
    cy = json.loads((cli_election / "cy.shares.json").read_text())
    shares["shares"][0]["sealed"] = cy["shares"][0]["sealed"]  # cy's share for ana, as ben's
    forged = tmp_path / "ben.shares.json"
    forged.write_text(json.dumps(shares))
    secret = tmp_path / "ana.secret.json"
    secret.write_text((cli_election / "ana.secret.json").read_text())
    others = [cli_election / f"{n}.shares.json" for n in ("cy", "dee", "eli")]
    result = cli(
        "trustee", "check", cli_election / "board.json", "--secret", secret, forged, *others
    )
    assert result.exit_code == 9
    assert "the share from trustee 2 (ben) was made for another election or trustee" in (
        " ".join(result.stderr.split())
    )
