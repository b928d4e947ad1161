"""Planner actions: start, stop, share and delete a plan (each audited in its transaction)."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secession.exceptions import SecessionError
from secession.plan import PlanConstraints
from secession.plan.edit import apply_moves
from secession.plan.solve import SOLVERS
from secession.web.apps.audit.log import record
from secession.web.apps.planner import events, storage
from secession.web.apps.planner.datasets import (
    MAX_COUNTRIES,
    check_dataset,
    check_direction,
    check_place,
    check_region,
)
from secession.web.apps.planner.edits import finished
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.regionlocks import outside_region
from secession.web.errors import Refused


class TooManyPlans(Refused):
    """A person (or the site) has as many plans waiting or running as allowed. HTTP 429."""

    status = 429


class PlanFinished(Refused):
    """The plan is no longer waiting or running."""


def start_plan(
    *,
    person,
    dataset: dict[str, Any],
    place: list[str],
    direction: str,
    constraints: PlanConstraints,
    solver: str = "auto",
    seed: int = 0,
    time_limit: float = 60.0,
    title: str = "",
    region: dict | None = None,
) -> PlanJob:
    """Queue a plan for ``person``; the plan worker runs it. Inputs are checked here (a
    :class:`ValidationError` names what is wrong), limits too. ``region``: a drawn region
    (GeoJSON geometry in lon/lat), within the states of ``place`` when some are given."""
    if not person.has_perm("planner.start_plan"):
        raise PermissionDenied(_("log in to plan a border"))
    _check_constraints(constraints)
    field = "upload" if dataset.get("kind") == "upload" else "year"
    try:
        dataset = check_dataset(dataset, person)
        field = "place"
        place = check_place(place)
        field = "region"
        region = check_region(region)
        field = "direction"
        direction = check_direction(direction)
        field = "place"
        if region is not None:
            check_locks_in_region(dataset, place, direction, region, constraints)
    except SecessionError as exc:  # the code names the field the message is about
        raise ValidationError(str(exc), code=field) from None
    if solver not in SOLVERS:
        raise ValidationError(
            _("unknown solver {solver!r}: choose {solvers}").format(
                solver=solver, solvers=", ".join(SOLVERS)
            )
        )
    most = float(settings.PLANNER_MAX_TIME_LIMIT)
    if not 0.1 <= float(time_limit) <= most:
        raise ValidationError(
            _("the time limit must be between 0.1 and {most} seconds").format(most=f"{most:g}")
        )
    if not 0 <= int(seed) < 2**31:
        raise ValidationError(_("the seed must be between 0 and 2147483647"))
    return _queue(
        person,
        events.PLAN_STARTED,
        {"dataset": dataset, "place": place, "region": region, "direction": direction},
        title=title.strip()[:200],
        dataset=dataset,
        place=place,
        region=region,
        direction=direction,
        constraints=constraints.to_dict(),
        solver=solver,
        seed=int(seed),
        time_limit=float(time_limit),
    )


def _check_constraints(constraints: PlanConstraints) -> None:
    """Finite numbers, a number of countries a plan can have (the API's schema and the
    form check the ranges; ``1e400`` or a 400-digit count must not reach the database)."""
    numbers = [constraints.min_population, constraints.consent]
    if not all(v is None or math.isfinite(v) for v in numbers):
        raise ValidationError(_("the minimum population and consent must be finite numbers"))
    if constraints.max_countries is not None and constraints.max_countries > MAX_COUNTRIES:
        digits = str(constraints.max_countries)
        shown = digits if len(digits) <= 12 else digits[:12] + "…"
        raise ValidationError(
            _("at most {most} new countries, not {n}").format(most=MAX_COUNTRIES, n=shown)
        )


def check_locks_in_region(
    dataset: dict[str, Any],
    place: list[str],
    direction: str,
    region: dict,
    constraints: PlanConstraints,
) -> None:
    """Refuse (a :class:`ValidationError` whose code is the lock's field) a locked county
    the drawn region does not keep: its point outside the region, or no county of the
    place at all."""
    for field, ids in (
        ("lock_leave", constraints.lock_leave),
        ("lock_stay", constraints.lock_stay),
    ):
        found = outside_region(dataset, place, direction, region, ids)
        if found.outside:
            names = ", ".join(
                f"{name} ({unit})" if name != unit else unit for unit, name in found.outside
            )
            raise ValidationError(
                ngettext(
                    "{names} lies outside the drawn region (its centre is not inside it): "
                    "unlock it, or draw the region around it.",
                    "{names} lie outside the drawn region (their centres are not inside "
                    "it): unlock them, or draw the region around them.",
                    len(found.outside),
                ).format(names=names),
                code=field,
            )
        if found.unknown:
            raise ValidationError(
                ngettext(
                    "{ids} is not a county of the chosen place.",
                    "{ids} are not counties of the chosen place.",
                    len(found.unknown),
                ).format(ids=", ".join(found.unknown)),
                code=field,
            )


def _queue(person, event: str, data: dict[str, Any], **fields) -> PlanJob:
    """Create the queued job within the limits, audited as ``event``."""
    with transaction.atomic():
        mine = PlanJob.objects.select_for_update().filter(owner=person, status__in=PlanJob.ACTIVE)
        limit = int(settings.PLANNER_MAX_PER_PERSON)
        if len(mine) >= limit:
            raise TooManyPlans(
                ngettext(
                    "you already have {n} plan waiting or running: wait for it to finish "
                    "or stop it",
                    "you already have {n} plans waiting or running: wait for one to "
                    "finish or stop one",
                    limit,
                ).format(n=limit)
            )
        waiting = PlanJob.objects.filter(status=PlanJob.Status.QUEUED).count()
        if waiting >= int(settings.PLANNER_MAX_QUEUED):
            raise TooManyPlans(
                _("the planner is busy: too many plans are waiting; try again later")
            )
        job = PlanJob.objects.create(owner=person, **fields)
        record(event, actor=person, target=job, data=data)
    return job


def stop_plan(job: PlanJob, *, person) -> PlanJob:
    """Ask ``job`` to stop: a waiting job never starts; a running one stops at the solver's
    next stage (its row shows the stop at once) or at its time limit."""
    if not person.has_perm("planner.view_plan", job):
        raise PermissionDenied(_("this plan is private"))
    if not job.active:
        raise PlanFinished(_("this plan has already finished"))
    if not person.has_perm("planner.stop_plan", job):
        raise PermissionDenied(_("only the plan's owner may stop it"))
    with transaction.atomic():
        PlanJob.objects.filter(pk=job.pk).update(stop_requested=True)
        record(events.PLAN_STOPPED, actor=person, target=job, data={})
    job.refresh_from_db()
    return job


def share_plan(job: PlanJob, *, person, shared: bool = True) -> PlanJob:
    """Make ``job`` visible to everyone (``shared``) or to its owner alone."""
    if not person.has_perm("planner.share_plan", job):
        raise PermissionDenied(_("only the plan's owner may share it"))
    with transaction.atomic():
        PlanJob.objects.filter(pk=job.pk).update(shared=shared)
        record(events.PLAN_SHARED if shared else events.PLAN_UNSHARED, actor=person, target=job)
    job.refresh_from_db()
    return job


def delete_plan(job: PlanJob, *, person) -> None:
    """Delete a finished plan and its files (a running one must be stopped first)."""
    if not person.has_perm("planner.view_plan", job):
        raise PermissionDenied(_("this plan is private"))
    if not person.has_perm("planner.delete_plan", job):
        if job.owner_id == person.pk:
            raise PlanFinished(_("stop the plan before deleting it"))
        raise PermissionDenied(_("only the plan's owner may delete it"))
    with transaction.atomic():
        record(events.PLAN_DELETED, actor=person, target=job, data={"title": job.title})
        job.delete()
        transaction.on_commit(lambda: storage.remove(job))


def repair_plan(job: PlanJob, *, person, moves: dict[str, str]) -> PlanJob:
    """Queue the solver's repair of ``job`` edited by ``moves``: a new plan of ``person``
    (linked to ``job``) keeping the fewest units off the sides the moves chose."""
    if not person.has_perm("planner.view_plan", job):
        raise PermissionDenied(_("this plan is private"))
    if not person.has_perm("planner.repair_plan", job):
        if job.status != PlanJob.Status.DONE:
            raise PlanFinished(_("only a finished plan can be edited and repaired"))
        raise PermissionDenied(_("only the plan's owner may have it repaired"))
    if not moves:
        raise ValidationError(_("move at least one unit before asking for a repair"))
    limit = int(getattr(settings, "PLANNER_MAX_MOVES", 500))
    try:
        if isinstance(moves, dict) and len(moves) > limit:
            raise ValidationError(
                _("{n} moves: at most {limit} at once").format(n=len(moves), limit=limit)
            )
        done = finished(job)
        target = apply_moves(done.graph, done.country, moves, done.labels)
    except SecessionError as exc:
        raise ValidationError(str(exc)) from None
    title = f"{job} (repaired after {len(moves)} move{'s' if len(moves) != 1 else ''})"
    return _queue(
        person,
        events.PLAN_REPAIR_STARTED,
        {"parent": str(job.pk), "moves": dict(moves)},
        title=title[:200],
        dataset=job.dataset,
        place=job.place,
        region=job.region,
        direction=job.direction,
        constraints=job.constraints,
        solver=job.solver,
        seed=job.seed,
        time_limit=job.time_limit,
        parent=job,
        edits={"moves": dict(moves), "target": target.tolist()},
    )
