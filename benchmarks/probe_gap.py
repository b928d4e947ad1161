"""Probe: where the national gap comes from (measurements behind ``docs/planner-lab-notes.md``).

The national county instance (one new country, both sides contiguous) is not proven in
60 s. Its rook graph is not planar: 12 edges are left out of a planar subgraph ``H``.
This script measures three things, side by side in one run:

1. ``lp``: the root LP bound of two formulations on ``H``'s mainland, each by the same
   cutting-plane loop in HiGHS (vertex-separator cuts on both sides at thresholds 0.5,
   0.2, 0.05, 0.01, until none is violated):

   - ``face``: ``x`` per unit, ``y_e >= |x_u - x_v|``, at most two cut edges per face (the
     model of ``plan/exact.py`` on a planar graph);
   - ``cycle``: the border as one directed cycle of the dual graph: one arc per side of
     each edge, ``x_u - x_v = y(u in S) - y(v in S)`` (which makes ``y`` a circulation),
     out-degree at most 1 per face, and subtour cuts ``y(out W) >= out(f) + out(g) - 1``
     on the components of the dual support.

   The bound is over ``H``, which is not a bound for the real graph: it compares models.
2. ``planar``: ``solve(..., solver="exact")`` for the same time on the real graph and on
   the graph without the 12 left-out edges (whose plans are all valid for the real graph).
3. ``splits``: how many crossing pairs (a left-out edge and an edge of ``H`` its curve
   crosses) the best plan found splits: each one relaxes every face by two cut edges.

    SECESSION_DATA=/work/shared/data python benchmarks/probe_gap.py          # all, 60 s
    SECESSION_DATA=/work/shared/data python benchmarks/probe_gap.py --only lp

Writes ``benchmarks/results/probe_gap.json`` and ``probe_gap.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import highspy
import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.plan.separation import Csr, separate

RESULTS = Path(__file__).parent / "results"
THRESHOLDS = (0.5, 0.2, 0.05, 0.01)
INF = highspy.kHighsInf


def national():
    from secession.geo.load import load_graph

    return load_graph().graph


def planar_part(graph):
    """Edges of the graph and the indices of those left out of a maximal planar subgraph."""
    from secession.plan.planar import _left_out

    edges = graph.edges()
    return edges, sorted(_left_out(graph.n_units, edges, np.arange(len(edges))))


def without_edges(graph, drop: list[int]):
    """The graph with the edges ``graph.edges()[drop]`` removed."""
    edges = np.delete(graph.edges(), drop, axis=0)
    n = graph.n_units
    rows = np.r_[edges[:, 0], edges[:, 1]]
    cols = np.r_[edges[:, 1], edges[:, 0]]
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    m.sort_indices()
    return dataclasses.replace(
        graph,
        indptr=m.indptr.astype(graph.indptr.dtype),
        indices=m.indices.astype(graph.indices.dtype),
    )


# --------------------------------------------------------------------------- lp
class CutLoop:
    """A HiGHS LP over unit values ``x`` (columns ``0..n-1``) and extra columns."""

    def __init__(self, n: int, weight: np.ndarray) -> None:
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.n = n
        for _ in range(n):
            self.h.addVar(0.0, 1.0)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), -weight)

    def column(self) -> int:
        self.h.addVar(0.0, 1.0)
        return self.h.getNumCol() - 1

    def row(self, lo: float, hi: float, coef: dict[int, float]) -> None:
        idx = np.fromiter(coef, dtype=np.int32, count=len(coef))
        val = np.fromiter(coef.values(), dtype=np.float64, count=len(coef))
        self.h.addRow(lo, hi, len(idx), idx, val)

    def solve(self) -> tuple[float, np.ndarray]:
        self.h.run()
        return -self.h.getInfo().objective_function_value, np.array(self.h.getSolution().col_value)


def faces_of(n: int, edges: np.ndarray) -> tuple[list[list[tuple[int, int]]], dict]:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, edges.tolist()))
    planar, emb = nx.check_planarity(graph)
    assert planar
    face_of: dict[tuple[int, int], int] = {}
    faces = []
    for u, v in emb.edges():
        if (u, v) in face_of:
            continue
        walk = emb.traverse_face(u, v)
        halves = [(walk[i], walk[(i + 1) % len(walk)]) for i in range(len(walk))]
        for half in halves:
            face_of[half] = len(faces)
        faces.append(halves)
    return faces, face_of


def root_lp(graph, model: str, time_limit: float) -> dict:
    """Cutting-plane loop for ``model`` on the mainland of ``graph`` (planar)."""
    main = graph.component == 0
    sub = graph.subgraph(main)
    n = sub.n_units
    edges = sub.edges()
    weight = (sub.leave - sub.stay).astype(np.float64)
    faces, face_of = faces_of(n, edges)
    loop = CutLoop(n, weight)
    tail = head = None
    outs: list[list[int]] = []
    if model == "face":
        y = [loop.column() for _ in range(len(edges))]
        for k, (u, v) in enumerate(edges.tolist()):
            loop.row(0.0, INF, {y[k]: 1.0, u: -1.0, v: 1.0})
            loop.row(0.0, INF, {y[k]: 1.0, u: 1.0, v: -1.0})
        index = {}
        for k, (u, v) in enumerate(edges.tolist()):
            index[(u, v)] = index[(v, u)] = k
        for halves in faces:
            coef: dict[int, float] = {}
            for half in halves:
                coef[y[index[half]]] = coef.get(y[index[half]], 0.0) + 1.0
            if sum(coef.values()) >= 4:
                loop.row(-INF, 2.0, coef)
    else:
        # arc 2k: u in S (u on its left), from the face right of u->v to the one left
        tail = np.empty(2 * len(edges), dtype=np.int64)
        head = np.empty(2 * len(edges), dtype=np.int64)
        arcs = [loop.column() for _ in range(2 * len(edges))]
        for k, (u, v) in enumerate(edges.tolist()):
            right, left = face_of[(u, v)], face_of[(v, u)]
            tail[2 * k], head[2 * k] = right, left
            tail[2 * k + 1], head[2 * k + 1] = left, right
            loop.row(0.0, 0.0, {u: 1.0, v: -1.0, arcs[2 * k]: -1.0, arcs[2 * k + 1]: 1.0})
            loop.row(-INF, 1.0, {arcs[2 * k]: 1.0, arcs[2 * k + 1]: 1.0})
        outs = [[] for _ in faces]
        for a in range(len(tail)):
            outs[tail[a]].append(a)
        for f in range(len(faces)):
            loop.row(-INF, 1.0, {arcs[a]: 1.0 for a in outs[f]})
    adj = Csr.of(sub.adjacency_matrix())
    scope = np.ones(n, dtype=bool)
    const = float(sub.stay.sum())
    two_side = float(graph.leave.sum() + graph.stay.sum())
    off_main = float(
        np.maximum(graph.leave[~main], graph.stay[~main]).sum()
    )  # islands at their majority side, as in the trivial bound
    t0 = time.perf_counter()
    rounds = cuts_total = 0
    while True:
        value, sol = loop.solve()
        x = sol[:n]
        rounds += 1
        added = 0
        for threshold in THRESHOLDS:
            for cut in separate(adj, x, scope, threshold=threshold, max_cuts=300):
                coef = {cut.a: 1.0, cut.b: 1.0} | {int(c): -1.0 for c in cut.sep}
                loop.row(-INF, 1.0, coef)
                added += 1
            for cut in separate(adj, 1.0 - x, scope, threshold=threshold, max_cuts=300):
                coef = {cut.a: -1.0, cut.b: -1.0} | {int(c): 1.0 for c in cut.sep}
                loop.row(-INF, len(cut.sep) - 1.0, coef)
                added += 1
        if model == "cycle":
            added += _subtour_cuts(loop, sol[n:], tail, head, outs, len(faces))
        cuts_total += added
        seconds = time.perf_counter() - t0
        if added == 0 or seconds > time_limit:
            break
    return {
        "model": model,
        "units": n,
        "faces": len(faces),
        "rounds": rounds,
        "cuts": cuts_total,
        "converged": added == 0,
        "seconds": round(seconds, 1),
        "bound_w": value,
        "bound_share": (const + value + off_main) / two_side,
    }


def _subtour_cuts(loop, y, tail, head, outs, n_faces) -> int:
    """``y(out W) >= out(f) + out(g) - 1`` for components ``W`` of the dual support."""
    n = loop.n
    degree = np.bincount(tail, weights=y, minlength=n_faces)
    capacity = y[0::2] + y[1::2]
    added = 0
    for threshold in (*THRESHOLDS, 1e-6):
        keep = capacity > threshold
        support = sparse.coo_matrix(
            (np.ones(keep.sum()), (tail[0::2][keep], head[0::2][keep])), shape=(n_faces,) * 2
        )
        count, label = connected_components(support, directed=False)
        active = np.unique(label[degree > 1e-6])
        if count <= 1 or len(active) <= 1:
            continue
        for comp in active.tolist():
            inside = label == comp
            crossing = np.flatnonzero(inside[tail] & ~inside[head])
            f = int(np.flatnonzero(inside)[np.argmax(degree[inside])])
            g = int(np.flatnonzero(~inside)[np.argmax(degree[~inside])])
            if y[crossing].sum() >= degree[f] + degree[g] - 1 - 1e-6:
                continue
            coef: dict[int, float] = {}
            for a, sign in [(a, 1.0) for a in crossing.tolist()] + [
                (a, -1.0) for a in outs[f] + outs[g]
            ]:
                coef[n + a] = coef.get(n + a, 0.0) + sign
            loop.row(-1.0, INF, {k: v for k, v in coef.items() if v != 0.0})
            added += 1
    return added


# --------------------------------------------------------------------------- planar
def exact_run(graph, time_limit: float) -> dict:
    from secession.plan import solve

    t0 = time.perf_counter()
    plan = solve(graph, solver="exact", time_limit=time_limit)
    two = plan.two_side_votes
    return {
        "satisfied_share": plan.satisfied_voters / two,
        "bound_share": plan.best_bound / two,
        "gap": plan.gap,
        "proven": plan.proven_optimal,
        "seconds": round(time.perf_counter() - t0, 1),
        "country": np.asarray(plan.country),
    }


def split_pairs(graph, country: np.ndarray) -> dict:
    """Crossing pairs of the exact model's drawing that the plan splits."""
    from secession.plan.planar import nearly_planar_faces

    main = graph.component == 0
    sub = graph.subgraph(main)
    side = country[main] > 0
    edges = sub.edges()
    prefer = side[edges[:, 0]] != side[edges[:, 1]]
    found = nearly_planar_faces(sub.n_units, edges, prefer_out=prefer)
    split = []
    for e, f in found.crossings:
        a, b = edges[e]
        c, d = edges[f]
        if (side[a] == side[b]) and (side[c] == side[d]) and side[a] != side[c]:
            split.append([str(sub.names[i]) for i in (a, b, c, d)])
    return {"left_out": len(found.left_out), "pairs": len(found.crossings), "split": split}


# --------------------------------------------------------------------------- report
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("all", "lp", "planar"), default="all")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--lp-time-limit", type=float, default=600.0)
    args = ap.parse_args()
    graph = national()
    edges, left = planar_part(graph)
    planar_graph = without_edges(graph, left)
    out: dict = {
        "run": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}",
        "left_out": [[str(graph.names[i]) for i in edges[k]] for k in left],
    }
    if args.only in ("all", "lp"):
        out["lp"] = [root_lp(planar_graph, m, args.lp_time_limit) for m in ("face", "cycle")]
    if args.only in ("all", "planar"):
        real = exact_run(graph, args.time_limit)
        flat = exact_run(planar_graph, args.time_limit)
        out["splits"] = split_pairs(graph, real.pop("country"))
        flat.pop("country")
        out["exact"] = {"real graph": real, "without the left-out edges": flat}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "probe_gap.json").write_text(json.dumps(out, indent=2) + "\n")
    (RESULTS / "probe_gap.md").write_text(report(out, args))
    print(report(out, args))


def report(out: dict, args) -> str:
    lines = [
        "# Where the national gap comes from",
        "",
        f"Run {out['run']} on {out['machine']}; command `python benchmarks/probe_gap.py "
        f"--only {args.only} --time-limit {args.time_limit:g}`. National 2020 counties, "
        "leave = dem, one new country, both sides contiguous. Shares are of the two-side "
        "votes.",
        "",
        f"Edges left out of the planar subgraph ({len(out['left_out'])}): "
        + "; ".join(" – ".join(pair) for pair in out["left_out"])
        + ".",
        "",
    ]
    if "lp" in out:
        lines += [
            "## Root LP on the planar subgraph, same separator loop (HiGHS)",
            "",
            "| model | units | faces | rounds | cuts | converged | s | LP bound |",
            "|---|---:|---:|---:|---:|---|---:|---:|",
        ]
        for r in out["lp"]:
            lines.append(
                f"| {r['model']} | {r['units']:,} | {r['faces']:,} | {r['rounds']} | "
                f"{r['cuts']:,} | {r['converged']} | {r['seconds']} | "
                f"{100 * r['bound_share']:.4f}% |"
            )
        lines.append("")
    if "exact" in out:
        lines += [
            f"## Exact solver, {args.time_limit:g} s",
            "",
            "| graph | best plan | bound | gap | proven | s |",
            "|---|---:|---:|---:|---|---:|",
        ]
        for name, r in out["exact"].items():
            lines.append(
                f"| {name} | {100 * r['satisfied_share']:.3f}% | {100 * r['bound_share']:.3f}% "
                f"| {100 * r['gap']:.3f}% | {r['proven']} | {r['seconds']} |"
            )
        s = out["splits"]
        lines += [
            "",
            f"The best plan on the real graph splits {len(s['split'])} of the "
            f"{s['pairs']} crossing pairs of the exact model's drawing, so every face "
            f"inequality is relaxed by {2 * len(s['split'])} cut edges at that plan.",
            "",
        ]
    return "\n".join(lines)


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
