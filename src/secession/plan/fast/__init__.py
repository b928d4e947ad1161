"""The fast solver: majority start, contiguity repair, ruin-and-recreate and annealing.

``solver`` builds and improves the plan (its moves are public for
:mod:`secession.plan.improve.intensify`); ``local_search`` holds the numba kernels of the
border moves.
"""

from secession.plan.fast.solver import solve_fast

__all__ = ["solve_fast"]
