"""Check a static snapshot on its own: every file against the manifest, the signed head's
signature, each entry's leaf and inclusion proof against that head, and the facts of the
data files replayed against the entries (:mod:`secession.snapshot.replay`).

What this proves and what it cannot: the head is what the site signed, and every entry in
the snapshot is in the tree it signed, so its facts (joins, leaves, results, public votes)
are the log's. The manifest is not signed: it catches damage and edits that leave it
alone; an edit of a data file's facts is caught by the replay even with the manifest
rewritten; an edit of a page (HTML) with the manifest rewritten is not. That the snapshot
holds *every* entry of its subject cannot be proven from the snapshot alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secession.snapshot.replay import Entry, Problem, replays
from secession.transparency import merkle
from secession.transparency.checkpoint import CheckpointError, Verifier, open_head

MANIFEST = "snapshot.json"
HEAD, CHECKPOINT, PROOFS, ENTRIES = (
    "audit/head.json",
    "audit/checkpoint.txt",
    "audit/proofs.json",
    "data/audit.json",
)
LEAF_FIELDS = ("action", "actor_id", "community_id", "target_type", "target_id", "data")


@dataclass
class SnapshotResult:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    entries: int = 0
    tree_size: int | None = None
    root: str = ""
    key: str = ""
    replayed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Stop(Exception):
    """Nothing further can be checked (the problem is already listed)."""


def _json(root: Path, name: str, result: SnapshotResult) -> Any:
    try:
        return json.loads((root / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        result.problems.append(Problem(name, "", "missing"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        result.problems.append(Problem(name, "", f"cannot be read as JSON ({exc})"))
    return None


def verify_snapshot(root: Path, pinned: Verifier | None = None) -> SnapshotResult:
    """Check the snapshot in ``root``; every problem names its file and element."""
    result = SnapshotResult()
    with contextlib.suppress(_Stop):
        _check(root, pinned, result)
    return result


def _check(root: Path, pinned: Verifier | None, result: SnapshotResult) -> None:
    if not (root / MANIFEST).is_file():
        result.problems.append(
            Problem(
                str(root), "", f"not a snapshot: no {MANIFEST} (write one with `secession publish`)"
            )
        )
        raise _Stop
    manifest = _json(root, MANIFEST, result)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        result.problems.append(Problem(MANIFEST, "files", "no list of files"))
        raise _Stop
    _files(root, manifest["files"], result)
    checkpoint = _head(root, pinned, result)
    proofs = _proofs(root, checkpoint, result)
    entries = _entries(root, proofs, result)
    data = {}
    for name in sorted(manifest["files"]):
        if name.startswith("data/") and name.endswith(".json") and name != ENTRIES:
            doc = _json(root, name, result)
            if doc is not None:
                data[name[len("data/") : -len(".json")]] = doc
    for name, replay in replays().items():
        found = list(replay(entries, data))
        result.problems.extend(found)
        result.replayed.append(name)


def _files(root: Path, files: dict[str, Any], result: SnapshotResult) -> None:
    for name, digest in sorted(files.items()):
        path = root / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            result.problems.append(Problem(MANIFEST, name, "a file outside the snapshot"))
        elif not path.is_file():
            result.problems.append(Problem(name, "", "missing (listed in the manifest)"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            result.problems.append(
                Problem(
                    name,
                    "",
                    "changed since it was published (its SHA-256 differs from the manifest's)",
                )
            )
        result.files += 1
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name != MANIFEST and name not in files:
            result.problems.append(
                Problem(name, "", "not part of the snapshot (not in the manifest)")
            )


def _head(root: Path, pinned: Verifier | None, result: SnapshotResult):
    try:
        text = (root / HEAD).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        result.problems.append(Problem(HEAD, "", "missing or unreadable: nothing can be checked"))
        raise _Stop from None
    try:
        kept = open_head(text, source=HEAD, pinned=pinned)
    except CheckpointError as exc:
        result.problems.append(Problem(HEAD, "signature", str(exc).removeprefix(f"{HEAD}: ")))
        raise _Stop from None
    try:
        note = (root / CHECKPOINT).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        note = None
    if note != json.loads(text).get("checkpoint"):
        result.problems.append(Problem(CHECKPOINT, "", "differs from the signed note in the head"))
    result.tree_size = kept.checkpoint.size
    result.root = kept.checkpoint.root.hex()
    result.key = kept.verifier.key_text()
    return kept.checkpoint


def _proofs(root: Path, checkpoint, result: SnapshotResult) -> dict[int, bytes]:
    doc = _json(root, PROOFS, result)
    if not isinstance(doc, dict) or not isinstance(doc.get("proofs"), list):
        result.problems.append(Problem(PROOFS, "proofs", "no list of proofs"))
        raise _Stop
    if doc.get("tree_size") != checkpoint.size:
        result.problems.append(
            Problem(
                PROOFS,
                "tree_size",
                f"{doc.get('tree_size')!r}, not the signed head's {checkpoint.size}",
            )
        )
    proven: dict[int, bytes] = {}
    for n, proof in enumerate(doc["proofs"], 1):
        try:
            seq, leaf = int(proof["seq"]), bytes.fromhex(proof["leaf_hash"])
            path = [bytes.fromhex(p) for p in proof["path"]]
        except (KeyError, TypeError, ValueError):
            result.problems.append(
                Problem(PROOFS, f"proof {n}", "not a proof (seq, leaf_hash, path)")
            )
            continue
        if not merkle.verify_inclusion(leaf, seq - 1, checkpoint.size, path, checkpoint.root):
            result.problems.append(
                Problem(
                    PROOFS,
                    f"entry {seq}",
                    "its inclusion proof does not verify against the signed head",
                )
            )
            continue
        proven[seq] = leaf
    return proven


def _entries(root: Path, proven: dict[int, bytes], result: SnapshotResult) -> list[Entry]:
    doc = _json(root, ENTRIES, result)
    rows = doc.get("rows") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        result.problems.append(Problem(ENTRIES, "rows", "no list of entries"))
        raise _Stop
    entries, seen = [], set()
    for n, row in enumerate(rows, 1):
        seq = row.get("seq") if isinstance(row, dict) else None
        element = f"entry {seq}" if isinstance(seq, int) else f"row {n}"
        seen.add(seq)
        if seq not in proven:
            result.problems.append(Problem(ENTRIES, element, "no inclusion proof verifies it"))
            continue
        if row.get("leaf_hash") != proven[seq].hex():
            result.problems.append(Problem(ENTRIES, element, "its leaf hash is not the proven one"))
            continue
        result.entries += 1
        if row.get("leaf") is None:
            continue  # a private entry: its number and leaf hash, proven above
        entry = _entry(row, proven[seq], element, result)
        if entry is not None:
            entries.append(entry)
    for seq in sorted(set(proven) - seen):
        result.problems.append(
            Problem(ENTRIES, f"entry {seq}", "proven in audit/proofs.json but missing")
        )
    return entries


def _entry(
    row: dict[str, Any], leaf_hash: bytes, element: str, result: SnapshotResult
) -> Entry | None:
    leaf = row["leaf"]
    if not isinstance(leaf, str) or merkle.leaf_hash(leaf.encode("utf-8")) != leaf_hash:
        result.problems.append(
            Problem(ENTRIES, element, "its leaf does not hash to its proven leaf hash")
        )
        return None
    fields = json.loads(leaf)
    for name in LEAF_FIELDS:
        if row.get(name) != fields.get(name):
            result.problems.append(
                Problem(
                    ENTRIES,
                    element,
                    f"{name} {row.get(name)!r} differs from its leaf's {fields.get(name)!r}",
                )
            )
    data = fields.get("data") if isinstance(fields.get("data"), dict) else {}
    return Entry(
        fields["seq"],
        fields["action"],
        fields["actor_id"],
        str(row.get("actor") or ""),
        str(fields["target_id"]),
        data,
        fields.get("community_id"),
    )
