"""What the server does with a board, holding only public values: post the manifest, open
voting once every trustee's record is posted, accept ballots after checking them, close
with the encrypted tally, accept decryption shares after checking them, publish the result.

Each step checks its input completely before it appends one entry, so a board built only by
these functions always passes :func:`secession.ballots.verify.verify_board`. The platform
(part B) calls the same functions and stores each new entry in its audit log.
"""

from __future__ import annotations

from secession.ballots.ballot import Ballot, check_audit, check_ballot
from secession.ballots.board import Board
from secession.ballots.election import ElectionKey
from secession.ballots.elgamal import Ciphertext
from secession.ballots.errors import BallotFormatError, ProofError, TrusteeError
from secession.ballots.manifest import Manifest
from secession.ballots.tally import DecryptionShare, check_share, combine, encrypted_tally
from secession.ballots.trustees import TrusteePublic
from secession.ballots.verify import key_entry


def new_board(manifest: Manifest) -> Board:
    return Board([manifest.to_json()])


def election_key(board: Board) -> ElectionKey:
    """The key of an opened board (trustee entries in order)."""
    if board.phase == "setup":
        raise TrusteeError("voting is not open: the election key is not set up yet")
    manifest = board.manifest()
    publics = [TrusteePublic.from_json(e, manifest) for _, e in board.of_type("trustee")]
    return ElectionKey(manifest, tuple(sorted(publics, key=lambda p: p.index)))


def open_voting(board: Board, publics: list[dict]) -> ElectionKey:
    """Post every trustee's public record (proofs checked) and the key entry."""
    if board.phase != "setup":
        raise TrusteeError(f"the board is already past setup (phase {board.phase})")
    manifest = board.manifest()
    parsed: dict[int, TrusteePublic] = {}
    for n, data in enumerate(publics):
        public = TrusteePublic.from_json(data, manifest, f"public record {n + 1}")
        public.check(manifest)
        if public.index in parsed:
            raise TrusteeError(f"two public records of trustee {public.index} ({public.name})")
        parsed[public.index] = public
    key = ElectionKey(manifest, tuple(parsed[i] for i in sorted(parsed)))
    for public in key.trustees:
        board.append(public.to_json())
    board.append(key_entry(key))
    return key


class Casting:
    """Accepts ballots on an open board, keeping the indexes that make each check O(1)."""

    def __init__(self, board: Board):
        if board.phase != "voting":
            raise TrusteeError(
                f"ballots are accepted only while voting is open (phase {board.phase})"
            )
        self.board = board
        self.key = election_key(board)
        self.voters: set[str] = set()
        self.trackers: set[bytes] = set()
        self.ballot_ids: set[str] = set()
        for _, entry in board.of_type("ballot"):
            ballot = Ballot.from_json(entry["ballot"], self.key)
            self._index(entry["voter"], ballot)

    def _index(self, voter: str, ballot: Ballot) -> None:
        self.voters.add(voter)
        self.trackers.add(ballot.tracker)
        self.ballot_ids.add(ballot.ballot_id)

    def cast(self, data: object, voter: str) -> Ballot:
        """Check a ballot and post it; refuse a second ballot of ``voter`` or a copy."""
        if not isinstance(voter, str) or not voter.strip():
            raise BallotFormatError("the voter must be a non-empty text")
        if voter in self.voters:
            raise ProofError(f"voter {voter} has already cast a ballot")
        ballot = Ballot.from_json(data, self.key)
        check_ballot(self.key, ballot)
        if ballot.tracker in self.trackers or ballot.ballot_id in self.ballot_ids:
            raise ProofError(f"{ballot.label}: a copy of a ballot already on the board")
        if ballot.tracker in self.audited():
            raise ProofError(f"{ballot.label}: was audited, so it can no longer be cast")
        self.board.append({"type": "ballot", "voter": voter, "ballot": ballot.to_json()})
        self._index(voter, ballot)
        return ballot

    def audited(self) -> set[bytes]:
        return {bytes.fromhex(e["ballot"]["tracker"]) for _, e in self.board.of_type("audit")}

    def audit(self, reveal: object) -> tuple[int, ...]:
        """Check a Benaloh reveal and post it (the ballot is then never counted)."""
        ballot, choices = check_audit(self.key, reveal)
        if ballot.tracker in self.trackers:
            raise ProofError(f"{ballot.label}: already cast, so it cannot be audited")
        self.board.append(reveal)  # type: ignore[arg-type]
        return choices


def close(board: Board, voters: list[str] | None = None) -> tuple[Ciphertext, ...]:
    """Post the tally: the recorded voters (the platform's list of who voted; by default
    those of the ballots) and the product of every ballot's encryptions."""
    if board.phase != "voting":
        raise TrusteeError(f"only an open board can be closed (phase {board.phase})")
    key = election_key(board)
    ballots = [Ballot.from_json(e["ballot"], key) for _, e in board.of_type("ballot")]
    if voters is None:
        voters = [e["voter"] for _, e in board.of_type("ballot")]
    if not all(isinstance(v, str) and v.strip() for v in voters):
        raise BallotFormatError("the recorded voters must be non-empty texts")
    recorded = sorted(voters)
    tally = encrypted_tally(ballots, len(key.manifest.options))
    board.append(
        {
            "type": "tally",
            "ballots": len(ballots),
            "voters": recorded,
            "ciphertexts": [ct.to_json() for ct in tally],
        }
    )
    return tally


def posted_tally(board: Board, key: ElectionKey) -> tuple[Ciphertext, ...]:
    tallies = board.of_type("tally")
    if not tallies:
        raise TrusteeError("the board has no tally yet (voting is not closed)")
    return tuple(
        Ciphertext.from_json(ct, f"tally, option {i + 1}")
        for i, ct in enumerate(tallies[0][1]["ciphertexts"])
    )


def add_decryption(board: Board, data: object) -> DecryptionShare:
    """Check one trustee's decryption share against the tally and post it."""
    if board.phase != "tallied":
        raise TrusteeError(f"decryption shares are taken after closing (phase {board.phase})")
    key = election_key(board)
    share = DecryptionShare.from_json(data, key)
    check_share(key, posted_tally(board, key), share)
    if any(e.get("trustee") == share.trustee for _, e in board.of_type("decryption")):
        raise TrusteeError(f"trustee {share.trustee} has already posted a decryption share")
    board.append(share.to_json())
    return share


def publish(board: Board) -> tuple[int, ...]:
    """Combine the posted shares (at least ``k``) and post the result."""
    key = election_key(board)
    tally = posted_tally(board, key)
    shares = [DecryptionShare.from_json(e, key) for _, e in board.of_type("decryption")]
    count = board.of_type("tally")[0][1]["ballots"]
    counts = combine(key, tally, shares, count)
    board.append(
        {"type": "result", "counts": list(counts), "trustees": sorted(s.trustee for s in shares)}
    )
    return counts
