"""The leaf of an entry: its canonical JSON, the bytes the Merkle tree hashes.

A JSON object with sorted keys, no spaces, ASCII only (other characters escaped as
``\\uXXXX``): ``seq``, ``created_at`` (ISO 8601 in UTC), ``actor_id``, ``action``,
``community_id``, ``target_type``, ``target_id``, ``data`` (the details as an object), and
``salt`` for private entries. Anyone holding an entry's fields can rebuild its leaf.
"""

from __future__ import annotations

import json
from datetime import UTC

from secession.transparency.merkle import leaf_hash


def leaf_text(entry) -> str:
    """The canonical JSON of ``entry``; ``ValueError`` for a row edited into values that
    cannot be read back (a date that is not a date, details that are not JSON)."""
    if entry.created_at is None:
        raise ValueError(f"entry {entry.seq}: its timestamp cannot be read")
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "community_id": entry.community_id,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": json.loads(entry.data),
    }
    if entry.salt:
        payload["salt"] = entry.salt
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def leaf_bytes(entry) -> bytes:
    return leaf_text(entry).encode("ascii")


def entry_leaf_hash(entry) -> str:
    """Hex SHA-256(0x00 || leaf) of ``entry``."""
    return leaf_hash(leaf_bytes(entry)).hex()
