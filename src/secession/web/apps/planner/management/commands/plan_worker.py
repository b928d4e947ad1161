"""``plan_worker``: run queued plan jobs on Dask until interrupted.

Connects to ``PLANNER_DASK_SCHEDULER`` (``$SECESSION_DASK_SCHEDULER``) when set, else starts
a local cluster of ``PLANNER_MAX_RUNNING`` worker processes. Jobs a previous worker left
running are queued again first. The worker and its processes run at a lower CPU priority
(``PLANNER_WORKER_NICE``), so that pages stay fast while plans are solved.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from secession.scenario.parallel import dask_client
from secession.web.apps.planner.dispatch import recover, serve


class Command(BaseCommand):
    help = "Run queued plan jobs on Dask (a local cluster, or PLANNER_DASK_SCHEDULER)."

    def handle(self, *args, **options) -> None:
        requeued = recover()
        if requeued:
            self.stdout.write(f"queued again {requeued} job(s) a previous worker left running")
        scheduler = settings.PLANNER_DASK_SCHEDULER or None
        nice = int(getattr(settings, "PLANNER_WORKER_NICE", 0))
        if nice > 0 and hasattr(os, "nice"):
            os.nice(nice)  # before the local cluster starts: its processes inherit it
        connections.close_all()  # forked worker processes must open their own
        with dask_client(scheduler, workers=int(settings.PLANNER_MAX_RUNNING)) as client:
            where = scheduler or "a local cluster"
            self.stdout.write(f"plan worker: running jobs on {where}; Ctrl-C stops")
            try:
                serve(client)
            except KeyboardInterrupt:
                self.stdout.write("plan worker stopped; running jobs are queued again next start")
