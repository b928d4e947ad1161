"""The stored Merkle tree: appending under the head lock, roots and proofs from the rows.

Append costs O(log n): the head keeps the frontier; each completed perfect subtree whose
level is a multiple of :data:`NODE_STRIDE` is stored. A proof needs O(log n) subtree hashes;
each is read from at most ``2**(NODE_STRIDE - 1)`` stored rows, in a few queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q

from secession.transparency import merkle
from secession.web.apps.audit.models import NODE_STRIDE, AuditEntry, AuditHead, AuditNode

_DUMMY = b"\x00" * merkle.HASH_SIZE


class TreeSizeError(ValueError):
    """A proof was asked of a tree size or leaf the log does not have."""


def stored_node_rows(frontier: merkle.Frontier) -> list[AuditNode]:
    """The rows to store for the subtrees the frontier's last append completed."""
    return [
        AuditNode(level=level, index=index, hash=h.hex())
        for level, index, h in frontier.completed
        if level and level % NODE_STRIDE == 0
    ]


def _perfect_hashes(pieces: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Hashes of perfect subtrees ``(level, index)``, from stored leaves and nodes."""
    pieces = set(pieces)
    leaves: set[int] = set()
    nodes: dict[int, set[int]] = defaultdict(set)
    for level, index in pieces:
        r = level % NODE_STRIDE
        children = range(index << r, (index + 1) << r)
        (leaves.update if level < NODE_STRIDE else nodes[level - r].update)(children)
    known: dict[tuple[int, int], bytes] = {}
    if leaves:
        rows = AuditEntry.objects.filter(seq__in=[i + 1 for i in leaves])
        for seq, h in rows.values_list("seq", "leaf_hash"):
            known[(0, seq - 1)] = bytes.fromhex(h)
    if nodes:
        query = Q()
        for level, indexes in nodes.items():
            query |= Q(level=level, index__in=sorted(indexes))
        for level, index, h in AuditNode.objects.filter(query).values_list(
            "level", "index", "hash"
        ):
            known[(level, index)] = bytes.fromhex(h)
    result = {}
    for level, index in pieces:
        r = level % NODE_STRIDE
        base = level - r
        layer = [known.get((base, i)) for i in range(index << r, (index + 1) << r)]
        if any(h is None for h in layer):
            raise TreeSizeError(f"the stored tree lacks part of subtree {level}/{index}")
        while len(layer) > 1:
            layer = [merkle.node_hash(layer[i], layer[i + 1]) for i in range(0, len(layer), 2)]
        result[(level, index)] = layer[0]
    return result


def _with_stored_nodes(
    build: Callable[[merkle.NodeLookup], list[bytes]], also: Iterable[tuple[int, int]] = ()
) -> tuple[list[bytes], dict[tuple[int, int], bytes]]:
    """Run a proof builder twice: once to learn the subtrees it needs, once with them (read
    in one pass, with the perfect subtrees ``also`` asked for)."""
    wanted: list[tuple[int, int]] = []
    build(lambda start, end: wanted.append((start, end)) or _DUMMY)
    pieces = {(s, e): merkle.perfect_pieces(s, e) for s, e in wanted}
    hashes = _perfect_hashes([*(p for ps in pieces.values() for p in ps), *also])
    path = build(lambda start, end: merkle.fold([hashes[p] for p in pieces[(start, end)]]))
    return path, hashes


def current_size() -> int:
    head = AuditHead.objects.filter(pk=1).only("size").first()
    return head.size if head else 0


def _size(size: int | None) -> int:
    """``size``, or the current size when None; TreeSizeError beyond the log."""
    have = current_size()
    if size is None:
        return have
    if not 0 <= size <= have:
        raise TreeSizeError(f"the log has {have} entries, not {size}")
    return size


def root_at(size: int) -> bytes:
    """The root of the tree of the first ``size`` entries, from the stored subtrees."""
    _size(size)
    pieces = merkle.perfect_pieces(0, size)
    hashes = _perfect_hashes(pieces)
    return merkle.fold([hashes[p] for p in pieces])


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]

    @property
    def leaf_index(self) -> int:
        return self.seq - 1


def inclusion_proof(seq: int, tree_size: int | None = None) -> InclusionProof:
    """Proof that entry ``seq`` is leaf ``seq - 1`` of the tree of ``tree_size`` entries
    (default: the current size)."""
    size = _size(tree_size)
    if not 1 <= seq <= size:
        raise TreeSizeError(f"entry {seq} is not in a tree of {size} entries")
    leaf = (0, seq - 1)
    path, hashes = _with_stored_nodes(
        lambda node: merkle.inclusion_path(seq - 1, size, node), also=[leaf]
    )
    return InclusionProof(seq, size, hashes[leaf], path)


def consistency_proof(first: int, second: int | None = None) -> list[bytes]:
    """Proof that the tree of ``second`` entries (default: current) extends that of
    ``first``."""
    second = _size(second)
    if not 0 <= first <= second:
        raise TreeSizeError(f"no consistency proof from {first} to {second} entries")
    return _with_stored_nodes(lambda node: merkle.consistency_path(first, second, node))[0]
