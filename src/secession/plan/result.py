"""``SolverResult``: what a solver answers, before ``solve()`` makes it a ``Plan``.

The solvers (:func:`secession.plan.fast.solve_fast`, :func:`secession.plan.exact.solve_exact`)
work on a :class:`~secession.plan.problem.Problem` and return this small value on its
units (:attr:`Problem.units`); only :func:`secession.plan.solve.solve` expands it to the
original units, names the countries, runs the independent checker and builds the
:class:`~secession.plan.model.Plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["SolverResult"]


@dataclass(frozen=True)
class SolverResult:
    """``assignment[i]``: 0 (remaining country) or the new country 1..k of unit ``i`` of
    the problem's units, numbered largest first; ``bound``: the solver's proven upper bound
    on satisfied voters (``None``: it proved nothing beyond the unconstrained bound);
    ``proven``: the assignment is optimal; ``solver`` names who answered; ``seconds`` the
    time it took; ``stats`` the solver's counts (nodes, cuts, path, seed, ...)."""

    assignment: np.ndarray
    bound: float | None
    proven: bool
    solver: str
    seconds: float
    stats: Mapping[str, Any] = field(default_factory=dict)
