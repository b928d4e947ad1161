"""Ballots encrypted by js/ballot.js in Debian's chromium verify in Python; a tampered one
is refused naming it; a Benaloh audit revealed by the browser checks in Python and that
ballot is never counted; the whole board then verifies with the right result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secession.ballots import coordinator, group
from secession.ballots.board import Board
from secession.ballots.errors import ProofError
from secession.ballots.tally import decryption_share
from secession.ballots.verify import verify_board

from .browser import ballot_page, chromium_path
from .elections import keyed_election

pytestmark = pytest.mark.browser

ENCRYPT = """([manifest, trustees, key, choices]) => {
  const ctx = ballots.electionContext(manifest, trustees, key);
  return choices.map((c) => ballots.encryptBallot(ctx, c));
}"""


def entries(board: Board) -> tuple[dict, list[dict], dict]:
    """What the vote page receives: the manifest, the trustee records, the key entry."""
    trustees = [e for _, e in board.of_type("trustee")]
    return board.entries[0], trustees, board.of_type("key")[0][1]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    if not Path(chromium_path()).exists():
        pytest.skip(f"chromium not found at {chromium_path()} (apt-get install chromium)")
    with ballot_page(tmp_path_factory.mktemp("ballot-page")) as p:
        yield p
        assert p.errors == []


def test_browser_ballots_verify_in_python_and_count(page) -> None:
    e = keyed_election(options=("yes", "no", "blank"))
    choices = [[0], [1], [0], [2], [0], [1]]
    made = page.evaluate(ENCRYPT, [*entries(e.board), [*choices, [1]]])
    casting = coordinator.Casting(e.board)
    for n, item in enumerate(made[:-1]):
        accepted = casting.cast(item["ballot"], f"voter-{n}")
        assert accepted.tracker.hex() == item["tracker"]  # the tracker the voter was shown
    # the last one is audited: the browser reveals it, Python checks it, it is never cast
    audited = made[-1]
    assert casting.audit(audited["reveal"]) == (1,)
    with pytest.raises(ProofError, match="was audited, so it can no longer be cast"):
        casting.cast(audited["ballot"], "voter-audit")
    tally = coordinator.close(e.board)
    for index in (2, 4, 5):
        share = decryption_share(e.secrets[index - 1], e.key, tally)
        coordinator.add_decryption(e.board, share.to_json())
    assert coordinator.publish(e.board) == (3, 2, 1)
    report = verify_board(e.board)
    assert report.ok, report.problems
    assert report.counts == (3, 2, 1) and report.audits == 1
    trackers = {x[1]["ballot"]["tracker"] for x in e.board.of_type("ballot")}
    assert {m["tracker"] for m in made[:-1]} == trackers  # each voter finds theirs


def test_a_tampered_browser_ballot_is_refused(page) -> None:
    e = keyed_election()
    (made,) = page.evaluate(ENCRYPT, [*entries(e.board), [[1]]])
    bad = json.loads(json.dumps(made["ballot"]))
    bad["selections"][1]["proof"][0]["v"] = bad["selections"][0]["proof"][0]["v"]
    casting = coordinator.Casting(e.board)
    with pytest.raises(ProofError, match=rf"ballot {made['tracker'][:16]}: the tracker"):
        casting.cast(bad, "v1")
    # a reveal that claims another choice than the one encrypted is caught
    lie = {**made["reveal"], "choices": [0]}
    with pytest.raises(ProofError, match=r"option 1 \('yes'\) is not an encryption of 1"):
        casting.audit(lie)
    assert casting.cast(made["ballot"], "v1").tracker.hex() == made["tracker"]


TRY = """([manifest, trustees, key, choices]) => {
  try { ballots.encryptBallot(ballots.electionContext(manifest, trustees, key), choices); }
  catch (e) { return e.message; }
  return "encrypted";
}"""


def test_the_module_refuses_an_invalid_choice(page) -> None:
    e = keyed_election()
    assert page.evaluate(TRY, [*entries(e.board), [0, 1]]) == "choose 1 to 1 options"
    assert page.evaluate(TRY, [*entries(e.board), [0]]) == "encrypted"


def test_the_browser_refuses_a_key_the_trustees_did_not_make(page) -> None:
    """A server that substitutes its own key, or posts a rogue trustee commitment that
    cancels the others, would read every vote: the page recomputes the key from the
    trustees' proven commitments and refuses."""
    e = keyed_election()
    manifest, trustees, key = entries(e.board)
    other = keyed_election()
    substituted = {**key, "joint_key": other.key.joint_key.hex()}
    assert page.evaluate(TRY, [manifest, trustees, substituted, [0]]) == (
        "the election key is not the one the trustees' commitments give"
    )
    # trustee 5's first commitment replaced by g^x / (K_1 K_2 K_3 K_4): joint key g^x
    x = 424242
    others = group.product(bytes.fromhex(t["commitments"][0]) for t in trustees[:4])
    rogue = group.sub(group.base_mul(x), others)
    forged = [
        *trustees[:4],
        {**trustees[4], "commitments": [rogue.hex(), *trustees[4]["commitments"][1:]]},
    ]
    assert page.evaluate(TRY, [manifest, forged, key, [0]]) == (
        "trustee 5 (eli): the proof of coefficient 0 does not verify"
    )
    renamed = {**manifest, "question": "Shall we stay?"}
    assert page.evaluate(TRY, [renamed, trustees, key, [0]]) == (
        "trustee 1 (ana): the proof of coefficient 0 does not verify"
    )
