"""The exact solver: branch-and-cut in SCIP (``solver.py`` drives, ``scip_model.py`` models).

``solver`` solves the input components one by one with their share of the time;
``scip_model`` holds one subproblem's SCIP model and its lazy connectivity handler, shared
with ``rooted`` (root enumeration, an option); ``planar`` gives the border faces and
``size_cuts`` the population cuts that only this model uses.
"""

from secession.plan.exact.rooted import solve_rooted
from secession.plan.exact.scip_model import NoSolution, SubModel, SubResult, describe
from secession.plan.exact.solver import exact_size, solve_exact

__all__ = [
    "NoSolution",
    "SubModel",
    "SubResult",
    "describe",
    "exact_size",
    "solve_exact",
    "solve_rooted",
]
