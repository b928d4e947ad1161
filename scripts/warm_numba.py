"""Fill numba's on-disk cache so that a user's first plan runs as fast as the second.

``scripts/setup.sh`` runs this after installing the package. The planner's kernels are
``@njit(cache=True)``: numba compiles each on its first call (tens of seconds for all of
them) and stores the machine code next to the source (``__pycache__/*.nbi``/``*.nbc``) or
in ``NUMBA_CACHE_DIR``. Here the public :func:`secession.plan.solve` runs on seeded
synthetic maps through the fast and exact solvers, with one and with any number of new
countries, so every kernel is compiled with the argument types real runs pass (the same
``UnitGraph`` arrays), then the kernels still uncompiled, if any, are listed.

    python scripts/warm_numba.py          # a table of kernels and compiled signatures
    python scripts/warm_numba.py --quiet  # one line

Exit status 1 if a kernel of ``secession.plan`` was left uncompiled (a new kernel on a path
this warm-up does not reach: add that path here).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

from rich.console import Console
from rich.table import Table

console = Console(stderr=True)


def kernels() -> dict[str, object]:
    """Every numba dispatcher defined in a module of ``secession.plan``, by qualified name."""
    from numba.core.registry import CPUDispatcher

    import secession.plan

    found: dict[str, object] = {}
    for info in pkgutil.walk_packages(secession.plan.__path__, "secession.plan."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, CPUDispatcher) and value.py_func.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def warm() -> None:
    """Run the planner on small seeded maps along every path that calls a kernel."""
    from secession.plan import PlanConstraints, solve
    from secession.plan.synthetic import synthetic_planar_graph

    graph = synthetic_planar_graph(300, seed=1)
    one = PlanConstraints()
    several = PlanConstraints(max_countries=None, min_population=float(graph.population.sum()) / 10)
    for constraints in (one, several):
        for solver in ("fast", "exact"):
            solve(graph, constraints, solver=solver, time_limit=5.0, seed=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="print one line, not the table")
    args = parser.parse_args()
    started = time.perf_counter()
    with console.status("compiling the planner's numba kernels (once, into the cache)"):
        warm()
    found = kernels()
    # A kernel called only from other kernels is compiled into its callers and shows no
    # signature of its own; it is not a gap.
    inner = _called_from_kernels(found)
    cold = sorted(n for n, k in found.items() if not k.signatures and n not in inner)
    took = time.perf_counter() - started
    if not args.quiet:
        table = Table(title="numba kernels of secession.plan", title_justify="left")
        table.add_column("kernel")
        table.add_column("compiled signatures", justify="right")
        for name, k in sorted(found.items()):
            shown = str(len(k.signatures)) if k.signatures else "inlined" if name in inner else "0"
            table.add_row(name, shown)
        console.print(table)
    console.print(
        f"numba cache warm: {len(found) - len(cold)} of {len(found)} kernels ready "
        f"in {took:.0f} s (measured)"
    )
    if cold:
        console.print("[bold red]not compiled:[/] " + ", ".join(cold))
        return 1
    return 0


def _called_from_kernels(found: dict[str, object]) -> set[str]:
    """Kernels whose name appears in another kernel's source: compiled inside that one."""
    import inspect

    sources = {n: inspect.getsource(k.py_func) for n, k in found.items()}
    inner = set()
    for name in found:
        call = name.rsplit(".", 1)[1] + "("
        if any(o != name and call in src and found[o].signatures for o, src in sources.items()):
            inner.add(name)
    return inner


if __name__ == "__main__":
    sys.exit(main())
