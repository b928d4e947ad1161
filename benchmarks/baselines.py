"""The benchmarks' shared baseline: the textbook single-commodity flow MIP, in HiGHS.

One model for every benchmark that compares the planner with a plain MIP
(``bench_exact_states.py``, ``bench_plan.py``, ``bench_exact_backends.py``): one new
country, both sides contiguous within each input component. For each side a root per
component and side, generation ``g_v <= n_c r_v``, flow capacity ``n_c - 1`` on arcs whose
ends both lie on that side, and flow conservation ``inflow - outflow + g_v = s_v`` where
``s_v`` is ``x_v`` for the new country and ``1 - x_v`` for the rest. Built with numpy in
one pass (no Python loop over units or arcs), so the PA 9,059 graph builds in well under
a second.

>>> from secession.plan.synthetic import synthetic_planar_graph
>>> result = flow_mip(synthetic_planar_graph(60, seed=1), time_limit=30)
>>> result["proven"]
True
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["flow_mip", "flow_model"]


def flow_model(graph) -> tuple:
    """The flow model as ``(A, lo, hi, cost, integrality, ub, n)``: minimise ``cost @ v``
    subject to ``lo <= A v <= hi``, ``0 <= v <= ub``; the first ``n`` variables are ``x``.

    Variable blocks: ``x`` (n), then for the new side ``r`` (n, roots), ``g`` (n,
    generation), ``f`` (m arcs), then ``q``, ``h``, ``e`` likewise for the rest.
    """
    n = graph.n_units
    w = graph.leave - graph.stay
    comp = graph.component
    edges = graph.edges()
    arcs = np.concatenate([edges, edges[:, ::-1]]).astype(np.int64)
    m = len(arcs)
    size = np.bincount(comp)
    k = len(size)
    big = size[comp].astype(float)
    ix = 0
    nvar = 5 * n + 2 * m
    units = np.arange(n)
    arc = np.arange(m)
    tail, head = arcs[:, 0], arcs[:, 1]
    ones_n, ones_m = np.ones(n), np.ones(m)
    rows, cols, vals, lo, hi = [], [], [], [], []
    r0 = 0

    def block(entries, lower, upper) -> None:
        """Rows ``lower <= A v <= upper``; ``entries`` are (rows, columns, values) triples."""
        nonlocal r0
        for rr, cc, vv in entries:
            rows.append(np.asarray(rr) + r0)
            cols.append(np.asarray(cc))
            vals.append(np.asarray(vv, dtype=float))
        lo.append(np.asarray(lower, dtype=float))
        hi.append(np.asarray(upper, dtype=float))
        r0 += len(lower)

    def interleave(*columns) -> np.ndarray:
        return np.ravel(np.column_stack(columns))

    for side in (0, 1):  # 0: the new country (s = x), 1: the rest (s = 1 - x)
        root, gen, flow = (n, 2 * n, 3 * n) if side == 0 else (3 * n + m, 4 * n + m, 5 * n + m)
        sgn = 1.0 if side == 0 else -1.0
        const = 0.0 if side == 0 else 1.0
        s_of = (ix + units, -sgn * ones_n)  # the column and coefficient of -s_v, up to const
        # per unit, three rows: inflow - outflow + g_v = s_v; g_v <= n_c r_v; r_v <= s_v
        conserve, cap_gen, root_in = 3 * units, 3 * units + 1, 3 * units + 2
        block(
            [
                (conserve[head], flow + arc, ones_m),
                (conserve[tail], flow + arc, -ones_m),
                (conserve, gen + units, ones_n),
                (conserve, *s_of),
                (cap_gen, gen + units, ones_n),
                (cap_gen, root + units, -big),
                (root_in, root + units, ones_n),
                (root_in, *s_of),
            ],
            interleave(np.full(n, const), np.full(n, -np.inf), np.full(n, -np.inf)),
            interleave(np.full(n, const), np.zeros(n), np.full(n, const)),
        )
        # per arc, two rows: f_a <= cap * s_t for both ends t
        cap = big[tail] - 1
        block(
            [
                (2 * arc, flow + arc, ones_m),
                (2 * arc, ix + tail, -sgn * cap),
                (2 * arc + 1, flow + arc, ones_m),
                (2 * arc + 1, ix + head, -sgn * cap),
            ],
            np.full(2 * m, -np.inf),
            np.repeat(cap * const, 2),
        )
        # per component, two rows: one root at most; a nonempty side has a root
        block(
            [
                (2 * comp, root + units, ones_n),
                (2 * comp + 1, ix + units, sgn * ones_n),
                (2 * comp + 1, root + units, -size[comp].astype(float)),
            ],
            np.full(2 * k, -np.inf),
            interleave(np.ones(k), -const * size.astype(float)),
        )
    a_mat = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0, nvar)
    )
    cost = np.zeros(nvar)
    cost[ix : ix + n] = -w
    integrality = np.zeros(nvar)
    ub = np.full(nvar, np.inf)
    for start in (ix, n, 3 * n + m):  # x and both sides' roots are binary
        integrality[start : start + n] = 1
        ub[start : start + n] = 1
    return a_mat, np.concatenate(lo), np.concatenate(hi), cost, integrality, ub, n


def flow_mip(graph, time_limit: float) -> dict[str, Any]:
    """Solve the flow model with HiGHS (``scipy.optimize.milp``) within ``time_limit`` s.

    Returns ``seconds`` (build and solve), ``status``, ``message``, ``satisfied`` (voters
    in the country they chose, or None), ``country`` (0/1 per unit, when a plan was found),
    ``bound`` (proven upper bound on satisfied voters, or None) and ``proven``.
    """
    t0 = time.perf_counter()
    a_mat, lo, hi, cost, integrality, ub, n = flow_model(graph)
    res = milp(
        cost,
        constraints=LinearConstraint(a_mat, lo, hi),
        integrality=integrality,
        bounds=Bounds(np.zeros(len(cost)), ub),
        options={"time_limit": float(time_limit), "disp": False},
    )
    out: dict[str, Any] = {
        "seconds": time.perf_counter() - t0,
        "status": int(res.status),
        "message": str(res.message),
        "satisfied": None,
    }
    if res.x is not None:
        leave = res.x[:n] > 0.5
        out["satisfied"] = float(graph.leave[leave].sum() + graph.stay[~leave].sum())
        out["country"] = leave.astype(np.int64)
    bound = getattr(res, "mip_dual_bound", None)
    stay = float(graph.stay.sum())
    out["bound"] = None if bound is None or not np.isfinite(bound) else stay - float(bound)
    out["proven"] = res.status == 0
    return out
