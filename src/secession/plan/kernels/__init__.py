"""Graph kernels shared by the solvers (flat CSR arrays, numba in the hot loops).

``repair``: pieces, corridors and contiguity repair; ``separation``: the CSR graph, pieces
and vertex-separator cuts; ``exclaves``: the exclave policies (nearest parent); ``grouping``:
pieces grouped into countries of a minimum population. Used by the exact and the fast
solver alike, so they live apart from both.
"""

from secession.plan.kernels.exclaves import breaching_pieces, check_policy, pieces_of
from secession.plan.kernels.grouping import group_units, keep_most
from secession.plan.kernels.separation import Csr, Cut, is_connected, pieces, separate

__all__ = [
    "Csr",
    "Cut",
    "breaching_pieces",
    "check_policy",
    "group_units",
    "is_connected",
    "keep_most",
    "pieces",
    "pieces_of",
    "separate",
]
