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
    with dask.config.set({"distributed.worker.daemon": False}):
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
