"""Replays are a registry: each checks the facts of a snapshot's data files against the
audit entries the snapshot carries (their leaves, already proven to be in the signed tree).

A replay takes the snapshot's entries (:class:`Entry`, in sequence order) and its JSON
data files by dataset name, and yields :class:`Problem`s naming the file and the element.
Event names are the log's (stored in every leaf; the web apps never rename one). Today:
memberships, proposals and their results, public votes; the registry's declarations (each
against its publishing entry and the closing entry of its vote) and recognitions (each
against the entry that made it and the one that withdrew it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

REMOVED = "removed account"


@dataclass(frozen=True)
class Problem:
    file: str
    element: str
    message: str

    def describe(self) -> str:
        where = f"{self.file}, {self.element}" if self.element else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Entry:
    """A proven entry: its leaf's fields, and the actor's name as the snapshot shows it."""

    seq: int
    action: str
    actor_id: int | None
    actor: str
    target_id: str
    data: dict[str, Any]
    community_id: int | None = None


Replay = Callable[[list[Entry], dict[str, Any]], Iterator[Problem]]
_REPLAYS: dict[str, Replay] = {}


def register_replay(name: str, replay: Replay) -> None:
    _REPLAYS[name] = replay


def replays() -> dict[str, Replay]:
    return dict(_REPLAYS)


def _person(name: str) -> str:
    return REMOVED if name.startswith(REMOVED) else name


def _rows(data: dict[str, Any], name: str) -> list[dict[str, Any]] | None:
    doc = data.get(name)
    if doc is None:
        return None
    rows = doc.get("rows") if isinstance(doc, dict) else None
    return rows if isinstance(rows, list) else []


def memberships(entries: list[Entry], data: dict[str, Any]) -> Iterator[Problem]:
    """Each person's periods of membership (how many, how many still open) as the joins and
    leaves in the log say."""
    rows = _rows(data, "memberships")
    if rows is None:
        return
    file = "data/memberships.json"
    logged: dict[str, list[bool]] = defaultdict(list)  # person -> [open?] per period
    for e in entries:
        periods = logged[_person(e.actor)]
        if e.action == "membership.joined":
            periods.append(True)
        elif e.action == "membership.left" and True in periods:
            periods[len(periods) - 1 - periods[::-1].index(True)] = False
    logged = {k: v for k, v in logged.items() if v}
    shown: dict[str, list[bool]] = defaultdict(list)
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("person"), str):
            yield Problem(file, f"row {n}", "not a membership (no person)")
            continue
        shown[_person(row["person"])].append(not row.get("left_at"))
    for person in sorted(set(logged) | set(shown)):
        want, have = logged.get(person, []), shown.get(person, [])
        if (len(want), sum(want)) != (len(have), sum(have)):
            yield Problem(
                file,
                f"person {person!r}",
                f"{len(have)} membership(s), {sum(have)} current, in the file; the log's "
                f"entries say {len(want)}, {sum(want)} current",
            )


def proposals(entries: list[Entry], data: dict[str, Any]) -> Iterator[Problem]:
    """Each proposal as opened, and each result as the closing entry recorded it."""
    rows = _rows(data, "proposals")
    if rows is None:
        return
    file = "data/proposals.json"
    opened = {e.target_id: e for e in entries if e.action == "proposal.opened"}
    closed = {e.target_id: e for e in entries if e.action == "proposal.closed"}
    seen = set()
    for n, row in enumerate(rows, 1):
        key = str(row.get("id")) if isinstance(row, dict) else ""
        element = f"proposal {key}" if key else f"row {n}"
        seen.add(key)
        start = opened.get(key)
        if start is None:
            yield Problem(file, element, "no proposal.opened entry in the snapshot backs it")
            continue
        for field in ("title", "kind", "secret", "verifiable"):
            if row.get(field) != start.data.get(field):
                yield Problem(
                    file,
                    element,
                    f"{field} {row.get(field)!r} in the file, {start.data.get(field)!r} in "
                    f"entry {start.seq}",
                )
        end = closed.get(key)
        if (row.get("status") == "closed") != (end is not None):
            yield Problem(
                file,
                element,
                f"status {row.get('status')!r} in the file, but "
                + (f"entry {end.seq} closed it" if end else "no entry closed it"),
            )
            continue
        if end is None:
            continue
        if row.get("passed") != end.data.get("passed"):
            yield Problem(
                file,
                element,
                f"passed={row.get('passed')!r} in the file, {end.data.get('passed')!r} in "
                f"entry {end.seq}",
            )
        yield from _totals(file, element, row, end)
    for key in sorted(set(opened) - seen, key=lambda k: (len(k), k)):
        yield Problem(file, f"proposal {key}", f"opened in entry {opened[key].seq}, missing")


def _totals(file: str, element: str, row: dict[str, Any], end: Entry) -> Iterator[Problem]:
    """The yes/no/abstain counts of ``row`` against those of the closing entry ``end``."""
    totals = (end.data.get("result") or {}).get("totals") or {}
    for choice in ("yes", "no", "abstain"):
        if choice in totals and row.get(choice) != totals[choice]:
            yield Problem(
                file,
                element,
                f"{choice} = {row.get(choice)!r} in the file, {totals[choice]!r} in entry "
                f"{end.seq}",
            )


def votes(entries: list[Entry], data: dict[str, Any]) -> Iterator[Problem]:
    """Every public vote as cast in the log (the last entry of a voter counts)."""
    rows = _rows(data, "votes")
    if rows is None:
        return
    file = "data/votes.json"
    cast: dict[tuple[str, str], tuple[str, int]] = {}
    for e in entries:
        if e.action == "vote.cast" and "choice" in e.data:
            cast[(e.target_id, _person(e.actor))] = (e.data["choice"], e.seq)
    shown: dict[tuple[str, str], str] = {}
    for row in rows:
        if isinstance(row, dict):
            shown[(str(row.get("proposal")), _person(str(row.get("voter"))))] = row.get("choice")
    for key in sorted(set(cast) | set(shown)):
        proposal, voter = key
        element = f"proposal {proposal}, voter {voter!r}"
        if key not in cast:
            yield Problem(file, element, f"choice {shown[key]!r}, but no vote.cast entry backs it")
        elif key not in shown:
            yield Problem(file, element, f"voted {cast[key][0]!r} in entry {cast[key][1]}, missing")
        elif shown[key] != cast[key][0]:
            yield Problem(
                file,
                element,
                f"choice {shown[key]!r} in the file, {cast[key][0]!r} in entry {cast[key][1]}",
            )


DECLARED = "registry.declaration_published"
RECOGNISED = "registry.recognised"
WITHDRAWN = "registry.recognition_withdrawn"
DECLARATION_FIELDS = ("kind", "title", "proposal", "supersedes", "separates_from", "land")


def _differs(file: str, element: str, row: dict, entry: Entry, pairs) -> Iterator[Problem]:
    """A problem for each (column, entry field) where the row and the entry's data differ."""
    for column, key in pairs:
        if row.get(column) != entry.data.get(key):
            yield Problem(
                file,
                element,
                f"{column} {row.get(column)!r} in the file, {entry.data.get(key)!r} in entry "
                f"{entry.seq}",
            )


def declarations(entries: list[Entry], data: dict[str, Any]) -> Iterator[Problem]:
    """Each declaration as its publishing entry recorded it, and its vote as the closing
    entry of that vote recorded it (passed, yes/no/abstain)."""
    rows = _rows(data, "declarations")
    if rows is None:
        return
    file = "data/declarations.json"
    by_seq = {e.seq: e for e in entries}
    published = {e.target_id: e for e in entries if e.action == DECLARED}
    seen = set()
    for n, row in enumerate(rows, 1):
        key = str(row.get("id")) if isinstance(row, dict) else ""
        element = f"declaration {key}" if key else f"row {n}"
        seen.add(key)
        entry = published.get(key)
        if entry is None:
            yield Problem(file, element, f"no {DECLARED} entry in the snapshot backs it")
            continue
        yield from _differs(
            file,
            element,
            row,
            entry,
            [(f, f) for f in DECLARATION_FIELDS] + [("claimed_by", "claimed_by")],
        )
        if row.get("people_id") != entry.community_id:
            yield Problem(
                file,
                element,
                f"people_id {row.get('people_id')!r} in the file, {entry.community_id!r} in "
                f"entry {entry.seq}",
            )
        vote = by_seq.get(row.get("vote_entry")) if isinstance(row.get("vote_entry"), int) else None
        if vote is None or vote.action != "proposal.closed":
            yield Problem(
                file, element, f"its vote's entry {row.get('vote_entry')!r} is not in the snapshot"
            )
            continue
        if vote.target_id != str(row.get("proposal")) or entry.data.get("vote_entry") != vote.seq:
            yield Problem(
                file, element, f"entry {vote.seq} closed another vote than this declaration's"
            )
        if vote.data.get("passed") is not True:
            yield Problem(file, element, f"entry {vote.seq} says its vote did not pass")
        yield from _totals(file, element, row, vote)
    for key in sorted(set(published) - seen, key=lambda k: (len(k), k)):
        yield Problem(
            file, f"declaration {key}", f"published in entry {published[key].seq}, missing"
        )


RECOGNITION_FIELDS = (
    ("recogniser_type", "recogniser_type"),
    ("recogniser_id", "recogniser_id"),
    ("recogniser", "recogniser"),
    ("proposal", "proposal"),
    ("decision", "decision"),
)


def recognitions(entries: list[Entry], data: dict[str, Any]) -> Iterator[Problem]:
    """Each recognition as the entry that made it recorded it (who, whom, by which vote),
    and each withdrawal as its own entry did; a withdrawal in the log is one in the file."""
    rows = _rows(data, "recognitions")
    if rows is None:
        return
    file = "data/recognitions.json"
    made = {e.seq: e for e in entries if e.action == RECOGNISED}
    withdrawn = {e.data.get("recognition"): e for e in entries if e.action == WITHDRAWN}
    seen = set()
    for n, row in enumerate(rows, 1):
        key = str(row.get("id")) if isinstance(row, dict) else ""
        element = f"recognition {key}" if key else f"row {n}"
        if not isinstance(row, dict):
            yield Problem(file, element, "not a recognition")
            continue
        entry = made.get(row.get("audit_seq"))
        seen.add(row.get("audit_seq"))
        if entry is None:
            yield Problem(
                file, element, f"no {RECOGNISED} entry {row.get('audit_seq')!r} in the snapshot"
            )
            continue
        if str(row.get("recognised_id")) != entry.target_id:
            yield Problem(
                file,
                element,
                f"recognised_id {row.get('recognised_id')!r} in the file, {entry.target_id!r} "
                f"in entry {entry.seq}",
            )
        yield from _differs(file, element, row, entry, RECOGNITION_FIELDS)
        end = withdrawn.get(row.get("id"))
        if (row.get("withdrawn_at") is not None) != (end is not None):
            yield Problem(
                file,
                element,
                f"withdrawn_at {row.get('withdrawn_at')!r} in the file, but "
                + (f"entry {end.seq} withdrew it" if end else "no entry withdrew it"),
            )
            continue
        if end is not None:
            if row.get("withdrawal_audit_seq") != end.seq:
                yield Problem(
                    file, element, f"withdrawal_audit_seq is not its withdrawal's entry {end.seq}"
                )
            yield from _differs(
                file,
                element,
                row,
                end,
                [("withdrawal_proposal", "proposal"), ("withdrawal_decision", "decision")],
            )
    for seq in sorted(set(made) - seen):
        yield Problem(file, f"entry {seq}", "a recognition made in this entry is missing")


register_replay("memberships", memberships)
register_replay("proposals", proposals)
register_replay("votes", votes)
register_replay("declarations", declarations)
register_replay("recognitions", recognitions)
