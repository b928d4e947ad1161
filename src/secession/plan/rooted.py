"""Root enumeration for one large component with one contiguous new country.

An optional strategy of :mod:`secession.plan.exact` (see ``SolverOptions.rooted_min_units``): the
cases "unit ``r_i`` joins the new country, ``r_1..r_{i-1}`` do not" cover every nonempty
plan, and each case gets the rooted arborescence model with directed cuts.
"""

from __future__ import annotations

import time

import numpy as np

from secession.exceptions import InfeasiblePlanError
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.reductions import Prepared
from secession.plan.scip_model import NoSolution, SubModel, SubResult, describe


def solve_rooted(
    prep: Prepared,
    units: np.ndarray,
    *,
    need_rest: bool,
    deadline: float,
    seed: int,
    progress: bool,
    start: np.ndarray | None,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> SubResult:
    """One connected component with one contiguous new country, by root enumeration.

    With roots ``r_1, r_2, ...`` (largest gain first), case ``i`` puts ``r_i`` in the new
    country and ``r_1..r_{i-1}`` out of it, and is solved with the rooted arborescence
    model, whose LP bound is much stronger than the unrooted separator model's. The cases
    cover every nonempty plan; once the gains left outside the excluded roots cannot beat
    the best plan, the rest are pruned. When nothing tells the sides apart (no locks,
    consent or size floor, both sides contiguous) the side with the larger top gains is
    taken as the new country and the result complemented: ``S`` and ``V \\ S`` are valid
    together, and ``w(S) = w(V) - w(V \\ S)``.
    """
    w = prep.weight[units].astype(np.float64)
    can = prep.can_leave[units]
    must = prep.must_leave[units]
    symmetric = need_rest and can.all() and not must.any()
    flip = symmetric and -w.min(initial=0.0) > w.max(initial=0.0)
    wf = -w if flip else w
    total = float(w.sum())
    n = len(units)
    cur = None if start is None else (start > 0)
    if cur is not None and flip:
        cur = ~cur
    # incumbents: the start, the empty plan, the whole component
    cands: list[np.ndarray] = [] if cur is None else [cur]
    if not must.any():
        cands.append(np.zeros(n, dtype=bool))
    if can.all():
        cands.append(np.ones(n, dtype=bool))
    best = max(cands, key=lambda m: float(wf[m].sum())) if cands else None
    best_val = -np.inf if best is None else float(wf[best].sum())
    roots = [int(np.flatnonzero(must)[0])] if must.any() else None
    if roots is None:
        pos = np.flatnonzero(can & (wf > 0))
        roots = pos[np.argsort(-wf[pos], kind="stable")].tolist()
    excluded = np.zeros(n, dtype=bool)
    bounds: list[float] = []
    optimal = True
    stats = {"nodes": 0, "cuts": 0, "faces": 0, "roots": 0, "flipped": bool(flip)}
    for r in roots:
        left = float(wf[can & ~excluded & (wf > 0)].sum())
        if not must.any() and left <= best_val + 1e-9:
            break
        remaining = deadline - time.perf_counter()
        if remaining <= 0.05:
            bounds.append(left)
            optimal = False
            break
        sub = SubModel(
            prep,
            units,
            1,
            need_new=True,
            need_rest=need_rest,
            min_population=0.0,
            use_faces=need_rest,
            weight=wf,
            can_leave=can & ~excluded,
            must_leave=must | (np.arange(n) == r),
            root=r,
            options=options,
        )
        local_start = None
        if best is not None and best[r] and not (best & excluded).any():
            local_start = best.astype(np.int64)
        try:
            res = sub.solve(remaining, seed, progress, local_start)
        except NoSolution as exc:
            bounds += [exc.bound, float(wf[can & ~excluded & (wf > 0)].sum() - wf[r])]
            optimal = False
            break
        except InfeasiblePlanError:
            if must.any():
                raise
            excluded[r] = True
            continue
        stats["roots"] += 1
        for key in ("nodes", "cuts", "faces"):
            stats[key] += int(res.stats.get(key, 0))
        bounds.append(res.bound)
        optimal &= res.optimal
        if res.value > best_val:
            best, best_val = res.slot > 0, res.value
        excluded[r] = True
        if must.any():
            break
    if best is None:
        raise InfeasiblePlanError(f"no plan meets the constraints ({describe(prep)})")
    bound = max([best_val, *bounds])
    chosen = ~best if flip else best
    value = float(w[chosen].sum())
    if flip:
        bound = total + bound
    return SubResult(
        chosen.astype(np.int64), value, max(bound, value) if not optimal else value, optimal, stats
    )
