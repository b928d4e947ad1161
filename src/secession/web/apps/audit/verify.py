"""Verification of the log: every leaf recomputed from its entry, the stored subtrees and
head checked against the recomputed tree, kept signed heads proven to be prefixes of it,
and the tables replayed against it (:mod:`audit.checks`).

A kept head is what protects against someone who can write to the database: they can
recompute every hash, but not make the first ``n`` entries of a rewritten log have the
root that a head signed before the rewrite shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from secession.transparency import merkle
from secession.transparency.checkpoint import KeptHead
from secession.web.apps.audit import checks
from secession.web.apps.audit.keys import SigningKeyError, signer
from secession.web.apps.audit.leaf import entry_leaf_hash
from secession.web.apps.audit.models import NODE_STRIDE, AuditEntry, AuditHead, AuditNode
from secession.web.apps.audit.tree import consistency_proof

MAX_TABLE_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """What does not verify: ``kind`` is ``log``, ``tree``, ``head``, ``kept head`` or
    ``table``; ``seq`` the entry, ``row_id`` the audit row, ``row`` a table's row."""

    kind: str
    message: str
    seq: int | None = None
    row_id: int | None = None

    def describe(self) -> str:
        if self.kind != "table" and self.seq is not None:
            where = f"entry {self.seq}" + (f" (row id {self.row_id})" if self.row_id else "")
            return f"{where}: {self.message}"
        return self.message


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`: ``ok``, entries checked, the recomputed tree, problems
    (the first names what to look at), and what was checked."""

    ok: bool
    checked: int
    root: str
    problems: tuple[Problem, ...] = ()
    table_problems: int = 0
    checks: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @property
    def head_hash(self) -> str:
        return self.root

    @property
    def broken_seq(self) -> int | None:
        return self.first.seq if self.first else None

    @property
    def broken_id(self) -> int | None:
        return self.first.row_id if self.first else None

    @property
    def reason(self) -> str:
        return self.first.message if self.first else ""


@dataclass
class _Run:
    kept: Sequence[KeptHead]
    replay: checks.Replay | None
    problems: list[Problem] = field(default_factory=list)
    table_problems: int = 0
    pending_nodes: list[tuple[int, int, bytes]] = field(default_factory=list)
    nodes_seen: int = 0

    def table(self, found) -> None:
        for d in found:
            self.table_problems += 1
            if self.table_problems <= MAX_TABLE_PROBLEMS:
                self.problems.append(Problem("table", d.describe(), d.seq))

    def flush_nodes(self) -> None:
        if not self.pending_nodes:
            return
        by_level: dict[int, dict[int, bytes]] = defaultdict(dict)
        for level, index, h in self.pending_nodes:
            by_level[level][index] = h
        for level, wanted in by_level.items():
            stored = dict(
                AuditNode.objects.filter(level=level, index__in=list(wanted)).values_list(
                    "index", "hash"
                )
            )
            for index, h in sorted(wanted.items()):
                if stored.get(index) != h.hex():
                    what = "missing" if index not in stored else "wrong"
                    self.problems.append(
                        Problem(
                            "tree",
                            f"the stored subtree of level {level} at {index} is {what} (proofs "
                            "given from it would not verify)",
                        )
                    )
                    break
        self.nodes_seen += len(self.pending_nodes)
        self.pending_nodes.clear()


def _expected_nodes(size: int) -> int:
    return sum(size >> level for level in range(NODE_STRIDE, size.bit_length(), NODE_STRIDE))


def verify(
    kept: Sequence[KeptHead] = (),
    *,
    tables: bool = True,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Recompute the tree from the entries in storage order; check the stored subtrees, the
    head row, each ``kept`` head and (``tables``) every registered table check. Names the
    first entry that does not fit: an edited row (its content no longer gives its leaf
    hash), a deleted or reordered row (sequence numbers out of storage order), a log cut
    short or rewritten (a kept head no longer a prefix of it), a table that disagrees."""
    run = _Run(kept, checks.Replay() if tables else None)
    frontier = merkle.Frontier()
    by_size: dict[int, list[KeptHead]] = defaultdict(list)
    for k in kept:
        by_size[k.checkpoint.size].append(k)
    _compare_kept(run, by_size.get(0, ()), frontier)
    broken = False
    rows = AuditEntry.objects.order_by("id").iterator(chunk_size=2000)
    for row in rows:
        problem = _entry_problem(row, frontier.size + 1)
        if problem:
            run.problems.insert(0, Problem("log", problem, row.seq, row.id))
            broken = True
            break
        frontier.append(bytes.fromhex(row.leaf_hash))
        for level, index, h in frontier.completed:
            if level and level % NODE_STRIDE == 0:
                run.pending_nodes.append((level, index, h))
        if len(run.pending_nodes) >= 2000:
            run.flush_nodes()
        if frontier.size in by_size:
            _compare_kept(run, by_size[frontier.size], frontier)
        if run.replay is not None and run.replay.wants(row.action):
            run.table(run.replay.entry(row))
        if progress is not None and frontier.size % 5000 == 0:
            progress(frontier.size)
    if progress is not None:
        progress(frontier.size)
    root = frontier.root().hex()
    for k in kept:
        if k.checkpoint.size > frontier.size:
            how = "breaks" if broken else "ends"
            run.problems.append(
                Problem(
                    "kept head",
                    f"the log {how} at entry {frontier.size} but the head kept in {k.source} "
                    f"has {k.checkpoint.size} entries (entries were removed)",
                )
            )
    if not broken:
        run.flush_nodes()
        _check_tree_and_head(run, frontier, root)
        if run.replay is not None:
            run.table(run.replay.finish())
    return VerifyResult(
        ok=not run.problems,
        checked=frontier.size,
        root=root,
        problems=tuple(_ordered(run.problems)),
        table_problems=run.table_problems,
        checks=tuple(run.replay.checks) if run.replay else (),
        kept=tuple(k.source for k in kept),
        notes=tuple(_key_notes(kept)),
    )


_ORDER = {"log": 0, "kept head": 1, "head": 2, "tree": 3, "table": 4}


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: _ORDER[p.kind])  # stable: in order found


def _entry_problem(row: AuditEntry, expected_seq: int) -> str:
    if row.seq != expected_seq:
        return f"sequence number {row.seq} where {expected_seq} was expected"
    try:
        recomputed = entry_leaf_hash(row)
    except ValueError:  # its data or date was edited into something unreadable
        return "its content cannot be read back (edited)"
    if recomputed != row.leaf_hash:
        return "its content does not match its leaf hash (edited)"
    return ""


def _compare_kept(run: _Run, heads, frontier: merkle.Frontier) -> None:
    for k in heads:
        if frontier.root() != k.checkpoint.root:
            run.problems.append(
                Problem(
                    "kept head",
                    f"the first {k.checkpoint.size} entries no longer have the root of the "
                    f"head kept in {k.source}: the log was rewritten, reordered or cut and "
                    "regrown after that head was signed",
                )
            )


def _check_tree_and_head(run: _Run, frontier: merkle.Frontier, root: str) -> None:
    stored_nodes = AuditNode.objects.count()
    expected = _expected_nodes(frontier.size)
    if stored_nodes != expected:
        run.problems.append(
            Problem("tree", f"{stored_nodes} stored subtrees where {expected} were expected")
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if frontier.size:
            run.problems.append(
                Problem(
                    "head",
                    f"the head row is missing while the log has {frontier.size} entries "
                    "(deleted; entries at the end may have been deleted with it)",
                )
            )
        return
    if head.size != frontier.size:
        run.problems.append(
            Problem(
                "head",
                f"the log ends at entry {frontier.size} but the head records {head.size} "
                "entries (entries at the end were deleted)",
                seq=frontier.size + 1 if head.size > frontier.size else None,
            )
        )
    elif head.root != root or head.frontier != frontier.to_text():
        run.problems.append(
            Problem("head", "the head row's root or frontier does not match the entries")
        )
    if run.problems:
        return
    for k in run.kept:  # the proofs the API gives from the stored tree verify too
        path = consistency_proof(k.checkpoint.size, frontier.size)
        if not merkle.verify_consistency(
            k.checkpoint.size, frontier.size, k.checkpoint.root, bytes.fromhex(root), path
        ):
            run.problems.append(
                Problem("tree", f"the stored tree's consistency proof from {k.source} fails")
            )


def _key_notes(kept: Sequence[KeptHead]):
    """Kept heads signed under another name or key than this site's (a restore onto a new
    server without the old key file, a key replaced, or a head of another log)."""
    try:
        current = signer()
    except SigningKeyError:
        return
    key = current.verifier().key_text()
    for k in kept:
        if k.checkpoint.origin != current.name:
            yield (
                f"the head kept in {k.source} names the log {k.checkpoint.origin!r}; this "
                f"site signs as {current.name!r} (copy the old key file, or set "
                "SECESSION_AUDIT_ORIGIN, to keep one identity)"
            )
        elif k.verifier.key_text() != key:
            yield (
                f"the head kept in {k.source} was signed by another key "
                f"({k.verifier.key_text()}) than the log's current one ({key})"
            )
