"""RFC 9162 Merkle tree: the published Certificate Transparency vectors, and every proof of
every tree up to 70 leaves against a direct reading of the RFC's recursive definitions."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secession.transparency.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_path,
    inclusion_path,
    leaf_hash,
    node_hash,
    perfect_pieces,
    root_of,
    split_point,
    verify_consistency,
    verify_inclusion,
)

# The RFC 6962 test data of the Certificate Transparency implementations (leaves, then the
# root of the first n leaves for n = 0..8, and some proofs).
LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]
]  # fmt: skip
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = {
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}  # fmt: skip
CONSISTENCY = {
    (1, 8): INCLUSION[(0, 8)],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
    (2, 8): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}  # fmt: skip

HASHES = [leaf_hash(x) for x in LEAVES]


def lookup(leaves):
    return lambda start, end: root_of(leaves[start:end])


def hexes(path):
    return [h.hex() for h in path]


def test_hashes_use_the_rfc_prefixes():
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    a, b = b"a" * 32, b"b" * 32
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert EMPTY_ROOT.hex() == ROOTS[0]


@pytest.mark.parametrize("n", range(9))
def test_roots_match_the_published_vectors(n):
    assert root_of(HASHES[:n]).hex() == ROOTS[n]
    frontier = Frontier()
    for h in HASHES[:n]:
        frontier.append(h)
    assert frontier.root().hex() == ROOTS[n]


def test_the_split_is_the_rfcs_not_the_midpoint():
    assert [split_point(n) for n in (2, 3, 4, 5, 6, 7, 8, 9, 1000)] == [1, 2, 2, 4, 4, 4, 4, 8, 512]


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION))
def test_inclusion_proofs_match_the_published_vectors(index, size):
    path = inclusion_path(index, size, lookup(HASHES))
    assert hexes(path) == INCLUSION[(index, size)]
    assert verify_inclusion(HASHES[index], index, size, path, bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize(("first", "second"), sorted(CONSISTENCY))
def test_consistency_proofs_match_the_published_vectors(first, second):
    path = consistency_path(first, second, lookup(HASHES))
    assert hexes(path) == CONSISTENCY[(first, second)]
    roots = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    assert verify_consistency(first, second, *roots, path)


def _reference_path(m, leaves):
    """PATH(m, D[n]) exactly as RFC 9162 §2.1.3.1 writes it."""
    if len(leaves) == 1:
        return []
    k = split_point(len(leaves))
    if m < k:
        return [*_reference_path(m, leaves[:k]), root_of(leaves[k:])]
    return [*_reference_path(m - k, leaves[k:]), root_of(leaves[:k])]


def _reference_subproof(m, leaves, complete):
    """SUBPROOF(m, D[n], b) exactly as RFC 9162 §2.1.4.1 writes it."""
    n = len(leaves)
    if m == n:
        return [] if complete else [root_of(leaves)]
    k = split_point(n)
    if m <= k:
        return [*_reference_subproof(m, leaves[:k], complete), root_of(leaves[k:])]
    return [*_reference_subproof(m - k, leaves[k:], False), root_of(leaves[:k])]


MANY = [leaf_hash(i.to_bytes(2, "big")) for i in range(70)]


def test_every_proof_of_every_tree_up_to_70_leaves():
    roots = [root_of(MANY[:n]) for n in range(len(MANY) + 1)]
    node = lookup(MANY)
    for n in range(1, len(MANY) + 1):
        for i in range(n):
            path = inclusion_path(i, n, node)
            assert path == _reference_path(i, MANY[:n])
            assert verify_inclusion(MANY[i], i, n, path, roots[n])
            assert not verify_inclusion(MANY[i], i, n, path, roots[n - 1])
            if n > 1:
                assert not verify_inclusion(MANY[(i + 1) % n], i, n, path, roots[n])
                assert not verify_inclusion(MANY[i], i, n, path[:-1], roots[n])
                assert not verify_inclusion(MANY[i], i, n, [*path, MANY[0]], roots[n])
        for m in range(n + 1):
            path = consistency_path(m, n, node)
            expected = [] if m == 0 else _reference_subproof(m, MANY[:n], True)
            assert path == expected
            assert verify_consistency(m, n, roots[m], roots[n], path)
            if 0 < m < n:
                assert not verify_consistency(m, n, roots[m - 1], roots[n], path)
                assert not verify_consistency(m, n, roots[m], roots[n - 1], path)
                assert not verify_consistency(m, n, roots[m], roots[n], path[:-1])
                assert not verify_consistency(m, n, roots[m], roots[n], [*path, MANY[0]])


def test_proof_edge_cases_are_refused():
    node = lookup(HASHES)
    with pytest.raises(ValueError, match="not in a tree"):
        inclusion_path(8, 8, node)
    with pytest.raises(ValueError, match="no consistency proof"):
        consistency_path(5, 3, node)
    root8 = bytes.fromhex(ROOTS[8])
    assert not verify_inclusion(HASHES[0], 8, 8, [], root8)
    assert not verify_inclusion(b"short", 0, 8, INCLUSION[(0, 8)], root8)
    assert verify_consistency(4, 4, bytes.fromhex(ROOTS[4]), bytes.fromhex(ROOTS[4]), [])
    assert not verify_consistency(4, 4, bytes.fromhex(ROOTS[4]), root8, [])
    assert verify_consistency(0, 8, EMPTY_ROOT, root8, [])
    assert not verify_consistency(0, 8, HASHES[1], root8, [])
    assert not verify_consistency(6, 8, bytes.fromhex(ROOTS[6]), root8, [])
    assert not verify_consistency(8, 6, root8, bytes.fromhex(ROOTS[6]), [])


@given(st.integers(0, 2**20), st.integers(1, 2**20))
def test_perfect_pieces_cover_every_rfc_subtree(start_block, size):
    """Any subtree the RFC's recursion names, [a, a + s) with a a multiple of a power of
    two >= s, is the fold of perfect pieces that tile it in order."""
    width = 1 << (size - 1).bit_length()
    start = start_block * width
    pieces = perfect_pieces(start, start + size)
    position = start
    for level, index in pieces:
        assert index << level == position
        position += 1 << level
    assert position == start + size
    assert [lv for lv, _ in pieces] == sorted((lv for lv, _ in pieces), reverse=True)


@given(st.integers(0, 300))
def test_frontier_round_trips_and_reports_completed_subtrees(n):
    frontier = Frontier()
    completed = {}
    for i in range(n):
        frontier.append(MANY[i % 70])
        for level, index, h in frontier.completed:
            completed[(level, index)] = h
    leaves = [MANY[i % 70] for i in range(n)]
    assert frontier.root() == root_of(leaves)
    assert Frontier.from_text(n, frontier.to_text()).root() == frontier.root()
    assert frontier.levels() == [level for level, _ in perfect_pieces(0, n)]
    for (level, index), h in completed.items():
        assert h == root_of(leaves[index << level : (index + 1) << level])
    assert len(completed) == sum(n >> level for level in range(n.bit_length()))


def test_a_frontier_of_the_wrong_length_is_refused():
    frontier = Frontier()
    for h in MANY[:6]:
        frontier.append(h)
    with pytest.raises(ValueError, match="holds 2 hashes"):
        Frontier.from_text(5, frontier.to_text() + "," + frontier.to_text())
