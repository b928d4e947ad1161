"""Exact planner: branch-and-cut in SCIP with lazy vertex-separator cuts and border faces.

Model (one binary ``x[v, k]`` per unit ``v`` allowed to leave and new-country slot ``k``):

- maximise ``sum_v (leave_v - stay_v) * sum_k x[v, k]`` (plus the constant stay total);
- each unit joins at most one new country; locked units are fixed;
- connectivity of each new country and of the remaining country inside each input
  component, by the vertex-separator inequalities of :mod:`secession.plan.separation`,
  added lazily by a SCIP constraint handler on integral points (enforcement, exact) and on
  fractional LP points (separation, rounding heuristic);
- with one new country and both sides contiguous on a planar component, the border is a
  bond, a simple cycle of the dual graph, so every face has at most two cut edges:
  ``sum_{e on face} y_e <= 2`` with ``y_e >= |x_u - x_v|`` (:mod:`secession.plan.planar`;
  when the component is not planar, relaxed by ``2 * slack`` where the slack counts the
  crossing points of split crossing pairs: ``z <= x`` bounds for "this edge inside the
  new country, that one inside the rest", so the LP cannot relax the faces for free).
  These local inequalities cut off most of the checkerboard fractional points that make
  the plain separator LP weak;
- minimum population per used country, at most ``K`` countries, ordered slots;
- any number of new countries of at least ``P`` voters: no slots. One binary per unit, and
  the pieces of the leaving side must group into countries of ``P`` with one piece per
  input component (:mod:`secession.plan.grouping`), enforced lazily by the population cuts
  of :mod:`secession.plan.size_cuts`. With slots the national instance had one binary per
  unit and slot (996,032), took 5.8 GB and never left the trivial bound.

With one new country and no minimum population the input components are solved one by one
(:mod:`secession.plan.reductions`). Optionally (:data:`ROOTED_MIN_UNITS`, off by default)
large components are solved by root enumeration (:mod:`secession.plan.rooted`): the unit
with the largest gain is put in the new country and a rooted arborescence (arc variables,
directed cuts) is added, then the next case excludes it, until the gains left cannot beat
the best plan. At the time limit the best plan found is returned with SCIP's proven bound.

Only what SCIP cannot see needs care: every variable that appears in the lazy cuts (units
and arcs) is locked both ways in ``conslock``, or presolve would fix it on the linear rows
alone and cut off valid plans. Rook graphs of real counties are not always planar (a county
in two parts, e.g. Louisiana's St. Martin Parish; 12 edges of the 48-state mainland are left
out of its planar subgraph); then the faces of a maximal planar subgraph are used with the
crossing relaxation proved in :mod:`secession.plan.planar`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from pyscipopt import SCIP_RESULT, Conshdlr, Model, quicksum
from scipy import sparse

from secession.exceptions import InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.grouping import group_units
from secession.plan.model import Plan, PlanConstraints
from secession.plan.planar import fewest_copies, nearly_planar_faces
from secession.plan.reductions import Prepared, prepare
from secession.plan.separation import Csr, Cut, is_connected, pieces, separate
from secession.plan.size_cuts import SizeCut, no_good, size_cuts

FRACTIONAL_THRESHOLDS = (0.5, 0.2, 0.05)
MAX_PLANAR_UNITS = 20_000
# Face inequalities only when at most this many edges must be left out to make the graph
# planar. The national counties leave out 12 and their faces lower the bound (63.52% ->
# 63.27%). AR's 2,525 units leave out 306: the relaxations add thousands of crossing
# variables, and AR, proven in 28 s without faces, was not proven in 90 s with them.
MAX_LEFT_OUT = 50
# Graphs with at most this many edges try PLANAR_ORDER_TRIES edge orders for the planar
# subgraph and keep the one leaving out the fewest edges. A window of the national counties
# around Peach County (GA) left out 6 edges in one order and 2 in another, and was proven
# in 0.06 s instead of not at all in 5 s. The national graph itself (8,796 edges) would
# need about 0.5 s per order: 40 orders leave out 5 edges instead of 12, for a bound of
# 63.247% instead of 63.259% after 60 s (not worth 18 s).
PLANAR_TRIES_MAX_EDGES = 2_000
PLANAR_ORDER_TRIES = 8
MAX_DIRECTED_CUTS = 400
# Components at least this large use root enumeration (None: never). Off by default: on the
# national instance its LP converges more slowly than the unrooted model's within 60 s
# (bound 63.53% after 240 s on case one vs 63.52% unrooted after 60 s; notes in the report).
ROOTED_MIN_UNITS: int | None = None
SCIP_PARAMS: dict[str, object] = {}  # extra SCIP parameters (tuning and experiments)
SPLIT_FACES = True  # also the faces of the graph with left-out edges' units split
MIN_SHARE = 1.0  # seconds a component may always take, however small its share by size
OUT_OF_TIME = 0.05  # seconds left below which no further subproblem model is built
SCIP_MAX_TIME = 1e20  # the largest value SCIP takes for limits/time (no limit)


@dataclass
class SubResult:
    """Outcome of one subproblem: slot per local unit (0 = stay) and the weight bound."""

    slot: np.ndarray
    value: float
    bound: float
    optimal: bool
    stats: dict = field(default_factory=dict)


class _NoSolution(InfeasiblePlanError):
    """No plan found before the time limit (not a proof of infeasibility)."""

    def __init__(self, bound: float, time_limit: float) -> None:
        super().__init__(f"no plan meeting all the constraints was found within {time_limit:g} s")
        self.bound = bound


class _Connectivity(Conshdlr):
    """Lazy connectivity of every side that must be contiguous."""

    def __init__(self, owner: _SubModel) -> None:
        self.owner = owner
        self._tvars: dict[int, object] | None = None

    # ---------------------------------------------------------------- helpers
    def _transformed(self) -> dict[int, object]:
        if self._tvars is None:
            self._tvars = {
                key: self.model.getTransformedVar(var) for key, var in self.owner.var_list
            }
        return self._tvars

    def _values(self, sol) -> np.ndarray:
        o = self.owner
        vals = np.zeros((o.n, o.slots))
        for key, var in self.owner.var_list:
            i, k = divmod(key, o.slots)
            vals[i, k] = self.model.getSolVal(sol, var)
        return vals

    def _cuts(self, vals: np.ndarray, integral: bool) -> list[tuple[int, Cut]]:
        o = self.owner
        out: list[tuple[int, Cut]] = []
        thresholds = (0.5,) if integral else FRACTIONAL_THRESHOLDS
        for side in o.sides:
            s = o.side_values(vals, side)
            for scope in o.scopes:
                for t in thresholds:
                    for cut in separate(o.adj, s, scope, threshold=t, integral=integral):
                        out.append((side, cut))
        return out

    def _directed(self, sol, vals: np.ndarray, integral: bool) -> list[tuple[int, np.ndarray]]:
        """Directed cuts ``z(delta-(U)) >= x_v`` for pieces ``U`` without the root."""
        o = self.owner
        if o.root is None:
            return []
        z = np.asarray([self.model.getSolVal(sol, var) for var in o.z_vars])
        s = vals[:, 0]
        out: list[tuple[int, np.ndarray]] = []
        for t in (0.5,) if integral else FRACTIONAL_THRESHOLDS:
            k, lab = pieces(o.adj, s > t)
            pu, pv = lab[o.arc_u], lab[o.arc_v]
            into = (pv >= 0) & (pu != pv)
            inflow = np.bincount(pv[into], weights=z[into], minlength=k)
            for p in range(k):
                if p == lab[o.root]:
                    continue
                members = np.flatnonzero(lab == p)
                v = int(members[np.argmax(s[members])])
                if integral or inflow[p] < s[v] - 1e-6:
                    out.append((v, np.flatnonzero(into & (pv == p))))
                if len(out) >= MAX_DIRECTED_CUTS:
                    return out
        return out

    def _add_directed(self, cuts: list[tuple[int, np.ndarray]], force: bool) -> None:
        tv = self._transformed()
        o = self.owner
        for v, arcs in cuts:
            row = self.model.createEmptyRowUnspec(
                name="dcut", lhs=0.0, rhs=None, local=False, removable=True
            )
            self.model.cacheRowExtensions(row)
            for a in arcs.tolist():
                self.model.addVarToRow(row, self._tz[a], 1.0)
            self.model.addVarToRow(row, tv[v * o.slots], -1.0)
            self.model.flushRowExtensions(row)
            self.model.addCut(row, forcecut=force)
            self.model.releaseRow(row)
        o.n_cuts += len(cuts)

    @property
    def _tz(self) -> list[object]:
        if getattr(self, "_tz_cache", None) is None:
            self._tz_cache = [self.model.getTransformedVar(z) for z in self.owner.z_vars]
        return self._tz_cache

    def _feasible(self, vals: np.ndarray) -> bool:
        o = self.owner
        for side in o.sides:
            mask = o.side_values(vals, side) > 0.5
            if not is_connected(o.adj, mask, o.comp):
                return False
        if o.check_exclaves and o.exclave_breach(vals):
            return False
        return not o.grouped or o.grouping(vals[:, 0] > 0.5) is not None

    def _exclave_nogood(self, vals: np.ndarray) -> bool:
        """On an integral point whose only fault is an exclave nearer another country: cut
        off exactly that assignment (no weaker cut is valid: moving any unit changes the
        distances). True when a cut was added."""
        o = self.owner
        if not (o.check_exclaves and o.exclave_breach(vals)):
            return False
        tv = self._transformed()
        row = self.model.createEmptyRowUnspec(
            name="exclave",
            lhs=1.0 - float(sum(vals[divmod(k, o.slots)] > 0.5 for k, _ in o.var_list)),
            rhs=None,
            local=False,
            removable=False,
        )
        self.model.cacheRowExtensions(row)
        for key, _ in o.var_list:
            on = vals[divmod(key, o.slots)] > 0.5
            self.model.addVarToRow(row, tv[key], -1.0 if on else 1.0)
        self.model.flushRowExtensions(row)
        self.model.addCut(row, forcecut=True)
        self.model.releaseRow(row)
        o.n_nogoods += 1
        return True

    def _size_cuts(self, vals: np.ndarray, integral: bool) -> list[SizeCut]:
        """Population cuts for pooled countries; on an integral point that cannot be
        grouped and violates none of them, the point's no-good cut."""
        o = self.owner
        if not o.grouped:
            return []
        x = vals[:, 0]
        out: list[SizeCut] = []
        for t in (0.5,) if integral else FRACTIONAL_THRESHOLDS:
            out += size_cuts(o.adj, x, o.comp, o.pop, o.can_leave, o.min_population, threshold=t)
        if integral and not out and o.grouping(x > 0.5) is None:
            out.append(no_good(x, o.can_leave))
        return out

    def _add_size_rows(self, cuts: list[SizeCut], force: bool) -> None:
        tv = self._transformed()
        for cut in cuts:
            row = self.model.createEmptyRowUnspec(
                name="size", lhs=cut.lhs, rhs=None, local=False, removable=True
            )
            self.model.cacheRowExtensions(row)
            for i, c in zip(cut.units.tolist(), cut.coefs.tolist(), strict=True):
                self.model.addVarToRow(row, tv[i], c)
            self.model.flushRowExtensions(row)
            self.model.addCut(row, forcecut=force)
            self.model.releaseRow(row)
        self.owner.n_cuts += len(cuts)

    def _add_rows(self, cuts: list[tuple[int, Cut]], force: bool) -> int:
        tv = self._transformed()
        added = 0
        for side, cut in cuts:
            coefs, const = self.owner.cut_terms(side, cut)
            if not coefs:
                continue
            row = self.model.createEmptyRowUnspec(
                name="conn", lhs=None, rhs=1.0 - const, local=False, removable=True
            )
            self.model.cacheRowExtensions(row)
            for key, c in coefs.items():
                self.model.addVarToRow(row, tv[key], c)
            self.model.flushRowExtensions(row)
            self.model.addCut(row, forcecut=force)
            self.model.releaseRow(row)
            added += 1
        self.owner.n_cuts += added
        return added

    # ---------------------------------------------------------------- callbacks
    def conscheck(
        self, constraints, solution, checkintegrality, checklprows, printreason, completely
    ):
        ok = self._feasible(self._values(solution))
        return {"result": SCIP_RESULT.FEASIBLE if ok else SCIP_RESULT.INFEASIBLE}

    def consenfolp(self, constraints, nusefulconss, solinfeasible):
        vals = self._values(None)
        cuts = self._cuts(vals, integral=True)
        sized = self._size_cuts(vals, integral=True)
        if not cuts and not sized:
            if self._exclave_nogood(vals):
                return {"result": SCIP_RESULT.SEPARATED}
            return {"result": SCIP_RESULT.FEASIBLE}
        self._add_rows(cuts, force=True)
        self._add_size_rows(sized, force=True)
        self._add_directed(self._directed(None, vals, integral=True), force=True)
        return {"result": SCIP_RESULT.SEPARATED}

    def consenfops(self, constraints, nusefulconss, solinfeasible, objinfeasible):
        vals = self._values(None)
        if self._feasible(vals):
            return {"result": SCIP_RESULT.FEASIBLE}
        tv = self._transformed()
        for side, cut in self._cuts(vals, integral=True):
            coefs, const = self.owner.cut_terms(side, cut)
            if coefs:
                expr = quicksum(c * tv[key] for key, c in coefs.items())
                self.model.addCons(expr <= 1.0 - const, removable=True)
        for cut in self._size_cuts(vals, integral=True):
            expr = quicksum(
                c * tv[i] for i, c in zip(cut.units.tolist(), cut.coefs.tolist(), strict=True)
            )
            self.model.addCons(expr >= cut.lhs, removable=True)
        o = self.owner
        if o.check_exclaves and o.exclave_breach(vals):
            on = [(key, vals[divmod(key, o.slots)] > 0.5) for key, _ in o.var_list]
            expr = quicksum((1 - tv[k]) if v else tv[k] for k, v in on)
            self.model.addCons(expr >= 1, removable=False)
            o.n_nogoods += 1
        return {"result": SCIP_RESULT.CONSADDED}

    def conssepalp(self, constraints, nusefulconss):
        vals = self._values(None)
        cuts = self._cuts(vals, integral=False)
        sized = self._size_cuts(vals, integral=False)
        directed = self._directed(None, vals, integral=False)
        if not cuts and not sized and not directed:
            return {"result": SCIP_RESULT.DIDNOTFIND}
        self._add_rows(cuts, force=False)
        self._add_size_rows(sized, force=False)
        self._add_directed(directed, force=False)
        return {"result": SCIP_RESULT.SEPARATED}

    def conslock(self, constraint, locktype, nlockspos, nlocksneg):
        both = nlockspos + nlocksneg
        for _, var in self.owner.var_list:
            self.model.addVarLocksType(var, locktype, both, both)
        for var in self.owner.z_vars:  # arcs appear in the lazy directed cuts
            self.model.addVarLocksType(var, locktype, both, both)


class _SubModel:
    """One SCIP model over a set of units (one input component, or all of them)."""

    def __init__(
        self,
        prep: Prepared,
        units: np.ndarray,
        slots: int,
        *,
        need_new: bool,
        need_rest: bool,
        min_population: float,
        use_faces: bool,
        weight: np.ndarray | None = None,
        can_leave: np.ndarray | None = None,
        must_leave: np.ndarray | None = None,
        root: int | None = None,
        grouped: bool = False,
    ) -> None:
        self.prep = prep
        self.grouped = grouped  # countries pooled from pieces (any number, size floor)
        self.units = units
        self.n = len(units)
        self.slots = slots
        self.matrix: sparse.csr_matrix = prep.adjacency[units][:, units].tocsr()
        self.adj = Csr.of(self.matrix)
        self.comp = prep.component[units]
        self.w = prep.weight[units] if weight is None else weight
        self.pop = prep.graph.population[units]
        self.can_leave = prep.can_leave[units] if can_leave is None else can_leave
        self.must_leave = prep.must_leave[units] if must_leave is None else must_leave
        self.root = root
        self.z_vars: list[object] = []
        self.arc_u = self.arc_v = np.zeros(0, dtype=np.int64)
        self.sides = ([*range(1, slots + 1)] if need_new else []) + ([0] if need_rest else [])
        self.scopes = [
            self.comp == c for c in np.unique(self.comp).tolist() if (self.comp == c).sum() > 1
        ]
        self.min_population = min_population
        self.use_faces = use_faces
        self.n_cuts = 0
        # auxiliary face variables and the units they depend on (for warm starts)
        self.face_aux: list[tuple[object, tuple[int, ...], int]] = []
        self.face_slack: object | None = None
        self.hint: np.ndarray | None = None  # warm-start slots, to choose left-out edges
        self.var_list: list[tuple[int, object]] = []
        self.used_vars: list[object] = []  # slot k holds a country (with a size floor)
        self._last_grouping: tuple[bytes, np.ndarray | None] | None = None
        self.x: dict[int, object] = {}
        self.exclaves = prep.constraints.exclaves
        self.need_new_contiguous = prep.constraints.contiguous_new and not prep.pieces_are_countries
        self.landmass_vars: dict[tuple[int, int], object] = {}
        earth = prep.graph.earth
        whole = len(units) == prep.n and bool(np.all(units == np.arange(prep.n)))
        self.earth = earth if earth is None or whole else earth.subset(units)
        # slots whose countries may span landmasses: the policy is checked on integral points
        self.check_exclaves = (
            slots > 1 and need_new and self.exclaves == "nearest" and len(np.unique(self.comp)) > 1
        )
        self.n_nogoods = 0

    def grouping(self, leaving: np.ndarray) -> np.ndarray | None:
        """Country per leaving unit (0, 1, ...; -1 off) when the pieces of ``leaving`` can
        be grouped into countries of the minimum population, else ``None``. The last
        answer is kept: SCIP checks a candidate, then enforces on the same point."""
        key = np.packbits(leaving).tobytes()
        if self._last_grouping is None or self._last_grouping[0] != key:
            found = group_units(
                self.adj,
                leaving,
                self.comp,
                self.pop,
                self.min_population,
                exclaves=self.exclaves,
                earth=self.earth,
            )
            self._last_grouping = (key, found)
        return self._last_grouping[1]

    def exclave_breach(self, vals: np.ndarray) -> bool:
        """Whether the integral point ``vals`` has an exclave the policy forbids."""
        from secession.plan.exclaves import breaching_pieces, pieces_of

        country = np.zeros(self.n, dtype=np.int64)
        rows, cols = np.nonzero(vals > 0.5)
        country[rows] = cols + 1
        found = pieces_of(self.adj.indptr, self.adj.indices, country, self.comp, self.pop)
        return len(breaching_pieces(self.earth, found, self.exclaves)) > 0

    # ------------------------------------------------------------ side algebra
    def side_values(self, vals: np.ndarray, side: int) -> np.ndarray:
        if side == 0:
            return 1.0 - vals.sum(axis=1)
        return vals[:, side - 1]

    def cut_terms(self, side: int, cut: Cut) -> tuple[dict[int, float], float]:
        """Cut ``s_a + s_b - s(C) <= 1`` as ``{var key: coef}`` and a constant term."""
        coefs: dict[int, float] = {}
        const = 0.0
        terms = [(cut.a, 1.0), (cut.b, 1.0)] + [(int(c), -1.0) for c in cut.sep]
        for i, sign in terms:
            if side == 0:
                const += sign
                for k in range(self.slots):
                    key = i * self.slots + k
                    if key in self.x:
                        coefs[key] = coefs.get(key, 0.0) - sign
            else:
                key = i * self.slots + side - 1
                if key in self.x:
                    coefs[key] = coefs.get(key, 0.0) + sign
        return {k: v for k, v in coefs.items() if v != 0.0}, const

    # ------------------------------------------------------------ model
    def build(self, seed: int, progress: bool) -> Model:
        m = Model("secession-plan")
        if not progress:
            m.hideOutput()
        m.setParam("randomization/randomseedshift", int(seed) % 2**31)
        m.setParam("randomization/permutationseed", int(seed) % 2**31)
        if self.grouped:  # its root bound keeps falling after SCIP's stall limit
            m.setParam("separating/maxstallroundsroot", -1)
            m.setParam("separating/maxroundsroot", -1)
        for name, value in SCIP_PARAMS.items():
            m.setParam(name, value)
        n, K = self.n, self.slots
        for i in range(n):
            if not self.can_leave[i]:
                continue
            for k in range(K):
                var = m.addVar(name=f"x{i}_{k}", vtype="B", obj=float(self.w[i]))
                self.x[i * K + k] = var
                self.var_list.append((i * K + k, var))
        for i in range(n):
            row = [self.x[i * K + k] for k in range(K) if i * K + k in self.x]
            if not row:
                continue
            if self.must_leave[i]:
                m.addCons(quicksum(row) == 1)
            elif K > 1:
                m.addCons(quicksum(row) <= 1)
        if K > 1 or self.min_population > 0:
            used = [m.addVar(name=f"u{k}", vtype="B") for k in range(K)]
            self.used_vars = used
            for k in range(K):
                members = [(i, self.x[i * K + k]) for i in range(n) if i * K + k in self.x]
                for _, var in members:
                    m.addCons(var <= used[k])
                if self.min_population > 0:
                    m.addCons(
                        quicksum(float(self.pop[i]) * v for i, v in members)
                        >= self.min_population * used[k]
                    )
                if k > 0:
                    m.addCons(used[k] <= used[k - 1])
        self.landmass_vars = {}
        if self.exclaves == "none" and self.need_new_contiguous and not self.grouped:
            self._add_one_landmass(m)
        if self.use_faces:
            self._add_faces(m)
        if self.root is not None:
            self._add_arcs(m)
        hdlr = _Connectivity(self)
        m.includeConshdlr(
            hdlr,
            "connectivity",
            "sides contiguous per input component",
            sepapriority=100,
            enfopriority=-100,
            chckpriority=-100,
            sepafreq=1,
            needscons=True,
        )
        cons = m.createCons(
            hdlr,
            "connectivity",
            initial=False,
            separate=True,
            enforce=True,
            check=True,
            propagate=False,
        )
        m.addPyCons(cons)
        m.setMaximize()
        if np.all(self.w == np.round(self.w)):
            m.setObjIntegral()
        return m

    def _add_one_landmass(self, m: Model) -> None:
        """``--exclaves none``: each country slot uses at most one landmass."""
        comps = np.unique(self.comp).tolist()
        if len(comps) < 2:
            return
        K = self.slots
        for k in range(K):
            on = {c: m.addVar(name=f"l{c}_{k}", vtype="B") for c in comps}
            self.landmass_vars.update({(c, k): v for c, v in on.items()})
            for key, var in self.var_list:
                i, kk = divmod(key, K)
                if kk == k:
                    m.addCons(var <= on[int(self.comp[i])])
            m.addCons(quicksum(on.values()) <= 1)

    def _add_arcs(self, m: Model) -> None:
        """Rooted arborescence for the new country: one arc into every member but the root
        (``sum_u z_uv = x_v``), arcs only out of members (``z_uv <= x_u``); directed cuts
        ``z(delta-(U)) >= x_v`` for ``U`` without the root are added lazily."""
        rows = np.repeat(np.arange(self.n), np.diff(self.adj.indptr))
        cols = self.adj.indices
        has = np.asarray([i in self.x for i in range(self.n)])
        keep = has[rows] & has[cols] & (cols != self.root)
        self.arc_u, self.arc_v = rows[keep], cols[keep]
        into: list[list[object]] = [[] for _ in range(self.n)]
        for u, v in zip(self.arc_u.tolist(), self.arc_v.tolist(), strict=True):
            z = m.addVar(name=f"z{u}_{v}", vtype="C", lb=0.0, ub=1.0)
            self.z_vars.append(z)
            into[v].append(z)
            m.addCons(z <= self.x[u])
        for v in range(self.n):
            if v != self.root and v in self.x:
                m.addCons(quicksum(into[v]) == self.x[v])

    def _add_faces(self, m: Model) -> None:
        """Border inequalities: at most two cut edges on every face (K = 1). On a graph
        that is not planar: faces of a planar subgraph, relaxed by two per crossing point
        of a split pair (:func:`secession.plan.planar.nearly_planar_faces`), and the long
        faces of the graph with left-out edges moved to copies of their units, with the
        constant limit ``2 + 2 * copies`` (:func:`secession.plan.planar.fewest_copies`)."""
        edges = np.column_stack(sparse.triu(self.matrix, k=1).nonzero())
        prefer_out = None
        if self.hint is not None:
            # Prefer to leave out border edges of the warm start: an edge between the two
            # sides is never inside one, so near that plan fewer crossing pairs are split.
            side = self.hint > 0
            prefer_out = side[edges[:, 0]] != side[edges[:, 1]]
        tries = PLANAR_ORDER_TRIES if len(edges) <= PLANAR_TRIES_MAX_EDGES else 1
        found = nearly_planar_faces(self.n, edges, prefer_out=prefer_out, tries=tries)
        if found is None or len(found.left_out) > MAX_LEFT_OUT:
            self.faces_used = 0
            self.left_out = 0 if found is None else len(found.left_out)
            return
        faces = found.faces
        self.faces_used = len(faces)
        self.split_faces_used = 0
        self.left_out = len(found.left_out)
        y: dict[int, object] = {}

        def xv(i: int):
            return self.x.get(i * self.slots, 0.0)

        slack = 0.0
        if found.crossings:
            zs = []
            for (e, f), times in zip(found.crossings, found.multiplicity, strict=True):
                a, b = (int(t) for t in edges[e])
                c, d = (int(t) for t in edges[f])
                if {a, b} & {c, d}:
                    continue  # edges sharing a unit are never on different sides
                # z = 1 only when the pair is split (one edge inside the new country,
                # the other inside the rest): upper bounds, so that the LP cannot relax
                # the faces for free. One variable per orientation.
                both = []
                for k, (inside, outside) in enumerate((((a, b), (c, d)), ((c, d), (a, b)))):
                    z = m.addVar(name=f"z{e}_{f}_{k}", vtype="C", lb=0.0, ub=1.0)
                    for i in inside:
                        m.addCons(z <= xv(i))
                    for i in outside:
                        m.addCons(z <= 1 - xv(i))
                    both.append(z)
                    zs.append(times * z)
                    self.face_aux.append((z, (*inside, *outside), times))
                m.addCons(both[0] + both[1] <= 1)  # one orientation at a time
            slack = m.addVar(name="crossed", vtype="C", lb=0.0, ub=None)
            self.face_slack = slack
            m.addCons(slack == quicksum(zs))

        def border(e: int):
            """``y_e >= |x_u - x_v|``, made once per edge."""
            if e not in y:
                u, v = (int(t) for t in edges[e])
                if not self.can_leave[u] and not self.can_leave[v]:
                    y[e] = 0.0
                else:
                    var = m.addVar(name=f"y{e}", vtype="C", lb=0.0, ub=1.0)
                    m.addCons(var >= xv(u) - xv(v))
                    m.addCons(var >= xv(v) - xv(u))
                    y[e] = var
                    self.face_aux.append((var, (u, v), 1))
            return y[e]

        for face in faces:
            for e in face:
                border(e)
            m.addCons(quicksum(mult * y[e] for e, mult in face.items()) - 2 * slack <= 2)
        if found.left_out and SPLIT_FACES:
            split = fewest_copies(self.n, edges, found.left_out)
            if split is not None:
                self.split_faces_used = len(split.faces)
                for face in split.faces:
                    expr = quicksum(mult * border(e) for e, mult in face.items())
                    m.addCons(expr <= split.limit)

    def add_start(self, m: Model, slot: np.ndarray) -> bool:
        """Give SCIP the plan ``slot`` as a start; True when it is feasible in the model."""
        sol = m.createSol()
        K = self.slots
        for key, var in self.var_list:
            i, k = divmod(key, K)
            m.setSolVal(sol, var, 1.0 if slot[i] == k + 1 else 0.0)
        for k, var in enumerate(self.used_vars):  # a start without them would be rejected
            m.setSolVal(sol, var, 1.0 if (slot == k + 1).any() else 0.0)
        for (c, k), var in self.landmass_vars.items():
            m.setSolVal(sol, var, 1.0 if ((slot == k + 1) & (self.comp == c)).any() else 0.0)
        self._set_face_values(m, sol, (slot > 0).astype(np.float64))
        if self.root is not None:
            parent = _bfs_parents(self.adj, slot > 0, self.root)
            if parent is None:
                return False
            for z, u, v in zip(self.z_vars, self.arc_u.tolist(), self.arc_v.tolist(), strict=True):
                m.setSolVal(sol, z, 1.0 if parent[v] == u else 0.0)
        # addSol stores a start unchecked; SCIP drops an infeasible one later, silently
        feasible = bool(m.checkSol(sol, printreason=False, completely=True, original=True))
        m.addSol(sol)
        return feasible

    def _set_face_values(self, m: Model, sol, side: np.ndarray) -> None:
        """Values of the border and crossing variables implied by a plan (``side`` 0/1)."""
        crossed = 0.0
        for var, units, times in self.face_aux:
            if len(units) == 2:
                m.setSolVal(sol, var, abs(side[units[0]] - side[units[1]]))
            else:
                a, b, c, d = (side[i] for i in units)
                value = a * b * (1.0 - c) * (1.0 - d)  # first pair inside, second outside
                m.setSolVal(sol, var, value)
                crossed += times * value
        if self.face_slack is not None:
            m.setSolVal(sol, self.face_slack, crossed)

    def solve(
        self, time_limit: float, seed: int, progress: bool, start: np.ndarray | None
    ) -> SubResult:
        self.faces_used = self.left_out = self.split_faces_used = 0
        t0 = time.perf_counter()
        self.hint = start
        m = self.build(seed, progress)  # faces of the national graph take about 2 s
        left = float(time_limit) - (time.perf_counter() - t0)
        m.setParam("limits/time", min(max(0.01, left), SCIP_MAX_TIME))  # inf: no limit
        accepted = None if start is None else self.add_start(m, start)
        m.optimize()
        status = m.getStatus()
        stats = {
            "status": status,
            "nodes": m.getNNodes(),
            "cuts": self.n_cuts,
            "faces": self.faces_used,
            "left_out": self.left_out,
            "split_faces": self.split_faces_used,
            "seconds": m.getSolvingTime(),
            "start_accepted": accepted,
        }
        if m.getNSols() == 0:
            if status == "infeasible":
                raise InfeasiblePlanError(
                    f"no plan meets all the constraints together ({_describe(self.prep)}); "
                    "proven by exhaustive search"
                )
            raise _NoSolution(self._clamped(m.getDualbound()), time_limit)
        sol = m.getBestSol()
        slot = np.zeros(self.n, dtype=np.int64)
        for key, var in self.var_list:
            if m.getSolVal(sol, var) > 0.5:
                i, k = divmod(key, self.slots)
                slot[i] = k + 1
        value = float(self.w[slot > 0].sum())
        optimal = status == "optimal"
        bound = value if optimal else max(value, self._clamped(m.getDualbound()))
        return SubResult(slot, value, bound, optimal, stats)

    def _clamped(self, dual: float) -> float:
        """SCIP's dual bound, capped by the trivial bound (every gain taken, forced losses
        paid): before the root LP is solved SCIP reports its infinity (1e20)."""
        w = np.asarray(self.w, dtype=np.float64)
        take = self.can_leave & ((w > 0) | self.must_leave)
        return min(float(dual), float(w[take].sum()))


def _bfs_parents(adj: Csr, mask: np.ndarray, root: int) -> np.ndarray | None:
    """BFS parent of every unit of ``mask`` from ``root``; ``None`` if ``mask`` is not one
    piece containing ``root``."""
    if not mask[root]:
        return None
    parent = np.full(len(mask), -1, dtype=np.int64)
    parent[root] = root
    queue = [root]
    for v in queue:
        for u in adj.indices[adj.indptr[v] : adj.indptr[v + 1]].tolist():
            if mask[u] and parent[u] < 0:
                parent[u] = v
                queue.append(u)
    if np.any(mask & (parent < 0)):
        return None
    parent[root] = -1
    return parent


def _describe(prep: Prepared) -> str:
    c = prep.constraints
    parts = [
        f"new countries contiguous: {'yes' if c.contiguous_new else 'no'}",
        f"remaining country contiguous: {'yes' if c.contiguous_rest else 'no'}",
        f"at most {c.max_countries} new countries" if c.max_countries else "any number",
    ]
    if c.min_population > 0:
        parts.append(f"minimum population {c.min_population:,.0f}")
    if c.consent is not None:
        parts.append(f"consent {c.consent:g} ({int((~prep.can_leave).sum())} units may not leave)")
    if c.lock_leave:
        parts.append(f"locked to leave: {', '.join(c.lock_leave[:8])}")
    if c.lock_stay:
        parts.append(f"locked to stay: {', '.join(c.lock_stay[:8])}")
    return "; ".join(parts)


def exact_size(graph: UnitGraph, constraints: PlanConstraints) -> int:
    """Number of binary unit variables the exact model would have (for ``solver="auto"``)."""
    prep = prepare(graph, constraints)
    return int(prep.can_leave.sum()) * _slot_count(prep)


def _trivial(prep: Prepared, units: np.ndarray) -> SubResult | None:
    """Subproblems with no real choice: one unit, or no unit allowed to leave."""
    can = prep.can_leave[units]
    if not can.any():
        return SubResult(np.zeros(len(units), dtype=np.int64), 0.0, 0.0, True)
    if len(units) == 1:
        w = float(prep.weight[units[0]])
        go = bool(prep.must_leave[units[0]] or w > 0)
        return SubResult(np.array([int(go)]), w if go else 0.0, w if go else 0.0, True)
    return None


def _unsolved(prep: Prepared, units: np.ndarray, start: np.ndarray) -> SubResult:
    """A subproblem reached after the time limit: the warm start's plan, the trivial bound
    (every gain taken, forced losses paid), not proven; no model is built."""
    w = prep.weight[units].astype(np.float64)
    take = prep.can_leave[units] & ((w > 0) | prep.must_leave[units])
    value = float(w[start > 0].sum())
    return SubResult(start.astype(np.int64), value, max(value, float(w[take].sum())), False)


def _slot_count(prep: Prepared) -> int:
    c = prep.constraints
    if prep.single_label or prep.pieces_are_countries or prep.pieces_grouped:
        return 1
    if c.max_countries is not None:
        return int(c.max_countries)
    # any number of countries, each of at least min_population
    allowed_pop = float(prep.graph.population[prep.can_leave].sum())
    return max(1, min(int(prep.can_leave.sum()), int(allowed_pop // c.min_population)))


def solve_exact(
    graph: UnitGraph,
    constraints: PlanConstraints = PlanConstraints(),
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    progress: bool = False,
    warm_start: np.ndarray | None = None,
) -> Plan:
    """Solve the plan problem exactly (``constraints.level`` goes through ``solve``).

    ``warm_start`` is an optional country array (0 = stay) of a valid plan; it seeds SCIP.
    Returns a :class:`Plan` with ``proven_optimal`` true when SCIP closed the gap.
    """
    if constraints.level is not None:
        from secession.plan.solve import solve

        return solve(graph, constraints, solver="exact", time_limit=time_limit, seed=seed)
    t0 = time.perf_counter()
    prep = prepare(graph, constraints)
    c = constraints
    slots = _slot_count(prep)
    grouped = prep.pieces_grouped
    need_new = c.contiguous_new and not (prep.pieces_are_countries or grouped)
    need_rest = c.contiguous_rest
    start_slot = None
    if warm_start is not None and slots == 1:
        start_slot = (np.asarray(warm_start) > 0).astype(np.int64)
    elif warm_start is not None:
        start_slot = np.asarray(warm_start, dtype=np.int64)
        if start_slot.max(initial=0) > slots:
            start_slot = None
    independent = slots == 1 and c.min_population <= 0
    groups = (
        [np.flatnonzero(prep.component == k) for k in range(graph.n_components)]
        if independent
        else [np.arange(graph.n_units)]
    )
    # smallest first, each with its share of the time left by size: small components are
    # proven in a fraction of a second, and the largest, solved last, gets the rest
    groups.sort(key=len)
    units_left = sum(len(u) for u in groups)
    slot = np.zeros(graph.n_units, dtype=np.int64)
    value = bound = 0.0
    optimal = True
    stats: dict = {
        "subproblems": len(groups),
        "nodes": 0,
        "cuts": 0,
        "faces": 0,
        "left_out": 0,
    }
    results: list[tuple[np.ndarray, SubResult]] = []
    for units in groups:
        res = _trivial(prep, units) if independent else None
        rooted = ROOTED_MIN_UNITS is not None and len(units) >= ROOTED_MIN_UNITS
        if res is None and independent and need_new and rooted:
            from secession.plan.rooted import solve_rooted

            res = solve_rooted(
                prep,
                units,
                need_rest=need_rest,
                deadline=t0 + time_limit,
                seed=seed,
                progress=progress,
                start=None if start_slot is None else start_slot[units],
            )
            for key in ("nodes", "cuts", "faces"):
                stats[key] += int(res.stats.get(key, 0))
            stats["rooted"] = res.stats
        remaining = time_limit - (time.perf_counter() - t0)
        share = remaining
        if start_slot is not None:  # a cap, not a reservation: most small ones take ms
            share = min(remaining, max(remaining * len(units) / units_left, MIN_SHARE))
        units_left -= len(units)
        if res is None and remaining <= OUT_OF_TIME and start_slot is not None:
            res = _unsolved(prep, units, start_slot[units])
            stats["unsolved"] = stats.get("unsolved", 0) + 1
        if res is None:
            sub = _SubModel(
                prep,
                units,
                slots,
                need_new=need_new,
                need_rest=need_rest,
                min_population=c.min_population,
                grouped=grouped,
                use_faces=(
                    slots == 1 and need_new and need_rest and len(units) <= MAX_PLANAR_UNITS
                ),
            )
            local_start = None if start_slot is None else start_slot[units]
            res = sub.solve(share, seed, progress, local_start)
            for key in ("nodes", "cuts", "faces", "left_out"):
                stats[key] += int(res.stats.get(key, 0))
            took = res.stats.get("start_accepted")
            if took is not None:  # a valid start that SCIP refuses is a modelling defect
                key = "starts_accepted" if took else "starts_rejected"
                stats[key] = stats.get(key, 0) + 1
        results.append((units, res))
    if independent and c.exclaves == "none" and c.contiguous_new and len(results) > 1:
        # one landmass: the best component's plan, every other component stays
        units, res = max(results, key=lambda ur: ur[1].value)
        results = [(units, res)] + [
            (u, SubResult(np.zeros(len(u), dtype=np.int64), 0.0, r.bound, r.optimal))
            for u, r in results
            if u is not units
        ]
        top = max(r.bound for _, r in results)
        stats["one_landmass"] = True
        for u, r in results:
            slot[u] = r.slot
        value = res.value
        bound = max(top, value)
        optimal = bool(res.optimal and value >= top - 1e-9)
    else:
        for u, r in results:
            slot[u] = r.slot
            value += r.value
            bound += r.bound
            optimal &= r.optimal
    country = _number_countries(prep, slot)
    satisfied = float(graph.stay.sum() + prep.weight[country > 0].sum())
    best_bound = float(graph.stay.sum() + bound)
    if optimal:
        best_bound = satisfied
    from secession.plan.labels import country_labels

    return Plan(
        graph=graph,
        country=country,
        labels=country_labels(graph, int(country.max(initial=0))),
        satisfied_voters=satisfied,
        upper_bound=graph.upper_bound,
        best_bound=max(best_bound, satisfied),
        proven_optimal=optimal,
        solver="exact",
        seconds=time.perf_counter() - t0,
        constraints=constraints,
        stats=stats,
    )


def _number_countries(prep: Prepared, slot: np.ndarray) -> np.ndarray:
    """Country numbers 1..k from solver slots, largest population first.

    When each piece may be its own country (any number, no size floor) the pieces of the
    leaving set are numbered so that each country holds at most one piece per component;
    with a size floor they are grouped first (:mod:`secession.plan.grouping`).
    """
    pop = prep.graph.population
    policy = prep.constraints.exclaves
    if prep.pieces_grouped:
        group = group_units(
            Csr.of(prep.adjacency),
            slot > 0,
            prep.component,
            pop,
            prep.constraints.min_population,
            exclaves=policy,
            earth=prep.graph.earth,
        )
        if group is None:  # every plan SCIP accepts passed the same test (conscheck)
            raise RuntimeError("internal error: the exact plan's pieces do not group")
        slot = group + 1
    elif prep.pieces_are_countries and policy != "any":
        # every piece a country of its own: no exclaves at all
        _, lab = pieces(Csr.of(prep.adjacency), slot > 0)
        slot = np.where(lab >= 0, lab + 1, 0)
    elif prep.pieces_are_countries:
        leaving = slot > 0
        _, lab = pieces(Csr.of(prep.adjacency), leaving)
        country = np.zeros(len(slot), dtype=np.int64)
        comp = prep.component
        for k in np.unique(comp[leaving]).tolist():
            in_comp = leaving & (comp == k)
            labs = np.unique(lab[in_comp])
            sizes = [pop[lab == p].sum() for p in labs]
            for rank, p in enumerate(labs[np.argsort(sizes)[::-1]].tolist(), start=1):
                country[lab == p] = rank
        return country
    used = np.unique(slot[slot > 0])
    sizes = [pop[slot == k].sum() for k in used]
    country = np.zeros(len(slot), dtype=np.int64)
    for rank, k in enumerate(used[np.argsort(sizes, kind="stable")[::-1]].tolist(), start=1):
        country[slot == k] = rank
    return country
