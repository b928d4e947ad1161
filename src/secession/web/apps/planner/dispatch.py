"""Hand queued jobs to Dask, within the limits in the settings.

``PLANNER_MAX_RUNNING`` jobs run at once in all (each person's own limit,
``PLANNER_MAX_PER_PERSON``, is checked when a job is started). :func:`dispatch` is one
pass (submit what may start, cancel what was stopped); :func:`serve` loops over it for
the ``plan_worker`` command; :func:`recover` requeues jobs left running by a worker that
died (state is in the database only, so nothing else is lost).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings

from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.tasks import execute

log = logging.getLogger(__name__)


class Dispatcher:
    """Keeps the futures of the jobs it submitted to ``client``."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.futures: dict[str, Any] = {}

    def dispatch(self) -> int:
        """One pass; returns how many jobs are still in flight."""
        for key, fut in list(self.futures.items()):
            if fut.done():
                del self.futures[key]
                if fut.status == "error":  # execute records its own errors: a worker died
                    log.error("plan job %s: the worker failed: %s", key, fut.exception())
                    _fail_lost(key)
        stopped = PlanJob.objects.filter(pk__in=list(self.futures), stop_requested=True)
        for job_id in stopped.values_list("pk", flat=True):
            fut = self.futures.get(str(job_id))
            if fut is not None and fut.status == "pending":
                fut.cancel()  # not started on a worker yet: it never will
        room = int(settings.PLANNER_MAX_RUNNING) - len(self.futures)
        if room > 0:
            queued = PlanJob.objects.filter(status=PlanJob.Status.QUEUED, stop_requested=False)
            for job in queued.exclude(pk__in=list(self.futures)).order_by("created_at")[:room]:
                key = str(job.pk)
                self.futures[key] = self.client.submit(execute, key, key=f"plan-{key}", pure=False)
        _close_stopped_queued()
        return len(self.futures)

    def run_until_idle(self, timeout: float, poll: float = 0.2) -> None:
        """Dispatch until no job is queued or in flight (tests, one-off runs)."""
        end = time.monotonic() + timeout
        while self.dispatch() or PlanJob.objects.filter(status=PlanJob.Status.QUEUED).exists():
            if time.monotonic() > end:
                raise TimeoutError("plan jobs still running after the timeout")
            time.sleep(poll)


def _close_stopped_queued() -> None:
    """A queued job whose stop was asked for never starts: it is stopped at once."""
    from django.utils import timezone

    PlanJob.objects.filter(status=PlanJob.Status.QUEUED, stop_requested=True).update(
        status=PlanJob.Status.STOPPED, finished_at=timezone.now(), message="Stopped on request."
    )


def _fail_lost(job_id: str) -> None:
    from django.utils import timezone

    from secession.web.apps.planner.tasks import INTERNAL_ERROR

    PlanJob.objects.filter(pk=job_id, status__in=PlanJob.ACTIVE).update(
        status=PlanJob.Status.FAILED, finished_at=timezone.now(), message=INTERNAL_ERROR
    )


def recover() -> int:
    """Requeue jobs a previous worker left running (their progress starts again)."""
    return PlanJob.objects.filter(status=PlanJob.Status.RUNNING).update(
        status=PlanJob.Status.QUEUED, progress={}, started_at=None
    )


def serve(client: Any, poll: float = 1.0) -> None:  # pragma: no cover - the worker loop
    dispatcher = Dispatcher(client)
    while True:
        dispatcher.dispatch()
        time.sleep(poll)
