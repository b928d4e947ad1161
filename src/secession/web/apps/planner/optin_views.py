"""The page of an opt-in referendum on a territory: upload the official unit results, follow
the border repair, and read its result (which counties joined, which stayed, and each one
placed against its own vote, with the reason)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.geo.boundaries import fips_name
from secession.web.apps.planner import optin, optin_actions, optin_counts, storage
from secession.web.apps.planner.models import OptInCount, OptInRepair, PlanJob
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.models import Proposal
from secession.web.errors import Refused
from secession.web.pages import post_only

UNITS_PER_PAGE = 100


class ResultsForm(forms.Form):
    results = forms.FileField(
        label=gettext_lazy("Official results (CSV)"),
        help_text=gettext_lazy(
            "One row per county of the territory: columns unit (its FIPS code), yes, "
            "no; optional blank, abstain, eligible."
        ),
        error_messages={"required": gettext_lazy("Choose the results file to upload.")},
    )


def _proposal(pk) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("community"), pk=pk, kind=optin.OPT_IN_TERRITORY
    )


def optin_page(request, pk, *, form: ResultsForm | None = None, status: int = 200):
    proposal = _proposal(pk)
    repair = OptInRepair.objects.filter(proposal=proposal).select_related("job").first()
    job: PlanJob | None = repair.job if repair else None
    outcome = optin.outcome_of(job) if job and job.status == PlanJob.Status.DONE else None
    counted = optin_counts.source_of(proposal.payload) == optin_counts.PLATFORM
    context = {
        "p": proposal,
        "what": kinds.get(proposal.kind).describe(proposal),
        "repair": repair,
        "job": job,
        "counted": counted,
        "can_upload": not counted
        and request.user.has_perm("planner.upload_optin_results", proposal),
        "form": form or ResultsForm(),
        "max_mb": optin.max_bytes() / 2**20,
        "units_total": len(proposal.payload.get("units", [])),
    }
    if counted and proposal.status == "closed":  # shown once the vote is over
        context.update(_ballot_counts(request, proposal))
    if outcome is not None:
        context.update(_result(request, job, outcome, set(proposal.payload["units"])))
    return render(request, "planner/optin.html", context, status=status)


def _result(request, job: PlanJob, outcome: dict, territory: set[str]) -> dict:
    """What the page shows of a done repair: counts, the moves, the units (a page)."""
    import pandas as pd

    o = outcome["opt_in"]
    path = storage.result_file(job, "units.csv")
    table = pd.read_csv(path, dtype={"unit": str}, keep_default_na=False)
    table = table[table["unit"].isin(territory)]
    joined = int((table["placed"] == "leave").sum())
    rows = table[["unit", "name", "yes", "no", "chose", "placed"]].to_dict("records")
    page = Paginator(rows, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    plan = o.get("plan") or {}
    return {
        "outcome": o,
        "joined": joined,
        "stayed": len(table) - joined,
        "chose_join": int((table["chose"] == "leave").sum()),
        "moves": o["moves"],
        "units_page": page,
        "proven": bool(plan.get("proven_optimal")),
        "has_map": storage.result_file(job, "map.svg") is not None,
    }


def _ballot_counts(request, proposal: Proposal) -> dict:
    """The vote's own counts by county (a page of them, read in SQL) and the counties
    where no one voted yes or no, which count as no yes."""
    rows = OptInCount.objects.filter(proposal=proposal).order_by("unit")
    page = Paginator(rows, UNITS_PER_PAGE).get_page(request.GET.get("counts"))
    for row in page:
        row.name = fips_name(row.unit)
    silent = rows.filter(yes=0, no=0).values_list("unit", flat=True)
    return {
        "counts_page": page,
        "without_votes": [f"{fips_name(u)} ({u})" for u in silent],
    }


def _page(pk) -> str:
    return reverse("planner:optin", args=[pk])


@post_only(_page, gettext_lazy("This address uploads the official results of a referendum."))
def optin_upload(request, pk):
    proposal = _proposal(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_page(pk))
    form = ResultsForm(request.POST, request.FILES)
    if not form.is_valid():
        return optin_page(request, pk, form=form, status=400)
    try:
        optin_actions.upload_results(
            proposal, person=request.user, upload=form.cleaned_data["results"]
        )
    except ValidationError as exc:
        form.add_error("results", "; ".join(exc.messages))
        return optin_page(request, pk, form=form, status=400)
    except (PermissionDenied, Refused) as exc:
        form.add_error(None, str(exc))
        status = 403 if isinstance(exc, PermissionDenied) else exc.status
        return optin_page(request, pk, form=form, status=status)
    messages.success(request, _("The official results are in."))
    return redirect("planner:optin", pk=pk)
