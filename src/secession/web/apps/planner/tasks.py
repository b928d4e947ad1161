"""The work of one job, run on a Dask worker: load, solve, write the output contract.

:func:`execute` takes only the job's id; everything else is read from its row, and
everything it finds is written back to the row (status, progress, a plain message), so a
job survives a restart of the web server. A mistake in the input (any
:class:`~secession.exceptions.SecessionError`) fails the job with that error's text; any
other error is logged with its traceback for the operators and shown as a plain sentence.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from secession.exceptions import DataError, PlanStopped, SecessionError
from secession.i18n import DEFAULT, LANGUAGES

log = logging.getLogger(__name__)

INTERNAL_ERROR = "The planner stopped on an internal error; the site's operators have the details."


def execute(job_id: str) -> str:
    """Run the job ``job_id`` (a queued row) to its end; return its final status."""
    _django()
    from django.db import connection

    try:
        return _execute(job_id)
    finally:
        connection.close()


def _django() -> None:
    """Set Django up in a worker process that has not (a worker of a remote cluster)."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _execute(job_id: str) -> str:
    from django.utils import timezone

    from secession.web.apps.planner.models import PlanJob

    S = PlanJob.Status
    # a stop asked for meanwhile is seen by the solver's first progress call
    claimed = PlanJob.objects.filter(pk=job_id, status__in=PlanJob.ACTIVE)
    if not claimed.update(status=S.RUNNING, started_at=timezone.now()):
        return PlanJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = PlanJob.objects.get(pk=job_id)
    try:
        folder = _plan(job)
    except PlanStopped:
        return _finish(job_id, S.STOPPED, message="Stopped on request.")
    except SecessionError as exc:
        return _finish(job_id, S.FAILED, message=str(exc))
    except Exception:
        log.exception("plan job %s failed", job_id)
        return _finish(job_id, S.FAILED, message=INTERNAL_ERROR)
    return _finish(job_id, S.DONE, result_dir=folder)


def _finish(job_id: str, status: str, **fields) -> str:
    from django.utils import timezone

    from secession.web.apps.planner.models import PlanJob

    PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )
    return PlanJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


def _plan(job) -> str:
    """Load, solve, write; the name of the published result folder."""
    from secession.geo.load import load_graph
    from secession.plan import solve
    from secession.plan.output import write_plan
    from secession.web.apps.planner import storage
    from secession.web.apps.planner.datasets import load_kwargs

    if job.edits.get("opt_in") is not None:  # the border repair after an opt-in referendum
        return _repair_opt_in(job)
    constraints = constraints_from(job.constraints)
    loaded = load_graph(**load_kwargs(job.dataset, job.place, job.direction, job.region))
    run = {
        "solver": job.solver,
        "time_limit": job.time_limit,
        "seed": job.seed,
        "progress": ProgressWriter(job.pk),
    }
    if job.edits.get("target") is not None:  # a repair of a plan edited by hand
        from secession.plan.edit import repair_edit

        target = np.asarray(job.edits["target"], dtype=np.int64)
        if target.shape != (loaded.graph.n_units,):
            raise DataError("the edited plan does not match its dataset any more")
        plan = repair_edit(loaded.graph, constraints, target, **run)
    else:
        plan = solve(loaded.graph, constraints, **run)
    partial = storage.partial_dir(job.pk)
    write_plan(plan, partial)
    try:
        from secession.maps import render_plan_outputs, write_interactive_maps
    except ImportError:  # maps are optional: the contract files are enough
        pass
    else:
        render_plan_outputs(plan, partial, title=job.title or None)
        # the framed map in each other language of the pages (planner.views.plan_file)
        others = [lang for lang in LANGUAGES if lang != DEFAULT]
        write_interactive_maps(plan, partial, others, title=job.title or None)
    return storage.publish(partial, job.pk).name


def _repair_opt_in(job) -> str:
    """The repair of an opt-in referendum's border, then the community's new territory."""
    from secession.web.apps.planner import optin
    from secession.web.apps.planner.optin_actions import apply_repaired_territory

    folder = optin.run(job, ProgressWriter(job.pk), constraints_from(job.constraints))
    job.result_dir = folder
    apply_repaired_territory(job)
    return folder


def constraints_from(data: dict):
    """``PlanConstraints`` from its ``to_dict()`` form (as stored on the job)."""
    from secession.plan import PlanConstraints

    return PlanConstraints(
        contiguous_new=bool(data.get("contiguous_new", True)),
        contiguous_rest=bool(data.get("contiguous_rest", True)),
        min_population=float(data.get("min_population", 0.0)),
        max_countries=data.get("max_countries", 1),
        consent=data.get("consent"),
        lock_leave=tuple(data.get("lock_leave", ())),
        lock_stay=tuple(data.get("lock_stay", ())),
        level=data.get("level"),
        exclaves=data.get("exclaves", "nearest"),
    )


class ProgressWriter:
    """The solver's ``progress`` callback: writes the progress to the job's row (at most
    once per ``PLANNER_PROGRESS_SECONDS``, the first and last stage always) and raises
    :class:`PlanStopped` once a stop was asked for."""

    def __init__(self, job_id) -> None:
        from django.conf import settings

        self.job_id = job_id
        self.every = float(getattr(settings, "PLANNER_PROGRESS_SECONDS", 1.0))
        self.last = float("-inf")

    def __call__(self, progress) -> None:
        from secession.web.apps.planner.models import PlanJob

        rows = PlanJob.objects.filter(pk=self.job_id)
        if rows.filter(stop_requested=True).exists():
            raise PlanStopped("stopped on request")
        now = time.monotonic()
        if progress.stage in ("started", "done") or now - self.last >= self.every:
            rows.update(progress=progress.to_dict())
            self.last = now
