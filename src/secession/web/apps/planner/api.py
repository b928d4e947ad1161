"""Planner endpoints: start a plan, its status, stop it, its result (summary.json)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Router, Schema, Status

from secession.exceptions import SecessionError
from secession.web.apiauth import AUTH, Error, person, reader, require
from secession.web.apps.planner import actions, datasets, edits, present, regionlocks
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.tasks import constraints_from

router = Router(tags=["planner"])


class ConstraintsIn(Schema):
    contiguous_new: bool = True
    contiguous_rest: bool = True
    min_population: float = Field(0.0, ge=0)
    max_countries: int | None = Field(1, ge=1)
    consent: float | None = Field(None, ge=0, le=1)
    lock_leave: list[str] = Field(default_factory=list)
    lock_stay: list[str] = Field(default_factory=list)
    exclaves: str = "nearest"


class PlanIn(Schema):
    title: str = ""
    year: int = 2020
    upload: str | None = Field(None, description="one of your uploaded datasets (its id)")
    place: list[str] = Field(default_factory=list, description="states; empty: the country")
    region: dict | None = Field(
        None,
        description="a drawn region: a GeoJSON Polygon or MultiPolygon in lon/lat; only the "
        "units whose point lies inside it (within the states of place) are planned",
    )
    direction: str = Field("dem", description="the side that leaves: dem or gop")
    water_links: float | None = Field(None, ge=0)
    constraints: ConstraintsIn = Field(default_factory=ConstraintsIn)
    solver: str = "auto"
    seed: int = 0
    time_limit: float = 60.0


class PlanOut(Schema):
    id: str
    title: str
    status: str
    status_label: str
    stop_requested: bool
    message: str
    progress: dict
    shared: bool
    place: list[str]
    region: dict | None
    direction: str
    dataset: dict
    constraints: dict
    solver: str
    seed: int
    time_limit: float
    created_at: str
    started_at: str | None
    finished_at: str | None
    files: list[str]


def _visible(request, plan_id: uuid.UUID, user=None) -> PlanJob:
    job = get_object_or_404(PlanJob, pk=plan_id)
    if not (user or reader(request)).has_perm("planner.view_plan", job):
        raise Http404(_("no such plan"))
    return job


@router.post("", response={201: PlanOut, 429: Error}, auth=AUTH)
def start(request, data: PlanIn):
    """Queue a plan (the plan worker runs it); 429 when too many of yours wait or run."""
    constraints = constraints_from(data.constraints.dict())
    job = actions.start_plan(
        person=person(request),
        dataset={"kind": "upload", "upload": data.upload}
        if data.upload
        else {"kind": "us-counties", "year": data.year, "water_links": data.water_links},
        place=data.place,
        region=data.region,
        direction=data.direction,
        constraints=constraints,
        solver=data.solver,
        seed=data.seed,
        time_limit=data.time_limit,
        title=data.title,
    )
    return Status(201, present.status(job))


class RegionUnitsIn(Schema):
    year: int = 2020
    upload: str | None = Field(None, description="one of your uploaded datasets (its id)")
    place: list[str] = Field(default_factory=list, description="states; empty: the country")
    direction: str = Field("dem", description="the side that leaves: dem or gop")
    region: dict = Field(description="the drawn region: a GeoJSON Polygon or MultiPolygon")


class RegionUnitsOut(Schema):
    inside: list[str]
    outside: list[str]
    sentence: str


@router.post(
    "/region-units",
    response={200: RegionUnitsOut, 400: Error, 403: Error, 404: Error, 413: Error},
    auth=AUTH,
    url_name="plan_region_units",
)
def region_units(request, data: RegionUnitsIn):
    """Which units of the place a drawn region keeps (their point inside it, as a plan of
    the region keeps them) and which it leaves out: the new-plan form's lock map greys
    the latter, which cannot be locked. Nothing is saved."""
    who = person(request)
    require(who, "planner.map_region")
    most = int(settings.PLANNER_REGION_MAX_BYTES)
    if len(request.body) > most + REGION_BODY_SLACK:
        return Status(
            413,
            {
                "detail": _(
                    "the drawn region is too large ({size} bytes): at most {most} bytes"
                ).format(size=len(request.body), most=most)
            },
        )
    dataset = (
        {"kind": datasets.UPLOAD, "upload": data.upload}
        if data.upload
        else {"kind": datasets.US_COUNTIES, "year": data.year}
    )
    dataset = datasets.check_dataset(dataset, person=who)
    place = datasets.check_place(data.place)
    region = datasets.check_region(data.region)
    if region is None:
        raise ValidationError(_("draw the region on the map, or paste its GeoJSON here"))
    direction = datasets.check_direction(data.direction)
    split = regionlocks.split_by_region(dataset, place, direction, region)
    return {
        "inside": split.inside,
        "outside": split.outside,
        "sentence": outside_sentence(len(split.outside), dataset, place),
    }


#: what a region-units body may hold beyond the region itself (dataset, place, side)
REGION_BODY_SLACK = 4096


def outside_sentence(n: int, dataset: dict, place: list[str]) -> str:
    """The sentence under the lock map saying how many units cannot be locked."""
    if n == 0:
        return _("Every unit of the chosen place lies inside the drawn region.")
    if dataset.get("kind") == datasets.UPLOAD:
        words = ngettext(
            "{n} unit of this place lies outside the drawn region and cannot be locked.",
            "{n} units of this place lie outside the drawn region and cannot be locked.",
            n,
        )
    elif place:
        words = ngettext(
            "{n} county of these states lies outside the drawn region and cannot be locked.",
            "{n} counties of these states lie outside the drawn region and cannot be locked.",
            n,
        )
    else:
        words = ngettext(
            "{n} county lies outside the drawn region and cannot be locked.",
            "{n} counties lie outside the drawn region and cannot be locked.",
            n,
        )
    return words.format(n=n)


@router.get("/{plan_id}", response=PlanOut, auth=None)
def status(request, plan_id: uuid.UUID):
    """A plan's status and progress (its owner's alone until shared)."""
    return present.status(_visible(request, plan_id))


@router.post("/{plan_id}/stop", response={200: PlanOut, 409: Error}, auth=AUTH)
def stop(request, plan_id: uuid.UUID):
    """Ask a waiting or running plan to stop (409 once it has finished)."""
    who = person(request)
    return present.status(actions.stop_plan(_visible(request, plan_id, who), person=who))


@router.get("/{plan_id}/result", response={200: dict, 409: Error}, auth=None)
def result(request, plan_id: uuid.UUID):
    """The plan's ``summary.json`` (409 until it is done)."""
    job = _visible(request, plan_id)
    found = present.summary(job)
    if found is None:
        return Status(
            409,
            {
                "detail": _("the plan has no result ({status})").format(
                    status=job.get_status_display()
                )
            },
        )
    return found


class MovesIn(Schema):
    moves: dict[str, str] = Field(
        default_factory=dict,
        description='unit id -> side: "stay", "leave", "other" or a new country\'s label',
    )


class ViolationOut(Schema):
    kind: str
    country: int | None
    units: list[str]
    message: str


class CheckOut(Schema):
    moved: list[dict]
    satisfied_before: float
    satisfied_after: float
    change: float
    share_after: float
    valid: bool
    violations: list[ViolationOut]


@router.post(
    "/{plan_id}/check",
    response={200: CheckOut, 400: Error, 409: Error},
    auth=None,
    url_name="plan_check",
)
def check(request, plan_id: uuid.UUID, data: MovesIn):
    """Move units of a finished plan by hand: the change in satisfied voters and every
    constraint the edited plan breaks (nothing is saved)."""
    job = _visible(request, plan_id)
    if not reader(request).has_perm("planner.check_plan", job):
        return Status(
            409,
            {
                "detail": _("the plan has no result ({status})").format(
                    status=job.get_status_display()
                )
            },
        )
    try:
        return edits.check(job, data.moves)
    except SecessionError as exc:
        return Status(400, {"detail": str(exc)})


@router.post(
    "/{plan_id}/repair",
    response={201: PlanOut, 400: Error, 403: Error, 409: Error, 429: Error},
    auth=AUTH,
)
def repair(request, plan_id: uuid.UUID, data: MovesIn):
    """Queue the solver's repair of the plan edited by ``moves`` (the owner's alone): a new
    plan keeping the fewest units off the sides chosen."""
    who = person(request)
    try:
        job = actions.repair_plan(_visible(request, plan_id, who), person=who, moves=data.moves)
    except ValidationError as exc:
        return Status(400, {"detail": "; ".join(exc.messages)})
    return Status(201, present.status(job))
