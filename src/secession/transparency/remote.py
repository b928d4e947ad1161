"""Check a published log over its HTTP API, as anyone can: fetch its signed head, prove with
consistency proofs that it extends the heads you kept, and (``full``) download every
entry and recompute the whole tree. Needs only the standard library and ``cryptography``.

API used: ``GET /api/audit/head``, ``GET /api/audit/proof/consistency?first=&second=``,
``GET /api/audit?after=&limit=`` (entries with ``leaf`` and ``leaf_hash``).
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from secession.exceptions import SecessionError
from secession.transparency import merkle
from secession.transparency.checkpoint import Checkpoint, CheckpointError, KeptHead, Verifier

PAGE = 1000


class RemoteError(SecessionError):
    """The log's site cannot be reached or answers something that is not the log's API."""

    exit_code = 7


@dataclass
class RemoteResult:
    ok: bool
    head: Checkpoint
    verifier: Verifier
    problems: list[str] = field(default_factory=list)
    proven: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries_checked: int = 0


def fetch_json(url: str, *, timeout: float = 30.0):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise RemoteError(f"{url}: HTTP {exc.code} {detail}".strip()) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteError(f"cannot reach {url}: {reason}") from None
    try:
        return json.loads(body)
    except ValueError:
        raise RemoteError(f"{url} did not answer JSON") from None


def _hashes(values, url: str) -> list[bytes]:
    try:
        out = [bytes.fromhex(v) for v in values]
    except (TypeError, ValueError):
        raise RemoteError(f"{url}: a proof holds something that is not a hex hash") from None
    return out


def check(
    base_url: str,
    kept: Sequence[KeptHead] = (),
    *,
    pinned: Verifier | None = None,
    full: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RemoteResult:
    """Check the log at ``base_url`` (e.g. ``https://vote.example.org``)."""
    base = base_url.rstrip("/")
    doc = fetch_json(f"{base}/api/audit/head")
    if not isinstance(doc, dict) or not isinstance(doc.get("checkpoint"), str):
        raise RemoteError(f"{base}/api/audit/head is not a signed head")
    verifier = pinned or (kept[0].verifier if kept else None)
    notes = []
    if verifier is None:
        verifier = Verifier.parse(str(doc.get("verifier_key", "")))
        notes.append(
            "no kept head or --key: the site's own key was trusted for this first look; keep "
            "this head (and its key) to check the log against later"
        )
    try:
        head = verifier.open(doc["checkpoint"])
    except CheckpointError as exc:
        raise CheckpointError(f"the site's current head: {exc}") from None
    result = RemoteResult(True, head, verifier, notes=notes)
    for k in kept:
        if k.checkpoint.origin != head.origin:
            result.problems.append(f"{k.source} is a head of another log ({k.checkpoint.origin})")
        elif k.checkpoint.size > head.size:
            result.problems.append(
                f"the log now has {head.size} entries but {k.source} showed "
                f"{k.checkpoint.size}: entries were removed"
            )
        else:
            url = f"{base}/api/audit/proof/consistency?first={k.checkpoint.size}&second={head.size}"
            proof = fetch_json(url)
            path = _hashes(proof.get("path", []) if isinstance(proof, dict) else None, url)
            if merkle.verify_consistency(
                k.checkpoint.size, head.size, k.checkpoint.root, head.root, path
            ):
                result.proven.append(k.source)
            else:
                result.problems.append(
                    f"the log's consistency proof from {k.source} ({k.checkpoint.size} "
                    f"entries) to its current head ({head.size}) does not verify: the log "
                    "no longer begins with what that head showed"
                )
    if full:
        _full(base, head, kept, result, progress)
    result.ok = not result.problems
    return result


def _full(base, head: Checkpoint, kept, result: RemoteResult, progress) -> None:
    """Download the entries up to the head's size and recompute the tree."""
    frontier = merkle.Frontier()
    wanted = {k.checkpoint.size: k for k in kept if k.checkpoint.size <= head.size}
    while frontier.size < head.size:
        limit = min(PAGE, head.size - frontier.size)
        url = f"{base}/api/audit?after={frontier.size}&limit={limit}"
        rows = fetch_json(url)
        if not isinstance(rows, list) or not rows:
            result.problems.append(f"{url} gave no entries; the head has {head.size}")
            return
        for row in rows:
            if frontier.size == head.size:
                break
            problem = _leaf_problem(row, frontier.size + 1)
            if problem:
                result.problems.append(f"entry {frontier.size + 1}: {problem}")
                return
            frontier.append(bytes.fromhex(row["leaf_hash"]))
            k = wanted.get(frontier.size)
            if k is not None and frontier.root() != k.checkpoint.root:
                result.problems.append(
                    f"the first {frontier.size} entries do not give the root of {k.source}"
                )
        if progress is not None:
            progress(frontier.size, head.size)
    result.entries_checked = frontier.size
    if frontier.root() != head.root:
        result.problems.append("the entries do not give the root of the signed head")


def _leaf_problem(row, expected_seq: int) -> str:
    if not isinstance(row, dict) or row.get("seq") != expected_seq:
        got = row.get("seq") if isinstance(row, dict) else row
        return f"the site gave entry {got!r} where {expected_seq} was expected"
    leaf_hash = row.get("leaf_hash")
    if not isinstance(leaf_hash, str) or len(leaf_hash) != 64:
        return "no leaf hash"
    leaf = row.get("leaf")
    if leaf is None:
        return "" if row.get("private") else "no leaf text for a public entry"
    digest = hashlib.sha256(b"\x00" + leaf.encode("utf-8")).hexdigest()
    if digest != leaf_hash:
        return "its leaf text does not give its leaf hash"
    try:
        content = json.loads(leaf)
    except ValueError:
        return "its leaf is not JSON"
    shown = {k: row.get(k) for k in ("action", "actor_id", "community_id", "target_id")}
    if content.get("seq") != expected_seq or any(content.get(k) != v for k, v in shown.items()):
        return "the fields shown differ from its leaf"
    return ""


def parse_base_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"not a site address: {url!r} (give e.g. https://vote.example.org)")
    return url
