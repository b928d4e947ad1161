"""Run independent tasks on Dask: a local cluster of processes, or a scheduler address.

>>> with dask_client(workers=1, processes=False) as client:  # doctest: +SKIP
...     results = map_tasks(client, pow, 2, [1, 2, 3])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from secession.exceptions import SecessionError

#: Environment variable choosing how local worker processes start: ``fork`` (default on
#: Linux), ``spawn`` or ``forkserver``.
START_METHOD_ENV = "SECESSION_DASK_START"


def start_method() -> str:
    """How local workers start. ``fork`` by default where it exists: a forked worker has
    this process's imports (numpy, scipy, numba, the planner) already loaded, which saves
    about 1 CPU second per worker and most of the cluster's start-up against ``spawn``
    (Dask's default); see ``benchmarks/bench_scenario.py --start-method``."""
    import multiprocessing

    method = os.environ.get(START_METHOD_ENV, "").strip().lower()
    available = multiprocessing.get_all_start_methods()
    if method:
        if method not in available:
            raise SecessionError(
                f"{START_METHOD_ENV}={method!r}: choose one of {', '.join(available)}"
            )
        return method
    return "fork" if "fork" in available else "spawn"


@contextmanager
def dask_client(
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    processes: bool = True,
    timeout: float = 20.0,
) -> Iterator[Any]:
    """A ``distributed.Client``: connected to ``scheduler`` when given, else to a new
    :class:`distributed.LocalCluster` of ``workers`` single-threaded processes (default: one
    per core), closed on exit."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise SecessionError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    n = max(1, workers or os.cpu_count() or 1)
    config = {"distributed.worker.daemon": False}
    if processes:
        config["distributed.worker.multiprocessing-method"] = start_method()
    with dask.config.set(config):
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=":0",
            silence_logs=40,
        )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def map_tasks(
    client: Any,
    func: Callable[..., Any],
    shared: Any,
    items: Sequence[Any],
    *args: Any,
    on_done: Callable[[int], None] | None = None,
) -> list[Any]:
    """``[func(shared, item, *args) for item in items]`` on the cluster, in item order.

    ``shared`` is sent to the workers once. ``on_done(i)`` is called as each item finishes
    (for a progress bar).
    """
    from distributed import as_completed

    if not items:
        return []
    shared_f = client.scatter(shared, broadcast=True)
    futures = [client.submit(func, shared_f, item, *args, pure=False) for item in items]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(items)
    for fut in as_completed(futures):
        i = index[fut.key]
        results[i] = fut.result()
        if on_done:
            on_done(i)
    return results
