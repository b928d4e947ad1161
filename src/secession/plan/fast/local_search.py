"""Local search for the fast solver: move border units while every country stays connected.

Compiled with numba; works on flat arrays only. A unit may leave its country only when
its neighbours in that country stay connected without it, which is tested by a bounded
breadth-first search around the unit (a sufficient condition: when the search gives up,
the move is refused, so moves never break contiguity).
"""

from __future__ import annotations

import numpy as np
from numba import njit

SEARCH_LIMIT = 400


@njit(cache=True)
def stays_connected(v, label, country, indptr, indices, mark, visit, stamp, queue, limit):
    """True when the ``label`` neighbours of ``v`` remain connected in ``label`` minus ``v``."""
    n_targets = 0
    first = -1
    stamp[0] += 1
    s = stamp[0]
    for j in range(indptr[v], indptr[v + 1]):
        u = indices[j]
        if country[u] == label and mark[u] != s:
            mark[u] = s
            n_targets += 1
            if first < 0:
                first = u
    if n_targets <= 1:
        return True
    visit[v] = s
    visit[first] = s
    found = 1
    head = 0
    tail = 1
    queue[0] = first
    while head < tail:
        x = queue[head]
        head += 1
        for j in range(indptr[x], indptr[x + 1]):
            y = indices[j]
            if country[y] == label and visit[y] != s:
                visit[y] = s
                if mark[y] == s:
                    found += 1
                    if found == n_targets:
                        return True
                if tail >= limit:
                    return False
                queue[tail] = y
                tail += 1
    return False


@njit(cache=True)
def improve(
    country,
    indptr,
    indices,
    comp,
    w,
    can_leave,
    must_leave,
    pop,
    min_pop,
    check_new,
    check_rest,
    order,
    limit,
):  # pragma: no cover - compiled
    """Flip border units with a positive gain until none is left; returns the moves made."""
    n = len(country)
    k_max = 0
    for i in range(n):
        if country[i] > k_max:
            k_max = country[i]
    cpop = np.zeros(k_max + 1, dtype=np.float64)
    n_comp = 0
    for i in range(n):
        cpop[country[i]] += pop[i]
        if comp[i] + 1 > n_comp:
            n_comp = comp[i] + 1
    rest_count = np.zeros(n_comp, dtype=np.int64)
    for i in range(n):
        if country[i] == 0:
            rest_count[comp[i]] += 1
    mark = np.zeros(n, dtype=np.int64)
    visit = np.zeros(n, dtype=np.int64)
    stamp = np.zeros(1, dtype=np.int64)
    bfs = np.empty(limit + 1, dtype=np.int64)
    fifo = np.empty(n + 1, dtype=np.int64)
    queued = np.zeros(n, dtype=np.bool_)
    head = 0
    size = 0
    for t in range(n):
        v = order[t]
        if w[v] != 0:
            fifo[(head + size) % (n + 1)] = v
            size += 1
            queued[v] = True
    moves = 0
    while size > 0:
        v = fifo[head]
        head = (head + 1) % (n + 1)
        size -= 1
        queued[v] = False
        cv = country[v]
        target = -1
        if cv == 0:
            if not can_leave[v] or w[v] <= 0:
                continue
            for j in range(indptr[v], indptr[v + 1]):
                u = indices[j]
                if country[u] > 0 and (target < 0 or cpop[country[u]] < cpop[target]):
                    target = country[u]
            if target < 0:
                continue
            if check_rest and not stays_connected(
                v, 0, country, indptr, indices, mark, visit, stamp, bfs, limit
            ):
                continue
            rest_count[comp[v]] -= 1
        else:
            if must_leave[v] or w[v] >= 0:
                continue
            if cpop[cv] - pop[v] < min_pop - 1e-9:
                continue
            if check_rest and rest_count[comp[v]] > 0:
                touches = False
                for j in range(indptr[v], indptr[v + 1]):
                    if country[indices[j]] == 0:
                        touches = True
                        break
                if not touches:
                    continue
            if check_new and not stays_connected(
                v, cv, country, indptr, indices, mark, visit, stamp, bfs, limit
            ):
                continue
            target = 0
            rest_count[comp[v]] += 1
        cpop[cv] -= pop[v]
        cpop[target] += pop[v]
        country[v] = target
        moves += 1
        for j in range(indptr[v], indptr[v + 1]):
            u = indices[j]
            if not queued[u]:
                queued[u] = True
                fifo[(head + size) % (n + 1)] = u
                size += 1
    return moves


def local_search(
    country: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    comp: np.ndarray,
    w: np.ndarray,
    can_leave: np.ndarray,
    must_leave: np.ndarray,
    pop: np.ndarray,
    min_pop: float,
    *,
    check_new: bool,
    check_rest: bool,
    rng: np.random.Generator,
) -> int:
    """Improve ``country`` in place; returns the number of units moved."""
    order = rng.permutation(len(country)).astype(np.int64)
    return int(
        improve(
            country,
            indptr,
            indices,
            comp,
            w,
            can_leave,
            must_leave,
            pop,
            float(min_pop),
            check_new,
            check_rest,
            order,
            SEARCH_LIMIT,
        )
    )


@njit(cache=True)
def _is_border(v, country, indptr, indices):
    cv = country[v]
    for j in range(indptr[v], indptr[v + 1]):  # noqa: SIM110 (numba)
        if country[indices[j]] != cv:
            return True
    return False


@njit(cache=True)
def _set_border(v, flag, pos, items, count):
    if flag and pos[v] < 0:
        pos[v] = count[0]
        items[count[0]] = v
        count[0] += 1
    elif not flag and pos[v] >= 0:
        last = items[count[0] - 1]
        items[pos[v]] = last
        pos[last] = pos[v]
        pos[v] = -1
        count[0] -= 1


@njit(cache=True)
def anneal(
    country,
    indptr,
    indices,
    w,
    can_leave,
    must_leave,
    pop,
    min_pop,
    check_new,
    check_rest,
    t_start,
    t_end,
    steps,
    seed,
    limit,
):  # pragma: no cover - compiled
    """Simulated annealing over border moves that keep every country connected.

    A step picks a random border unit ``v`` and a random neighbour ``u`` in another
    country and proposes moving ``v`` into ``u``'s country; losses are accepted with
    probability ``exp(gain / T)``, T cooling geometrically from ``t_start`` to ``t_end``.
    ``country`` ends as the best plan seen; returns its objective gain.
    """
    np.random.seed(seed)
    n = len(country)
    k_max = 0
    for i in range(n):
        if country[i] > k_max:
            k_max = country[i]
    cpop = np.zeros(k_max + 1, dtype=np.float64)
    for i in range(n):
        cpop[country[i]] += pop[i]
    mark = np.zeros(n, dtype=np.int64)
    visit = np.zeros(n, dtype=np.int64)
    stamp = np.zeros(1, dtype=np.int64)
    bfs = np.empty(limit + 1, dtype=np.int64)
    pos = np.full(n, -1, dtype=np.int64)
    items = np.empty(n, dtype=np.int64)
    count = np.zeros(1, dtype=np.int64)
    for i in range(n):
        if _is_border(i, country, indptr, indices):
            _set_border(i, True, pos, items, count)
    best = country.copy()
    value = 0.0
    best_value = 0.0
    if count[0] == 0 or steps <= 0:
        return 0.0
    n_stages = 200
    per_stage = max(1, steps // n_stages)
    ratio = (t_end / t_start) ** (1.0 / n_stages)
    temp = t_start
    for _stage in range(n_stages):
        for _ in range(per_stage):
            if count[0] == 0:
                break
            v = items[np.random.randint(0, count[0])]
            deg = indptr[v + 1] - indptr[v]
            u = indices[indptr[v] + np.random.randint(0, deg)]
            t = country[u]
            cv = country[v]
            if t == cv:
                continue
            if t > 0 and not can_leave[v]:
                continue
            if t == 0 and must_leave[v]:
                continue
            if cv > 0 and cpop[cv] - pop[v] < min_pop - 1e-9:
                continue
            gain = 0.0
            if cv == 0:
                gain = w[v]
            elif t == 0:
                gain = -w[v]
            if gain < 0 and np.random.random() >= np.exp(gain / temp):
                continue
            if (check_rest if cv == 0 else check_new) and not stays_connected(
                v, cv, country, indptr, indices, mark, visit, stamp, bfs, limit
            ):
                continue
            country[v] = t
            cpop[cv] -= pop[v]
            cpop[t] += pop[v]
            value += gain
            _set_border(v, _is_border(v, country, indptr, indices), pos, items, count)
            for j in range(indptr[v], indptr[v + 1]):
                x = indices[j]
                _set_border(x, _is_border(x, country, indptr, indices), pos, items, count)
        if value > best_value + 1e-9:
            best_value = value
            best[:] = country
        temp *= ratio
    country[:] = best
    return best_value


@njit(cache=True)
def ball(v, size, indptr, indices):  # pragma: no cover - compiled
    """The first ``size`` units reached by breadth-first search from ``v``."""
    n = len(indptr) - 1
    seen = np.zeros(n, dtype=np.bool_)
    out = np.empty(min(size, n), dtype=np.int64)
    out[0] = v
    seen[v] = True
    head = 0
    tail = 1
    while head < tail and tail < len(out):
        x = out[head]
        head += 1
        for j in range(indptr[x], indptr[x + 1]):
            y = indices[j]
            if not seen[y]:
                seen[y] = True
                out[tail] = y
                tail += 1
                if tail == len(out):
                    break
    return out[:tail]
