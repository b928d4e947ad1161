"""The independent verifier: everything anyone can check on a downloaded board, with no
database and no secret (ElectionGuard 2.0 §6, the verification steps, for this board).

:func:`verify_board` checks, and names the entry that fails:

1. the manifest, and the entry order (trustees, key, ballots, tally, decryptions, result);
2. every trustee's Schnorr proofs (verification 2) and that the key entry holds the joint key
   ``K = prod K_i0``, the extended base hash and every share key the commitments give
   (verification 3);
3. every ballot: its tracker is the hash of its content, each option's 0-or-1 proof and the
   proof of the number of choices (verifications 5 and 6); no tracker or ballot id
   appears twice; no voter casts twice (a copied encryption needs a new proof, which
   needs its nonce, and proofs are bound to their ballot's id);
4. every audited ballot's revealed nonces re-encrypt its shown choice, and no audited
   ballot is counted;
5. the tally: its voters are exactly the voters of the ballots, its count their number (and
   at most the manifest's eligible voters), and each encrypted count is the product of
   exactly the accepted ballots (verification 7);
6. every decryption share's Chaum-Pedersen proof (verification 9), at least ``k`` distinct
   trustees, and that the published counts are what their Lagrange combination decrypts to;
7. each entry's inclusion in the audit log, through an :class:`Inclusion` hook (see below).

The log hook. The platform's Merkle audit log (issue 19) records each board entry as one log
entry whose bytes are :meth:`Board.leaf`. A checker that holds a signed tree head and the
inclusion proofs implements :class:`Inclusion` (``check(position, leaf) -> problem or
None``); with none given the report says the inclusion was not checked.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

from secession.ballots.ballot import Ballot, check_audit, check_ballot
from secession.ballots.board import Board
from secession.ballots.election import ElectionKey
from secession.ballots.elgamal import Ciphertext
from secession.ballots.errors import BallotFormatError, SecessionError
from secession.ballots.manifest import Manifest
from secession.ballots.tally import DecryptionShare, check_share, combine, encrypted_tally
from secession.ballots.trustees import TrusteePublic

ORDER = {
    t: n
    for n, t in enumerate(("manifest", "trustee", "key", "ballot", "tally", "decryption", "result"))
}
ORDER["audit"] = ORDER["ballot"]


class Inclusion(Protocol):
    """Checks one board entry against the audit log (the hook for the Merkle log)."""

    def check(self, position: int, leaf: bytes) -> str | None:
        """Return a problem (``"not in the log"``) or None when the entry is included."""


@dataclass
class Report:
    """What :func:`verify_board` found."""

    phase: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ballots: int = 0
    audits: int = 0
    voters: int = 0
    counts: tuple[int, ...] | None = None
    options: tuple[str, ...] = ()
    decrypted_by: tuple[int, ...] = ()
    cast_voters: list[str] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_board(
    board: Board,
    *,
    workers: int = 1,
    inclusion: Inclusion | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check everything on ``board``; ``workers`` processes check ballots in parallel,
    ``progress(n)`` is told each time ``n`` more ballots are checked."""
    report = Report(phase=board.phase)
    problem = report.problems.append
    try:
        manifest = board.manifest()
    except BallotFormatError as exc:
        problem(f"entry 0: {exc}")
        return report
    report.options = manifest.options
    _check_order(board, problem)
    key = _check_key(board, manifest, report)
    if key is not None:
        ballots = _check_ballots(board, key, workers, progress, report)
        _check_audits(board, key, ballots, report)
        tally = _check_tally(board, key, ballots, report)
        if tally is not None:
            _check_decryption(board, key, tally, len(ballots), report)
    if inclusion is None:
        report.notes.append("audit log inclusion not checked (no log proofs given)")
    else:
        for position in range(len(board.entries)):
            found = inclusion.check(position, board.leaf(position))
            if found:
                problem(f"entry {position} ({board.entries[position]['type']}): {found}")
    return report


def _check_order(board: Board, problem) -> None:
    last = 0
    for n, entry in enumerate(board.entries):
        rank = ORDER[entry["type"]]
        if entry["type"] == "manifest" and n:
            problem(f"entry {n}: a second manifest")
        elif rank < last:
            problem(f"entry {n} ({entry['type']}): out of order (after a later stage)")
        last = max(last, rank)
    for kind in ("key", "tally", "result"):
        if len(board.of_type(kind)) > 1:
            problem(f"more than one {kind} entry")


def _check_key(board: Board, manifest: Manifest, report: Report) -> ElectionKey | None:
    problem = report.problems.append
    publics: dict[int, TrusteePublic] = {}
    for pos, entry in board.of_type("trustee"):
        try:
            public = TrusteePublic.from_json(entry, manifest, f"entry {pos}")
            public.check(manifest)
        except SecessionError as exc:
            problem(f"entry {pos}: {exc}")
            continue
        if public.index in publics:
            problem(f"entry {pos}: trustee {public.index} ({public.name}) posted twice")
            continue
        publics[public.index] = public
    keys = board.of_type("key")
    if not keys:
        later = [n for n, e in enumerate(board.entries) if ORDER[e["type"]] > ORDER["key"]]
        if later:
            problem(
                f"entry {later[0]} ({board.entries[later[0]]['type']}): posted with no key entry"
            )
            return None
        report.notes.append(
            f"the election key is not set up yet ({len(publics)} of {manifest.n} trustees)"
        )
        return None
    missing = [
        f"{i} ({manifest.trustees[i - 1]})" for i in range(1, manifest.n + 1) if i not in publics
    ]
    if missing:
        problem(f"the key entry stands without valid records of trustee(s) {', '.join(missing)}")
        return None
    key = ElectionKey(manifest, tuple(publics[i] for i in sorted(publics)))
    pos, entry = keys[0]
    expected = key_entry(key)
    for name in ("joint_key", "extended_hash", "share_keys"):
        if entry.get(name) != expected[name]:
            problem(f"entry {pos} (key): {name} is not what the trustees' commitments give")
    return key


def key_entry(key: ElectionKey) -> dict:
    """The key entry the trustees' commitments determine."""
    return {
        "type": "key",
        "joint_key": key.joint_key.hex(),
        "extended_hash": key.extended_hash.hex(),
        "share_keys": [key.share_key(i).hex() for i in range(1, key.manifest.n + 1)],
    }


# --- ballots ---------------------------------------------------------------------------

# A worker process checks a range of the ballot entries. With the "fork" start method the
# workers inherit the key and the entries (nothing is sent but two numbers); elsewhere
# they rebuild them from JSON. Each returns its ballots without their proofs (the parent
# needs only encryptions, tracker and id), to keep what comes back small.
_SHARED: tuple[ElectionKey, list[tuple[int, dict]]] | None = None


def _init_worker(manifest: dict, trustees: list[dict], entries: list) -> None:
    global _SHARED
    m = Manifest.from_json(manifest)
    key = ElectionKey(m, tuple(TrusteePublic.from_json(t, m) for t in trustees))
    _SHARED = (key, entries)


def _check_range(bounds: tuple[int, int]) -> list[tuple[int, Ballot | None, str | None]]:
    key, entries = _SHARED
    out = []
    for pos, entry in entries[bounds[0] : bounds[1]]:
        pos, ballot, found = check_entry(key, pos, entry)
        if ballot is not None:
            ballot = replace(ballot, option_proofs=(), sum_proof=())
        out.append((pos, ballot, found))
    return out


def check_entry(key: ElectionKey, pos: int, entry: dict) -> tuple[int, Ballot | None, str | None]:
    """Parse and check one ballot entry: (position, ballot or None, problem or None)."""
    voter = entry.get("voter")
    who = f"voter {voter}" if isinstance(voter, str) and voter else "no voter"
    if not isinstance(voter, str) or not voter:
        return pos, None, f"entry {pos} (ballot): the voter must be a non-empty text"
    extra = set(entry) - {"type", "voter", "ballot"}
    if extra:
        return pos, None, f"entry {pos} (ballot, {who}): unknown field(s) {sorted(extra)}"
    try:
        ballot = Ballot.from_json(entry.get("ballot"), key, f"entry {pos}, ballot")
        check_ballot(key, ballot)
    except SecessionError as exc:
        text = str(exc)
        if not text.startswith(f"entry {pos}"):
            text = f"entry {pos}, {text}"
        return pos, None, f"{text} ({who})"
    return pos, ballot, None


def _check_ballots(board, key, workers, progress, report) -> list[Ballot]:
    problem = report.problems.append
    entries = board.of_type("ballot")
    results: list[tuple[int, Ballot | None, str | None]] = []
    chunk = 250
    ranges = [(i, min(i + chunk, len(entries))) for i in range(0, len(entries), chunk)]
    if workers > 1 and len(entries) > chunk:
        global _SHARED
        if "fork" in multiprocessing.get_all_start_methods():
            _SHARED = (key, entries)
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        else:  # pragma: no cover - platforms without fork
            trustees = [t.to_json() for t in key.trustees]
            pool = ProcessPoolExecutor(
                workers,
                initializer=_init_worker,
                initargs=(key.manifest.to_json(), trustees, entries),
            )
        try:
            with pool:
                for done in pool.map(_check_range, ranges):
                    results += done
                    if progress:
                        progress(len(done))
        finally:
            _SHARED = None
    else:
        for lo, hi in ranges:
            results += [check_entry(key, pos, e) for pos, e in entries[lo:hi]]
            if progress:
                progress(hi - lo)
    accepted: list[Ballot] = []
    seen_tracker: dict[bytes, int] = {}
    seen_id: dict[str, int] = {}
    seen_voter: dict[str, int] = {}
    for pos, ballot, found in results:
        if found:
            problem(found)
            continue
        voter = board.entries[pos]["voter"]
        label = f"entry {pos}, {ballot.label} (voter {voter})"
        duplicate = None
        if ballot.tracker in seen_tracker:
            duplicate = f"a duplicate of the ballot in entry {seen_tracker[ballot.tracker]}"
        elif ballot.ballot_id in seen_id:
            duplicate = f"reuses the ballot id of entry {seen_id[ballot.ballot_id]}"
        elif voter in seen_voter:
            duplicate = f"a second ballot of this voter (first in entry {seen_voter[voter]})"
        if duplicate:
            problem(f"{label}: {duplicate}")
            continue
        seen_tracker[ballot.tracker] = pos
        seen_id[ballot.ballot_id] = pos
        seen_voter[voter] = pos
        accepted.append(ballot)
    report.ballots = len(accepted)
    report.cast_voters = list(seen_voter)
    return accepted


def _check_audits(board, key, ballots, report) -> None:
    cast = {b.tracker for b in ballots}
    for pos, entry in board.of_type("audit"):
        try:
            ballot, _ = check_audit(key, entry)
        except SecessionError as exc:
            report.problems.append(f"entry {pos} (audit): {exc}")
            continue
        if ballot.tracker in cast:
            report.problems.append(
                f"entry {pos} (audit): {ballot.label} was audited and must not be counted, "
                "but it is also cast"
            )
        report.audits += 1


def _check_tally(board, key, ballots, report) -> tuple[Ciphertext, ...] | None:
    problem = report.problems.append
    tallies = board.of_type("tally")
    if not tallies:
        report.notes.append(f"voting is open: {len(ballots)} ballots so far, no tally yet")
        return None
    pos, entry = tallies[0]
    manifest = key.manifest
    voters = entry.get("voters")
    if not isinstance(voters, list) or not all(isinstance(v, str) for v in voters):
        problem(f"entry {pos} (tally): voters must be a list of texts")
        return None
    report.voters = len(voters)
    recorded, cast = set(voters), set(report.cast_voters)
    if len(recorded) != len(voters):
        problem(f"entry {pos} (tally): a voter is recorded twice")
    if recorded - cast:
        shown = ", ".join(sorted(recorded - cast)[:5])
        problem(
            f"entry {pos} (tally): {len(recorded - cast)} recorded voter(s) have no counted "
            f"ballot on the board ({shown})"
        )
    if cast - recorded:
        shown = ", ".join(sorted(cast - recorded)[:5])
        problem(
            f"entry {pos} (tally): {len(cast - recorded)} ballot(s) come from voters who are "
            f"not recorded as having voted ({shown})"
        )
    count = entry.get("ballots")
    if count != len(ballots) or count != len(voters):
        problem(
            f"entry {pos} (tally): says {count} ballots; the board holds {len(ballots)} "
            f"valid ballots and {len(voters)} recorded voters"
        )
    if manifest.eligible is not None and len(voters) > manifest.eligible:
        problem(f"entry {pos} (tally): {len(voters)} voters but {manifest.eligible} eligible")
    cts = entry.get("ciphertexts")
    if not isinstance(cts, list) or len(cts) != len(manifest.options):
        problem(f"entry {pos} (tally): expected one encrypted count per option")
        return None
    try:
        tally = tuple(
            Ciphertext.from_json(ct, f"entry {pos} (tally), option {i + 1}")
            for i, ct in enumerate(cts)
        )
    except BallotFormatError as exc:
        problem(str(exc))
        return None
    expected = encrypted_tally(ballots, len(manifest.options))
    for i, (got, want) in enumerate(zip(tally, expected, strict=True)):
        if got != want:
            problem(
                f"entry {pos} (tally), option {i + 1} ({manifest.options[i]!r}): the encrypted "
                f"count is not the product of the {len(ballots)} accepted ballots"
            )
    return tally


def _check_decryption(board, key, tally, ballots: int, report: Report) -> None:
    problem = report.problems.append
    manifest = key.manifest
    shares: dict[int, DecryptionShare] = {}
    for pos, entry in board.of_type("decryption"):
        try:
            share = DecryptionShare.from_json(entry, key, f"entry {pos}")
            check_share(key, tally, share)
        except SecessionError as exc:
            problem(f"entry {pos}: {exc}")
            continue
        if share.trustee in shares:
            problem(f"entry {pos}: trustee {share.trustee} decrypted twice")
            continue
        shares[share.trustee] = share
    results = board.of_type("result")
    if not results:
        report.notes.append(
            f"not decided yet: decryption shares from {len(shares)} of the {manifest.k} "
            "trustees needed"
        )
        return
    pos, entry = results[0]
    if len(shares) < manifest.k:
        problem(
            f"entry {pos} (result): published with valid decryption shares from only "
            f"{len(shares)} trustees; {manifest.k} are needed"
        )
        return
    try:
        counts = combine(key, tally, list(shares.values()), ballots)
    except SecessionError as exc:
        problem(f"entry {pos} (result): {exc}")
        return
    report.counts = counts
    report.decrypted_by = tuple(sorted(shares))
    if entry.get("counts") != list(counts):
        problem(
            f"entry {pos} (result): publishes counts {entry.get('counts')}; the decryption "
            f"gives {list(counts)}"
        )
    if entry.get("trustees") != sorted(shares):
        problem(f"entry {pos} (result): the trustees listed are not those whose shares verify")
    if sum(counts) < manifest.min_choices * ballots or sum(counts) > manifest.max_choices * ballots:
        problem(f"entry {pos} (result): the counts do not add up to the ballots' choices")


__all__ = ["Inclusion", "Report", "check_entry", "key_entry", "verify_board"]
