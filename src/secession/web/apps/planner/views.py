"""Planner pages: start a plan, follow it, see and download its result, compare plans."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from secession.exceptions import DataError, SecessionError
from secession.web.analysis import analysis_language
from secession.web.apps.communities import mapassets
from secession.web.apps.planner import actions, datasets, edits, placemaps, present, storage
from secession.web.apps.planner.forms import PlanForm
from secession.web.apps.planner.models import DataUpload, PlanJob
from secession.web.apps.proposals.rules import communities_where_may_propose
from secession.web.errors import Refused
from secession.web.pages import post_only

COMPARE_MAX = 4
#: communities listed at once under "Propose this territory in ..."
PROPOSE_PAGE = 10
#: The fields of the new-plan form a refusal of ``start_plan`` may name (its code).
FORM_FIELDS = ("place", "region", "year", "upload", "lock_leave", "lock_stay")
# A map is the maps package's self-contained page (inline script and style): it runs in a
# sandbox of its own, with no origin, framed by this site's pages only.
MAP_POLICY = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


def script_texts() -> dict[str, str]:
    """The texts the planner's scripts show, in the page's language (a script cannot
    call gettext: the page passes them in a ``<script type="application/json">``)."""
    return {
        "none_yet": _("none yet"),
        "not_yet": _("not yet"),
        # edit.js; {before}, {after} and {change} are filled in by the script
        "edit_result": _(
            "Voters in the country they chose: {before} now, {after} after the moves ({change})."
        ),
        "edit_valid": _("Every constraint still holds."),
        "edit_breaks_one": _("The edited plan breaks {n} constraint:"),
        "edit_breaks_many": _("The edited plan breaks {n} constraints:"),
        "edit_failed": _("The check failed."),
        "edit_unreachable": _("The check could not reach the server."),
        # lockmap.js; {id} is the unit's id
        "lock_unlocked": _("Unit {id} unlocked."),
        "lock_leave": _("Unit {id} must leave."),
        "lock_stay": _("Unit {id} must stay."),
        "lock_drawing": _("Drawing the map…"),
        "lock_shown": _("The map is shown below: click units to lock them."),
        "lock_unreachable": _("The map could not be drawn: the server is not reachable."),
        # lockmap.js, a drawn region: its outside units asked of the server; {why} its reason
        "lock_outside_note": _("Outside the drawn region: it cannot be locked."),
        "lock_outside_click": _("Unit {id} lies outside the drawn region: it cannot be locked."),
        "lock_region_asking": _("Finding which units lie inside the drawn region…"),
        "lock_region_unreadable": _("The drawn region field is not valid GeoJSON yet."),
        "lock_region_refused": _("The units outside the drawn region cannot be shown: {why}"),
        "lock_region_unreachable": _(
            "The units outside the drawn region cannot be shown: the server is not reachable."
        ),
    }


def region_texts() -> dict[str, str]:
    """The sentences of the drawing map (communities/territory-map.js) on this form;
    ``{n}`` is filled in by the script."""
    return {
        "base_missing": _("The world base map could not be loaded; drawing still works."),
        "corners_drawn": _("{n} corners; the drawn region field is updated."),
        "too_few": _("{n} corner(s): add at least three."),
        "none_drawn": _("No region drawn."),
        "nothing_to_undo": _("Nothing to undo."),
        "not_geojson": _("The drawn region field is not valid GeoJSON yet."),
        "cannot_show": _("The drawn region field holds a shape the map cannot show."),
        "too_few_typed": _("{n} corner(s) typed: add at least three."),
        "shown": _("The region from the field is shown on the map."),
    }


def _visible(request, pk) -> PlanJob:
    """The plan, if the reader may see it (else 404: a private plan's link tells nothing)."""
    job = get_object_or_404(PlanJob, pk=pk)
    if not request.user.has_perm("planner.view_plan", job):
        raise Http404(_("no such plan"))
    return job


def plan_list(request):
    mine = PlanJob.objects.none()
    if request.user.is_authenticated:
        mine = PlanJob.objects.filter(owner=request.user)
    shared = PlanJob.objects.filter(shared=True, status=PlanJob.Status.DONE)
    page = Paginator(shared.select_related("owner"), 25).get_page(request.GET.get("page"))
    mine = Paginator(mine, 25).get_page(request.GET.get("mine"))
    for job in (*mine, *page):
        job.place_text = present.place_name(job, counted=False)
    return render(request, "planner/list.html", {"mine": mine, "shared": page})


@login_required
def plan_new(request):
    initial = {"upload": request.GET["upload"]} if "upload" in request.GET else None
    form = PlanForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            job = actions.start_plan(
                person=request.user,
                dataset=form.dataset(),
                place=d["place"],
                region=d["region"],
                direction=d["direction"],
                constraints=form.constraints(),
                solver=d["solver"],
                seed=d["seed"],
                time_limit=d["time_limit"],
                title=d["title"],
            )
        except ValidationError as exc:
            field = exc.code if exc.code in FORM_FIELDS else None
            form.add_error(field, "; ".join(exc.messages))
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("planner:detail", pk=job.pk)
    return render(
        request,
        "planner/new.html",
        {
            "form": form,
            "script_texts": script_texts(),
            "region_texts": region_texts(),
            "map_missing": mapassets.missing(),
        },
        status=400 if form.errors else 200,
    )


def plan_detail(request, pk, *, edit: dict | None = None, status: int = 200):
    job = _visible(request, pk)
    territories = present.territories(job)
    propose_page = _propose_in(request, territories) if territories else None
    return render(
        request,
        "planner/detail.html",
        {
            "job": job,
            "summary": present.page_summary(job),
            "place": present.place_name(job),
            "upload": present.upload_of(job),
            "files": present.status(job)["files"],
            "can_stop": request.user.has_perm("planner.stop_plan", job),
            "can_share": request.user.has_perm("planner.share_plan", job),
            "can_delete": request.user.has_perm("planner.delete_plan", job),
            "can_check": request.user.has_perm("planner.check_plan", job),
            "can_repair": request.user.has_perm("planner.repair_plan", job),
            "territories": territories,
            "propose_page": propose_page,
            "repairs": job.repairs.all()[:10],
            "edit": edit or {},
            "script_texts": script_texts(),
        },
        status=status,
    )


def _propose_in(request, territories: list[dict]):
    """One page of the communities where the reader may propose (counted and paged in
    SQL), with, for each new country, links opening each one's proposal form with the
    kind and the territory filled in (the reader still reads and submits it)."""
    page = Paginator(communities_where_may_propose(request.user), PROPOSE_PAGE).get_page(
        request.GET.get("in")
    )
    for t in territories:
        query = urlencode({"territory_dataset": t["dataset"], "territory_unit_ids": t["unit_ids"]})
        t["propose"] = []
        for c in page:
            form = reverse("proposals:new", args=[c.slug])
            t["propose"].append(
                {
                    "community": c,
                    "change": f"{form}?kind=change_territory&{query}",
                    "declare": "" if c.independent else f"{form}?kind=declare_independence&{query}",
                }
            )
    return page


def _plan_page(pk) -> str:
    return reverse("planner:detail", args=[pk])


@post_only(_plan_page, gettext_lazy("This address checks an edit of a plan's border."))
def plan_check(request, pk):
    """The edit form without a script: the moved units (one id a line or comma) each go to
    the other side; the page shows the check, and the owner may ask for a repair."""
    job = _visible(request, pk)
    units = request.POST.get("units", "").replace(",", " ").split()
    edit: dict = {"units": " ".join(units)}
    if not request.user.has_perm("planner.check_plan", job):
        edit["error"] = _("Only a finished plan can be edited.")
        return plan_detail(request, pk, edit=edit, status=409)
    try:
        moves = edits.flip_all(units)
        if not moves:
            raise DataError(_("type the ids of the units to move, e.g. 41001"))
        edit["result"] = edits.check(job, moves)
    except SecessionError as exc:
        edit["error"] = str(exc)
        return plan_detail(request, pk, edit=edit, status=400)
    if request.POST.get("repair") == "1":
        try:
            repaired = actions.repair_plan(job, person=request.user, moves=moves)
        except (PermissionDenied, ValidationError, Refused) as exc:
            why = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            edit["error"] = "; ".join(why)
            return plan_detail(request, pk, edit=edit, status=400)
        messages.success(request, _("The repair is queued: it keeps the most of your moves."))
        return redirect("planner:detail", pk=repaired.pk)
    return plan_detail(request, pk, edit=edit)


def plan_status(request, pk):
    """The JSON the detail page polls (planner/progress.js)."""
    return JsonResponse(present.status(_visible(request, pk)))


@xframe_options_sameorigin
def plan_file(request, pk, name: str):
    """A file of the output contract, or the map/report to embed (same origin only)."""
    job = _visible(request, pk)
    path = storage.result_file(job, name)
    if path is None:
        raise Http404(_("no such file in this plan"))
    download = request.GET.get("download") == "1"
    if name == "map.html" and not download:  # the framed map in the page's language
        path = storage.map_in(job, analysis_language()) or path
    response = FileResponse(
        path.open("rb"),
        content_type=storage.RESULT_FILES[name],
        as_attachment=download,
        filename=name,
    )
    if name.endswith(".html"):
        response["Content-Security-Policy"] = MAP_POLICY
    if name == "map.html":
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@login_required
@xframe_options_sameorigin
def place_map(request):
    """The map of a place before any plan (units on their majority's side, shaded by
    margin), framed by the new-plan form to lock units by clicking; ``?year=&place=&
    direction=`` or ``?upload=&place=``. Drawn once, then served from its file."""
    if not request.user.has_perm("planner.map_place"):
        raise PermissionDenied
    q = request.GET
    try:
        if q.get("upload"):
            upload = (
                DataUpload.objects.filter(pk=q["upload"]).first() if _uuid(q["upload"]) else None
            )
            if upload is None or not request.user.has_perm("planner.use_upload", upload):
                raise Http404(_("no such uploaded dataset of yours"))
            dataset = {"kind": datasets.UPLOAD, "upload": str(upload.pk)}
        else:
            year = q.get("year", "")
            if not (year.isascii() and year.isdigit() and len(year) <= 4):
                raise DataError(
                    _("choose the year of the US county results, not {year!r}").format(year=year)
                )
            dataset = {"kind": datasets.US_COUNTIES, "year": int(year)}
        dataset = datasets.check_dataset(dataset, person=request.user)
        place = datasets.check_place(
            [p.strip() for p in q.get("place", "").split(",") if p.strip()]
        )
        direction = datasets.check_direction(q.get("direction", "gop"))
        path = placemaps.place_map(dataset, place, direction)
    except SecessionError as exc:
        return HttpResponse(
            _("No map: {why}").format(why=exc), status=400, content_type="text/plain; charset=utf-8"
        )
    response = FileResponse(path.open("rb"), content_type=storage.RESULT_FILES["map.html"])
    response["Content-Security-Policy"] = MAP_POLICY
    return response


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@post_only(_plan_page, gettext_lazy("This address stops a running plan."))
def plan_stop(request, pk):
    job = _visible(request, pk)
    try:
        actions.stop_plan(job, person=request.user)
    except (PermissionDenied, Refused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Stop asked for: the plan stops at the solver's next stage."))
    return redirect("planner:detail", pk=job.pk)


@login_required
@post_only(_plan_page, gettext_lazy("This address shares a plan or makes it private."))
def plan_share(request, pk):
    job = _visible(request, pk)
    try:
        actions.share_plan(job, person=request.user, shared=request.POST.get("shared") == "1")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("planner:detail", pk=job.pk)


@login_required
@post_only(_plan_page, gettext_lazy("This address deletes a plan."))
def plan_delete(request, pk):
    job = _visible(request, pk)
    try:
        actions.delete_plan(job, person=request.user)
    except (PermissionDenied, Refused) as exc:
        messages.error(request, str(exc))
        return redirect("planner:detail", pk=job.pk)
    messages.success(request, _("Plan deleted."))
    return redirect("planner:list")


def plan_compare(request):
    """Up to COMPARE_MAX plans the reader may see, side by side (``?plan=<id>&plan=<id>``)."""
    ids = request.GET.getlist("plan")[:COMPARE_MAX]
    rows = []
    for pk in ids:
        try:
            job = _visible(request, pk)
        except (Http404, ValidationError):
            continue
        rows.append(
            {"job": job, "summary": present.page_summary(job), "place": present.place_name(job)}
        )
    places = {tuple(r["job"].place) for r in rows}
    return render(
        request,
        "planner/compare.html",
        {"rows": rows, "asked": len(ids), "same_place": len(places) <= 1},
    )
