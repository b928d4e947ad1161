"""Improve a plan in a second process while SCIP works on the bound.

SCIP runs on one core. On a machine with another core free, :func:`start_search` forks a
process that runs :func:`secession.plan.improve.improve` for the same time, so the plan and
the bound both get the whole time limit. Where ``fork`` does not exist or there is one
core, in a daemon process (a Dask or pool worker, which may not have children) or in a
thread other than the main one, it returns ``None`` and the caller improves the plan after
SCIP instead.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.improve import improve  # imported before forking, not in the child
from secession.plan.model import PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions


def _run(
    send: Connection,
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    seconds: float,
    seed: int,
    options: SolverOptions,
) -> None:
    search = options.improver or improve
    try:
        send.send(search(graph, constraints, country, seconds=seconds, seed=seed, options=options))
    except Exception as exc:  # reported to the parent, which keeps its own plan
        send.send(exc)
    finally:
        send.close()


class BackgroundSearch:
    """A forked process running ``improve``; collect with :meth:`result`."""

    def __init__(
        self,
        graph: UnitGraph,
        constraints: PlanConstraints,
        country: np.ndarray,
        seconds: float,
        seed: int,
        options: SolverOptions = DEFAULT_OPTIONS,
    ) -> None:
        ctx = mp.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        # forked: the arguments are inherited, not pickled
        self._process = ctx.Process(
            target=_run,
            args=(send, graph, constraints, country, seconds, seed, options),
            daemon=True,
        )
        self._process.start()
        send.close()

    def result(self, timeout: float) -> tuple[np.ndarray, dict[str, Any]] | None:
        """The improved plan and its stats, or ``None`` if the search failed or overran."""
        value = None
        try:
            if self._receive.poll(max(timeout, 0.0)):
                value = self._receive.recv()
        except (EOFError, OSError):  # the process died without an answer
            value = None
        self.stop()
        return value if isinstance(value, tuple) else None

    def stop(self) -> None:
        """End the process (at once if it is still searching)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _usable_cores() -> int:
    """Cores this process may run on (a container's limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_search(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    *,
    seconds: float,
    seed: int,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> BackgroundSearch | None:
    """Start the search in a second process, or return ``None`` where that cannot help
    (or ``options.background`` is off)."""
    if not options.background:
        return None
    if "fork" not in mp.get_all_start_methods() or _usable_cores() < 2:
        return None
    if mp.current_process().daemon:  # a Dask or pool worker: may not start processes
        return None
    if threading.current_thread() is not threading.main_thread():
        return None  # forking from a worker thread may copy a lock another thread holds
    return BackgroundSearch(graph, constraints, country, seconds, seed, options)
