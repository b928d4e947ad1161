"""Move vote shares: a uniform swing, or seeded random perturbations (Monte Carlo).

Both keep each unit's two-side total (leave + stay) and its other votes; only the split
between the two sides moves. Shares are clipped to 0..1.

Example
-------
>>> import numpy as np
>>> leave, stay = np.array([60.0, 10.0]), np.array([40.0, 90.0])
>>> shift_shares(leave, stay, np.array([0.05, -0.2]))
(array([65.,  0.]), array([ 35., 100.]))
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from secession.geo.graph import UnitGraph


def shift_shares(
    leave: np.ndarray, stay: np.ndarray, shift: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """New ``(leave, stay)`` with each unit's leave share moved by ``shift`` (a fraction)."""
    total = leave + stay
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, leave / np.where(total > 0, total, 1.0), 0.5)
    new_share = np.clip(share + shift, 0.0, 1.0)
    new_leave = np.where(total > 0, new_share * total, 0.0)
    return new_leave, total - new_leave


def swing(graph: UnitGraph, points: float) -> UnitGraph:
    """``graph`` with every unit's leave share moved by ``points`` percentage points.

    A positive swing moves voters towards the leave side.
    """
    if points == 0:
        return graph
    leave, stay = shift_shares(graph.leave, graph.stay, points / 100.0)
    return replace(graph, leave=leave, stay=stay)


def perturb(
    graph: UnitGraph,
    *,
    seed: int,
    draw: int,
    unit_sigma: float = 3.0,
    national_sigma: float = 2.0,
) -> tuple[UnitGraph, float]:
    """One seeded random draw: a national swing plus independent unit swings, in points.

    Returns the perturbed graph and the national swing drawn. Draw ``k`` of seed ``s`` is the
    same whichever process computes it (its generator is seeded with ``(s, k)``).
    """
    rng = np.random.default_rng([int(seed), int(draw)])
    national = float(rng.normal(0.0, national_sigma)) if national_sigma > 0 else 0.0
    local = rng.normal(0.0, unit_sigma, graph.n_units) if unit_sigma > 0 else 0.0
    leave, stay = shift_shares(graph.leave, graph.stay, (national + local) / 100.0)
    return replace(graph, leave=leave, stay=stay), national


MAX_SWINGS = 1_001  # re-plans per scenario; a step of 0.1 over -50..50 still fits


def parse_range(text: str, step: float = 1.0) -> list[float]:
    """``"-5..5"`` (with ``step``) or ``"-5,0,5"`` or ``"3"`` as a sorted list of swings."""
    from secession.exceptions import DataError

    text = text.strip()
    try:
        if ".." in text:
            lo_s, hi_s = text.split("..", 1)
            lo, hi = float(lo_s), float(hi_s)
            if not all(np.isfinite([lo, hi, step])) or max(abs(lo), abs(hi)) > 50:
                raise DataError(
                    f"`swing` {text!r}: swings are percentage points between -50 and 50"
                )
            if step <= 0:
                raise DataError(f"`swing_step` must be positive, not {step}")
            if hi < lo:
                lo, hi = hi, lo
            n = int(np.floor((hi - lo) / step + 1e-9)) + 1
            if n > MAX_SWINGS:
                raise DataError(
                    f"`swing` {text!r} with step {step}: {n} re-plans; at most {MAX_SWINGS}"
                )
            values = [round(lo + i * step, 6) for i in range(n)]
        else:
            values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise DataError(
            f"`swing` {text!r}: expected a range like -5..5, a list like -2,0,2, or a number"
        ) from None
    if not values:
        raise DataError(f"`swing` {text!r}: no values")
    if any(not np.isfinite(v) or abs(v) > 50 for v in values):
        raise DataError(f"`swing` {text!r}: swings are percentage points between -50 and 50")
    return sorted(set(values))
