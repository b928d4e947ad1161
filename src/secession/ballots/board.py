"""The bulletin board: one canonical, versioned JSON document (format ``secession-ballot-board``,
version 1), a list of entries in the order they were posted.

::

    {"format": "secession-ballot-board", "version": 1, "entries": [
      {"type": "manifest", ...},                        # what is asked, trustees, threshold
      {"type": "trustee", "index": 1, ...}, ...          # one per trustee: commitments, proofs
      {"type": "key", "joint_key": ..., ...},            # joint key K, H_E, share keys K_l
      {"type": "ballot", "voter": ..., "ballot": {...}}  # each cast ballot, with its tracker
      {"type": "audit", "ballot": {...}, ...}            # audited (Benaloh) ballots, not counted
      {"type": "tally", "ballots": N, "voters": [...], "ciphertexts": [...]}
      {"type": "decryption", "trustee": l, "shares": [...]}, ...   # at least k
      {"type": "result", "counts": [...], "trustees": [...]}
    ]}

Every value is a string, an integer, a list or an object; points, scalars and hashes are
lower-case hexadecimal. An entry's bytes are its canonical JSON (RFC 8785 for these values,
:func:`secession.ballots.hashing.canonical_json`): these are what the platform's Merkle audit
log records, one log entry per board entry, so anyone holding a log head can check that the
board they downloaded is the one that was logged (:mod:`secession.ballots.verify`).
Field by field: ``docs/ballots.md``.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from secession.ballots.errors import BallotFormatError
from secession.ballots.hashing import canonical_json
from secession.ballots.manifest import Manifest

FORMAT = "secession-ballot-board"
VERSION = 1
ENTRY_TYPES = ("manifest", "trustee", "key", "ballot", "audit", "tally", "decryption", "result")
PHASES = ("setup", "voting", "tallied", "decided")


@dataclass
class Board:
    """The entries of one election's board, in posting order."""

    entries: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "entries": self.entries}

    @classmethod
    def from_json(cls, data: object, source: str = "board") -> Board:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BallotFormatError(f"{source}: not a ballot board (format {FORMAT!r})")
        if data.get("version") != VERSION:
            raise BallotFormatError(
                f"{source}: board version {data.get('version')!r}; this program reads "
                f"version {VERSION}"
            )
        entries = data.get("entries")
        if not isinstance(entries, list) or not entries:
            raise BallotFormatError(f"{source}: entries must be a non-empty list")
        for n, entry in enumerate(entries):
            if not isinstance(entry, dict) or entry.get("type") not in ENTRY_TYPES:
                raise BallotFormatError(
                    f"{source}: entry {n} has no known type (one of {', '.join(ENTRY_TYPES)})"
                )
        if entries[0]["type"] != "manifest":
            raise BallotFormatError(f"{source}: entry 0 must be the manifest")
        return cls(list(entries))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Board:
        return cls.from_json(read_json(path), str(path))

    def save(self, path: str | os.PathLike) -> None:
        """Write the board atomically (a crash leaves the old file whole), compactly."""
        write_json(path, self.to_json(), compact=True)

    # --- reading -----------------------------------------------------------------------

    def manifest(self) -> Manifest:
        return Manifest.from_json(self.entries[0])

    def of_type(self, kind: str) -> list[tuple[int, dict]]:
        """(position, entry) of every entry of this type."""
        return [(n, e) for n, e in enumerate(self.entries) if e.get("type") == kind]

    @property
    def phase(self) -> str:
        kinds = {e["type"] for e in self.entries}
        if "result" in kinds:
            return "decided"
        if "tally" in kinds:
            return "tallied"
        if "key" in kinds:
            return "voting"
        return "setup"

    def leaf(self, position: int) -> bytes:
        """The bytes the audit log records for one entry (its canonical JSON)."""
        return canonical_json(self.entries[position])

    def append(self, entry: dict) -> int:
        self.entries.append(entry)
        return len(self.entries) - 1


def read_json(path: str | os.PathLike) -> object:
    """Parse a JSON file; a missing or malformed one raises naming it (and the line)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BallotFormatError(f"{p}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BallotFormatError(f"{p}: cannot read ({exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BallotFormatError(
            f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise BallotFormatError(f"{p}: JSON nested too deeply") from None


def write_json(
    path: str | os.PathLike, value: object, private: bool = False, compact: bool = False
) -> None:
    """Write JSON atomically; ``private`` files (trustee secrets) are readable by the owner
    only; ``compact`` ones (boards) have one entry a line."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if compact and isinstance(value, dict) and "entries" in value:
                head = {k: v for k, v in value.items() if k != "entries"}
                out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": [\n')
                lines = (
                    json.dumps(e, ensure_ascii=False, separators=(",", ":"))
                    for e in value["entries"]
                )
                out.write(",\n".join(lines))
                out.write("\n]}\n")
            else:
                json.dump(value, out, indent=1, ensure_ascii=False)
                out.write("\n")
        if private:
            os.chmod(tmp, 0o600)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
