"""The independent verifier on a real decided board: it passes as built, and every tampered
element (ciphertext, proof, tracker, decryption share, tally, result, trustee record, entry
order), a dropped or a duplicated ballot each make it fail, naming the element."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secession.ballots import coordinator, group
from secession.ballots.ballot import Ballot, check_audit, compute_tracker, encrypt_ballot
from secession.ballots.board import Board
from secession.ballots.errors import BallotFormatError, ProofError
from secession.ballots.verify import verify_board

from .elections import decided_election

OTHER_POINT = group.base_mul(987654321).hex()


def ballots_of(board: Board) -> list[tuple[int, dict]]:
    return board.of_type("ballot")


def retrack(board: Board, position: int, key) -> None:
    """Recompute a tampered ballot's tracker, as a forger would, so that the proofs (not
    the tracker) are what must catch the change."""
    data = board.entries[position]["ballot"]
    b = Ballot.from_json({**data, "tracker": "0" * 64}, key)
    tracker = compute_tracker(key, b.ballot_id, b.selections, b.option_proofs, b.sum_proof)
    data["tracker"] = tracker.hex()


def test_the_board_as_built_verifies(decided) -> None:
    report = verify_board(decided.board)
    assert report.ok, report.problems
    assert report.counts == (4, 2)
    assert report.ballots == 6 and report.voters == 6 and report.audits == 1
    assert report.decrypted_by == (1, 3, 5)
    assert report.phase == "decided"


def test_a_board_survives_its_json_round_trip(decided, tmp_path) -> None:
    decided.board.save(tmp_path / "board.json")
    again = Board.load(tmp_path / "board.json")
    assert again.entries == decided.board.entries
    assert verify_board(again).ok


ELEMENTS = ["alpha", "beta", "proof c", "proof v", "sum proof"]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ELEMENTS), st.integers(0, 5), st.integers(0, 1), st.booleans())
def test_a_tampered_ballot_fails_naming_it(decided, element, which, option, forge) -> None:
    board = Board(json.loads(json.dumps(decided.board.entries)))  # fresh for each example
    position, entry = ballots_of(board)[which]
    ballot = entry["ballot"]
    sel = ballot["selections"][option]
    if element in ("alpha", "beta"):
        sel[element] = OTHER_POINT
    elif element == "proof c":
        sel["proof"][0]["c"] = group.scalar_hex(
            int.from_bytes(bytes.fromhex(sel["proof"][0]["c"]), "little") + 1
        )
    elif element == "proof v":
        sel["proof"][1]["v"] = group.scalar_hex(7)
    else:
        ballot["sum_proof"][0]["v"] = group.scalar_hex(7)
    if forge:
        retrack(board, position, decided.key)
    report = verify_board(board)
    assert not report.ok
    first = report.problems[0]
    assert first.startswith(f"entry {position}, ballot {ballot['tracker'][:16]}")
    assert f"(voter {entry['voter']})" in first
    if forge:
        assert "does not verify" in first
    else:
        assert "the tracker is not the hash of this ballot" in first
    assert any("not the product of the 5 accepted ballots" in p for p in report.problems)


def test_a_dropped_ballot_fails_naming_its_voter(decided) -> None:
    board = decided.board
    position, entry = ballots_of(board)[2]
    del board.entries[position]
    problems = verify_board(board).problems
    assert (
        f"recorded voter(s) have no counted ballot on the board ({entry['voter']})" in problems[0]
    )
    assert any("says 6 ballots; the board holds 5 valid ballots and 6" in p for p in problems)


def test_a_duplicated_ballot_fails_naming_both_entries(decided) -> None:
    board = decided.board
    position, entry = ballots_of(board)[1]
    board.entries.insert(position + 1, json.loads(json.dumps(entry)))
    problems = verify_board(board).problems
    tracker = entry["ballot"]["tracker"][:16]
    assert problems[0] == (
        f"entry {position + 1}, ballot {tracker} (voter {entry['voter']}): a duplicate of "
        f"the ballot in entry {position}"
    )


def test_a_second_ballot_of_one_voter_fails(decided) -> None:
    board = decided.board
    (p0, first), (_p1, second) = ballots_of(board)[:2]
    second["voter"] = first["voter"]
    problems = verify_board(board).problems
    assert f"a second ballot of this voter (first in entry {p0})" in problems[0]


def test_an_added_ballot_of_an_unrecorded_voter_fails(decided) -> None:
    board = decided.board
    extra = encrypt_ballot(decided.key, [0]).ballot.to_json()
    position = ballots_of(board)[-1][0] + 1
    board.entries.insert(position, {"type": "ballot", "voter": "mallory", "ballot": extra})
    problems = verify_board(board).problems
    assert any(
        "come from voters who are not recorded as having voted (mallory)" in p for p in problems
    )


def test_a_tampered_decryption_share_fails_naming_the_trustee(decided) -> None:
    board = decided.board
    position, entry = board.of_type("decryption")[1]
    entry["shares"][0]["M"] = OTHER_POINT
    problems = verify_board(board).problems
    assert problems[0] == (
        f"entry {position}: decryption by trustee 3 (cy), option 1 ('yes'): the proof does "
        "not verify"
    )
    assert any("valid decryption shares from only 2 trustees; 3 are needed" in p for p in problems)


def test_a_changed_result_fails(decided) -> None:
    board = decided.board
    position, entry = board.of_type("result")[0]
    entry["counts"] = [2, 4]
    problems = verify_board(board).problems
    assert problems == [
        f"entry {position} (result): publishes counts [2, 4]; the decryption gives [4, 2]"
    ]


def test_a_tampered_tally_fails(decided) -> None:
    board = decided.board
    position, entry = board.of_type("tally")[0]
    entry["ciphertexts"][1]["beta"] = OTHER_POINT
    problems = verify_board(board).problems
    assert problems[0] == (
        f"entry {position} (tally), option 2 ('no'): the encrypted count is not the product "
        "of the 6 accepted ballots"
    )


def test_a_tampered_trustee_record_fails(decided) -> None:
    board = decided.board
    position, entry = board.of_type("trustee")[3]
    entry["proofs"][0]["v"] = group.scalar_hex(1)
    problems = verify_board(board).problems
    assert problems[0] == (
        f"entry {position}: trustee 4 (dee): the proof of knowledge of coefficient 0 does "
        "not verify"
    )


def test_a_substituted_joint_key_fails(decided) -> None:
    board = decided.board
    position, entry = board.of_type("key")[0]
    entry["joint_key"] = OTHER_POINT
    assert verify_board(board).problems[0] == (
        f"entry {position} (key): joint_key is not what the trustees' commitments give"
    )


def test_entries_out_of_order_fail(decided) -> None:
    board = decided.board
    position, _entry = board.of_type("tally")[0]
    board.entries.insert(3, board.entries.pop(position))
    assert any(
        "(tally): out of order" in p or "(ballot): out of order" in p
        for p in verify_board(board).problems
    )


def test_an_audited_ballot_checks_and_is_not_counted(decided) -> None:
    board = decided.board
    position, entry = board.of_type("audit")[0]
    _ballot, choices = check_audit(decided.key, entry)
    assert choices == (1,)
    entry["nonces"][0] = group.scalar_hex(5)
    problems = verify_board(board).problems
    assert problems[0].startswith(f"entry {position} (audit): audit of ballot")
    assert "option 1 ('yes') is not an encryption of 0 with the revealed nonce" in problems[0]


def test_an_audited_ballot_cannot_then_be_cast() -> None:
    election, audited = decided_election([0])
    # a fresh board in voting phase with the same audited ballot posted
    board = Board(election.board.entries[: 1 + 5 + 1])
    casting = coordinator.Casting(board)
    casting.audit(audited.audit_json())
    with pytest.raises(ProofError, match="was audited, so it can no longer be cast"):
        casting.cast(audited.ballot.to_json(), "voter-x")


def test_the_server_refuses_a_bad_ballot_before_posting(election) -> None:
    board = Board(json.loads(json.dumps(election.board.entries)))
    casting = coordinator.Casting(board)
    good = encrypt_ballot(election.key, [0]).ballot.to_json()
    bad = json.loads(json.dumps(good))
    bad["selections"][0]["proof"][0]["c"] = group.scalar_hex(3)
    before = len(board.entries)
    with pytest.raises(ProofError, match="tracker is not the hash"):
        casting.cast(bad, "v1")
    with pytest.raises(BallotFormatError, match="expected 2 selections"):
        casting.cast({**good, "selections": good["selections"][:1]}, "v1")
    assert len(board.entries) == before
    casting.cast(good, "v1")
    with pytest.raises(ProofError, match="voter v1 has already cast a ballot"):
        casting.cast(encrypt_ballot(election.key, [1]).ballot.to_json(), "v1")


def test_a_ballot_for_another_election_fails(decided, election) -> None:
    """The proofs are keyed by H_E: a ballot made under another election's key (even with
    the same manifest) fails on this board."""
    board = decided.board
    foreign = encrypt_ballot(election.key, [0]).ballot.to_json()
    position, entry = ballots_of(board)[0]
    entry["ballot"] = foreign
    problems = verify_board(board).problems
    assert problems[0].startswith(f"entry {position}, ballot {foreign['tracker'][:16]}")


class _Log:
    """A stand-in log that holds every entry but the fourth (the hook's contract)."""

    def __init__(self, board: Board):
        self.leaves = {board.leaf(n) for n in range(len(board.entries)) if n != 3}
        self.seen = 0

    def check(self, position: int, leaf: bytes) -> str | None:
        self.seen += 1
        return None if leaf in self.leaves else "not in the audit log"


def test_the_log_inclusion_hook_is_asked_about_every_entry(decided) -> None:
    log = _Log(decided.board)
    report = verify_board(decided.board, inclusion=log)
    assert log.seen == len(decided.board.entries)
    assert report.problems == ["entry 3 (trustee): not in the audit log"]
    assert "audit log inclusion not checked" in verify_board(decided.board).notes[0]


def test_parallel_and_serial_checks_agree(decided) -> None:
    board = decided.board
    ballots_of(board)[4][1]["ballot"]["selections"][0]["beta"] = OTHER_POINT
    serial = verify_board(board, workers=1)
    parallel = verify_board(board, workers=2)
    assert serial.problems == parallel.problems and serial.problems


def test_a_removed_key_entry_fails(decided) -> None:
    board = decided.board
    position, _ = board.of_type("key")[0]
    del board.entries[position]
    assert verify_board(board).problems == [f"entry {position} (ballot): posted with no key entry"]


def test_a_board_in_setup_or_voting_verifies_with_a_note(election) -> None:
    setup = Board(election.board.entries[:3])
    report = verify_board(setup)
    assert report.ok and report.phase == "setup"
    assert "not set up yet (2 of 5 trustees)" in report.notes[0]
    voting = verify_board(Board(election.board.entries))
    assert voting.ok and voting.phase == "voting"
    assert "voting is open: 0 ballots so far" in voting.notes[0]


def test_a_substituted_box_key_fails(decided) -> None:
    """The box key is bound by the trustee's proofs: a relay that put its own key in a
    trustee's record (to read the shares sent to it) is caught."""
    board = decided.board
    position, entry = board.of_type("trustee")[2]
    entry["box_key"] = "ab" * 32
    assert verify_board(board).problems[0] == (
        f"entry {position}: trustee 3 (cy): the proof of knowledge of coefficient 0 does not verify"
    )
