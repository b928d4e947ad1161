"""The bulletin boards against the log: every board entry was posted in the log (its
position, type and the SHA-256 of its canonical JSON), none is missing or added, and a
decided verifiable vote's counts are the ones its board's result entry shows.

The cryptography (ballot proofs, decryption shares, the tally) is checked by
``secession ballots verify``; this check ties what it verifies to the log."""

from __future__ import annotations

import hashlib

from secession.ballots.hashing import canonical_json
from secession.web.apps.audit.checks import Disagreement, TableCheck
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.verifiable import events
from secession.web.apps.verifiable.actions import OPTIONS
from secession.web.apps.verifiable.models import Election, Entry

ENTRIES = Entry._meta.db_table
ELECTIONS = Election._meta.db_table


class BoardCheck(TableCheck):
    actions = frozenset({events.ENTRY_POSTED})

    def __init__(self) -> None:
        self.posted: dict[int, dict[int, tuple[str, str, int]]] = {}  # proposal -> position

    def entry(self, e):
        if e.target_pk is None:
            return ()
        board = self.posted.setdefault(e.target_pk, {})
        position = e.data.get("position")
        if position in board:
            return [
                Disagreement(
                    ENTRIES,
                    "",
                    f"the log posts position {position} of proposal {e.target_id}'s board twice",
                    e.seq,
                )
            ]
        board[position] = (e.data.get("type"), e.data.get("sha256"), e.seq)
        return ()

    def finish(self):
        elections = Election.objects.order_by("id").values_list("id", "proposal_id", "length")
        for eid, pid, length in elections.iterator(chunk_size=500):
            board = self.posted.pop(pid, {})
            if length != len(board):
                yield Disagreement(
                    ELECTIONS, str(eid), f"a board of {length} entries; the log posted {len(board)}"
                )
            result = None
            rows = Entry.objects.filter(election_id=eid).order_by("position")
            for rid, position, kind, data in rows.values_list(
                "id", "position", "kind", "data"
            ).iterator(chunk_size=500):
                logged = board.pop(position, None)
                digest = hashlib.sha256(canonical_json(data)).hexdigest()
                if logged is None:
                    yield Disagreement(
                        ENTRIES,
                        str(rid),
                        f"position {position} of proposal "
                        f"{pid}'s board was never posted in the log",
                    )
                elif (kind, digest) != logged[:2]:
                    yield Disagreement(
                        ENTRIES,
                        str(rid),
                        f"position {position} of proposal "
                        f"{pid}'s board differs from what the log posted",
                        logged[2],
                    )
                if kind == "result":
                    result = data
            for position, (_, _, seq) in sorted(board.items()):
                yield Disagreement(
                    ENTRIES,
                    "",
                    f"the log posted position {position} of "
                    f"proposal {pid}'s board; it is not there",
                    seq,
                )
            yield from _counts(pid, result)
        for pid, board in sorted(self.posted.items()):
            yield Disagreement(
                ELECTIONS,
                "",
                f"the log posts to proposal {pid}'s board; there is no such election",
                min(s for _, _, s in board.values()),
            )


def _counts(pid: int, result: dict | None):
    """A decided vote's counts are those of its board's result entry."""
    stored = Proposal.objects.filter(pk=pid).values_list("result", flat=True).first() or {}
    counts = stored.get("counts") if isinstance(stored, dict) else None
    if result is None and counts is None:
        return
    board = dict(zip(OPTIONS, (result or {}).get("counts") or [], strict=False))
    if counts != board:
        yield Disagreement(
            Proposal._meta.db_table,
            str(pid),
            f"counts {counts} in the table; its board's result shows {board or None}",
        )
