"""What the pages and the API show of a job: its status, progress and summary."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secession.plan.contiguity import Contiguity
from secession.plan.labels import display_names
from secession.web.analysis import analysis_language
from secession.web.apps.communities.territory import UNIT_DATASETS, known_units
from secession.web.apps.planner import storage
from secession.web.apps.planner.edits import new_countries
from secession.web.apps.planner.models import DataUpload, PlanJob


def summary(job: PlanJob) -> dict[str, Any] | None:
    """The job's ``summary.json``, or ``None`` before it is written."""
    path = storage.result_file(job, "summary.json")
    return json.loads(path.read_text(encoding="utf-8")) if path else None


def page_summary(job: PlanJob) -> dict[str, Any] | None:
    """The job's summary as the pages show it: each country's name and the contiguity
    sentence in the page's language (where the analysis texts have it), beside the
    stored figures; the file itself is the output contract and stays as written."""
    found = summary(job)
    if found is None:
        return None
    lang = analysis_language()
    rows = found.get("countries") or []
    labels = [r.get("label", "") for r in rows]
    stay, leave = found.get("stay_label", ""), found.get("leave_label", "")
    names = display_names(labels, stay, leave, lang) if rows else []
    found["countries"] = [{**r, "name": n} for r, n in zip(rows, names, strict=True)]
    if found.get("contiguity"):
        found["contiguity_sentence"] = Contiguity.from_dict(found["contiguity"]).sentence(lang)
    return found


def status(job: PlanJob) -> dict[str, Any]:
    """The JSON the page polls (and ``GET /api/plans/{id}`` answers)."""
    return {
        "id": str(job.pk),
        "title": job.title,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "stop_requested": job.stop_requested,
        "message": job.message,
        "progress": job.progress or {},
        "shared": job.shared,
        "place": job.place,
        "region": job.region,
        "direction": job.direction,
        "dataset": job.dataset,
        "constraints": job.constraints,
        "solver": job.solver,
        "seed": job.seed,
        "time_limit": job.time_limit,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "files": [n for n in storage.RESULT_FILES if storage.result_file(job, n)]
        if job.status == PlanJob.Status.DONE
        else [],
    }


def place_name(job: PlanJob, *, counted: bool = True) -> str:
    """The place in words: its states, the whole country, or a drawn region and how many
    units it holds once the plan has read them ("a drawn region in OR (6 counties)";
    ``counted=False``, for lists, reads no file and leaves the count out)."""
    if job.region:
        done = counted and job.status == PlanJob.Status.DONE
        return region_name(job, summary(job) if done else None)
    if job.place:
        return ", ".join(job.place)
    return _("all its units") if job.dataset.get("kind") == "upload" else _("the whole country")


def region_name(job: PlanJob, found: dict[str, Any] | None) -> str:
    """A drawn region in words; with the plan's summary (``found``), its number of units."""
    kept = ((found or {}).get("source") or {}).get("region", {}).get("kept")
    states = ", ".join(job.place)
    if kept is None:
        return (
            _("a drawn region in {states}").format(states=states) if states else _("a drawn region")
        )
    counties = job.dataset.get("kind") != "upload"
    if states:
        text = (
            ngettext(
                "a drawn region in {states} ({n} county)",
                "a drawn region in {states} ({n} counties)",
                kept,
            )
            if counties
            else ngettext(
                "a drawn region in {states} ({n} unit)",
                "a drawn region in {states} ({n} units)",
                kept,
            )
        )
        return text.format(states=states, n=kept)
    text = (
        ngettext("a drawn region ({n} county)", "a drawn region ({n} counties)", kept)
        if counties
        else ngettext("a drawn region ({n} unit)", "a drawn region ({n} units)", kept)
    )
    return text.format(n=kept)


def upload_of(job: PlanJob) -> DataUpload | None:
    """The uploaded dataset a plan was made from (None for bundled data or once deleted)."""
    if job.dataset.get("kind") != "upload":
        return None
    return DataUpload.objects.filter(pk=job.dataset.get("upload")).first()


def territories(job: PlanJob) -> list[dict[str, Any]]:
    """Each new country of a done plan as the community founding form takes it: its unit
    dataset and unit ids. A community's territory is made of US counties; an uploaded
    dataset qualifies when every unit of the new country is a US county (its id a county
    FIPS code of the bundled boundaries), as a county results file's are."""
    dataset = "us-counties-2020"
    kind = job.dataset.get("kind")
    if dataset not in UNIT_DATASETS or kind not in ("us-counties", "upload"):
        return []
    countries = new_countries(job)
    if kind == "upload":
        counties = known_units(dataset)
        if not all(u in counties for _, ids in countries for u in ids):
            return []
    return [
        {"label": label, "dataset": dataset, "unit_ids": " ".join(ids), "units": len(ids)}
        for label, ids in countries
    ]
