"""``SolverOptions``: the planner's tuning, passed through ``solve()`` to every solver.

One frozen, picklable value instead of module globals: tests, benchmarks and probes pass
their own (``SolverOptions(scip_params={"limits/nodes": 1})``) rather than patching a
module, and the background search (a second process) gets the same tuning as the parent.
The defaults are the measured ones; each field says where its value comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

__all__ = ["DEFAULT_OPTIONS", "ModelHook", "ModelView", "SolverOptions"]


@dataclass(frozen=True)
class ModelView:
    """What a :data:`ModelHook` sees of one SCIP model of the exact solver.

    ``units`` are the positions (in the solved graph) of the model's local units;
    ``variables`` pairs each unit binary's key ``local unit * slots + slot`` with its SCIP
    variable (a unit that may not leave has none).
    """

    model: Any  # pyscipopt.Model
    units: np.ndarray
    slots: int
    variables: Sequence[tuple[int, Any]]


class ModelHook(Protocol):
    """Called with each exact model once it is built, before SCIP optimises it (to include
    an event handler, a heuristic or a probe)."""

    def __call__(self, view: ModelView) -> None: ...


@dataclass(frozen=True)
class SolverOptions:
    """Tuning of ``solve()`` and the solvers under it (every field has a measured default)."""

    # ---- solve(): which solver, and how the time is shared
    # auto runs the exact solver up to this many units and unit variables (units x slots)
    auto_exact_max_units: int = 5_000
    auto_exact_max_variables: int = 50_000
    # several new countries: pooled countries' root bound converges slowly (national
    # counties, countries of >= 500,000 voters: gap 0.29% after 60 s), so auto keeps small
    auto_exact_max_units_multi: int = 500
    # up to this size the exact path starts from the fast construction only (Utah's 29
    # counties: 83 ms, of which SCIP 8 ms, with the full fast search)
    quick_start_max_units: int = 100
    # `secession plan --solver exact` warns above this many unit variables
    large_exact_variables: int = 250_000
    # from this size on the fast solver also runs on the swapped graph (about 0.1 s)
    complement_min_units: int = 1_000
    # instances of at least this many units improve the plan while or after SCIP works
    intensify_min_units: int = 1_000
    intensify_share: float = 0.4  # of the time limit, kept back when there is one core
    background: bool = True  # the plan search may run in a second process
    background_margin: float = 1.0  # seconds the second process stops before the limit
    background_grace: float = 5.0  # seconds its answer may come late before it is dropped
    # ---- the exact solver
    scip_params: Mapping[str, object] = field(default_factory=dict)  # extra SCIP parameters
    # components at least this large use root enumeration (None: never; its LP converged
    # more slowly than the unrooted model's on the national counties within 60 s)
    rooted_min_units: int | None = None
    max_planar_units: int = 20_000  # face inequalities up to this many units
    # faces only when at most this many edges are left out of the planar subgraph (AR's
    # 2,525 VTDs leave out 306: proven in 28 s without faces, not in 90 s with them)
    max_left_out: int = 50
    # graphs with at most this many edges try several edge orders for the planar subgraph
    planar_tries_max_edges: int = 2_000
    planar_order_tries: int = 8
    split_faces: bool = True  # also the faces of the graph with left-out edges' units split
    max_directed_cuts: int = 400
    min_share: float = 1.0  # seconds a component may always take, however small
    out_of_time: float = 0.05  # seconds left below which no further model is built
    model_hook: ModelHook | None = None  # sees every exact model before it is solved
    # ---- the plan search of the exact path (improve)
    window_share: float = 1 / 3  # of the time, spent on windows after ruin-and-recreate
    window_sizes: tuple[int, int] = (100, 400)  # units in a window, drawn log-uniformly
    window_step_seconds: float = 3.0  # the exact solver's limit per window
    # replaces the standard search (secession.plan.improve.improve) when set
    improver: Callable[..., tuple[np.ndarray, dict]] | None = None

    def __post_init__(self) -> None:
        # a private copy: the options stay frozen even if the caller's dict changes
        object.__setattr__(self, "scip_params", dict(self.scip_params))

    def with_(self, **changes: Any) -> SolverOptions:
        """A copy with ``changes`` (``dataclasses.replace``)."""
        return replace(self, **changes)


DEFAULT_OPTIONS = SolverOptions()
