"""``Improver``: the protocol every plan search of the exact path follows.

``improve``, ``intensify`` and ``window_search`` (:mod:`secession.plan.improve`) and any
``SolverOptions.improver`` take a valid plan and return one at least as good, with their
statistics; ``solve()`` calls whichever is set through this signature, in its own process
or in a second one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.model import PlanConstraints

if TYPE_CHECKING:  # options.py names this protocol for its ``improver`` field
    from secession.plan.options import SolverOptions

__all__ = ["Improver"]


class Improver(Protocol):
    """Improve the valid plan ``country`` (0 = stays) for about ``seconds``.

    Returns ``(country, stats)``: a valid plan never worse than the one given, and a dict
    of the search's counts (``gain`` in votes at least). ``constraints.level`` is resolved
    by the caller (the plan is on units). ``options`` is the caller's ``SolverOptions``.
    """

    def __call__(
        self,
        graph: UnitGraph,
        constraints: PlanConstraints,
        country: np.ndarray,
        *,
        seconds: float,
        seed: int = 0,
        options: SolverOptions = ...,
    ) -> tuple[np.ndarray, dict]: ...
