"""The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2; same tree as RFC 6962).

Leaf hash ``SHA-256(0x00 || leaf)``, node hash ``SHA-256(0x01 || left || right)``; a tree of
``n > 1`` leaves splits at ``k``, the largest power of two smaller than ``n``. The empty
tree's hash is ``SHA-256()``.

Proof generation takes ``node(start, end) -> hash`` for subtrees of the tree, so a store
can answer from what it keeps (:class:`Frontier` for the root, perfect subtrees for proofs);
verification needs only hashes. Hashes are ``bytes`` of length 32.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeLookup = Callable[[int, int], bytes]


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n >= 2``)."""
    if n < 2:
        raise ValueError(f"a tree of {n} leaves does not split")
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes (recursive definition; for tests and small trees)."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = split_point(n)
    return node_hash(root_of(leaf_hashes[:k]), root_of(leaf_hashes[k:]))


def perfect_pieces(start: int, end: int) -> list[tuple[int, int]]:
    """The perfect subtrees ``(level, index)`` whose fold from the right is MTH(D[start:end]).

    Valid for the subtrees that RFC 9162's recursion names: ``start`` is a multiple of a
    power of two at least ``end - start``.
    """
    pieces = []
    while end > start:
        size = end - start
        width = 1 << (size.bit_length() - 1) if size & (size - 1) else size
        level = width.bit_length() - 1
        pieces.append((level, start >> level))
        start += width
    return pieces


def fold(hashes: Sequence[bytes]) -> bytes:
    """Hash of perfect subtrees of decreasing size, left to right (the tree's right edge)."""
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def inclusion_path(index: int, size: int, node: NodeLookup) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 §2.1.3.1."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            path.append(node(start + k, end))
            end = start + k
        else:
            path.append(node(start, start + k))
            start += k
    path.reverse()
    return path


def consistency_path(first: int, second: int, node: NodeLookup) -> list[bytes]:
    """PROOF(first, D[second]) of RFC 9162 §2.1.4.1 (empty when ``first`` is 0 or equal)."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    if first == 0 or first == second:
        return []
    path: list[bytes] = []
    start, end, m, complete = 0, second, first, True
    while True:
        n = end - start
        if m == n:
            if not complete:
                path.append(node(start, end))
            break
        k = split_point(n)
        if m <= k:
            path.append(node(start + k, end))
            end = start + k
        else:
            path.append(node(start, start + k))
            start, m, complete = start + k, m - k, False
    path.reverse()
    return path


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``path`` prove leaf hash ``leaf`` at ``index`` under ``root``?"""
    if not 0 <= index < size or not _hashes_ok([leaf, root, *path]):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does ``path`` prove the tree of ``second`` leaves extends the
    tree of ``first``? (``first == second``: empty path, equal roots; ``first == 0``: the
    empty tree, empty path.)"""
    if not 0 <= first <= second or not _hashes_ok([first_root, second_root, *path]):
        return False
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path and first_root == EMPTY_ROOT
    if not path:
        return False
    path = list(path)
    if first & (first - 1) == 0:  # an exact power of two
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def _hashes_ok(hashes: Iterable[bytes]) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


@dataclass
class Frontier:
    """The roots of the perfect subtrees covering a tree's leaves, largest first: enough to
    append a leaf and give the root in O(log n), as a log's head keeps it.

    ``completed`` lists the ``(level, index, hash)`` of every perfect subtree the last
    :meth:`append` finished, so a store can keep the ones it wants for proofs.
    """

    size: int = 0
    hashes: list[bytes] = field(default_factory=list)
    completed: list[tuple[int, int, bytes]] = field(default_factory=list)

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash."""
        self.completed = [(0, self.size, leaf)]
        self.hashes.append(leaf)
        index, level = self.size, 0
        while index & 1:  # merge equal-sized subtrees, as a binary counter carries
            right = self.hashes.pop()
            left = self.hashes.pop()
            merged = node_hash(left, right)
            self.hashes.append(merged)
            index, level = index >> 1, level + 1
            self.completed.append((level, index, merged))
        self.size += 1

    def root(self) -> bytes:
        return fold(self.hashes)

    def levels(self) -> list[int]:
        """The level (log2 of the size) of each kept subtree, largest first."""
        return [b for b in range(self.size.bit_length() - 1, -1, -1) if self.size >> b & 1]

    def to_text(self) -> str:
        """Hex hashes joined by commas (how a store keeps it)."""
        return ",".join(h.hex() for h in self.hashes)

    @classmethod
    def from_text(cls, size: int, text: str) -> Frontier:
        hashes = [bytes.fromhex(h) for h in text.split(",")] if text else []
        if len(hashes) != size.bit_count() or not _hashes_ok(hashes):
            raise ValueError(f"a frontier of {size} leaves holds {size.bit_count()} hashes")
        return cls(size, hashes)
