"""Actions of an opt-in referendum on a territory: upload the official results, queue the
border repair, and make the repaired border the community's territory (each audited in its
transaction)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secession.exceptions import DataError
from secession.web.apps.audit.log import record
from secession.web.apps.communities.actions import set_territory
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.communities.models import Community
from secession.web.apps.planner import events, optin, optin_counts
from secession.web.apps.planner.models import OptInRepair, PlanJob
from secession.web.apps.proposals.models import Proposal
from secession.web.errors import Refused


class RepairStarted(Refused):
    """The border repair has started: its results can no longer be replaced."""


def repair_of(proposal: Proposal) -> OptInRepair:
    return OptInRepair.objects.get_or_create(proposal=proposal)[0]


def upload_results(proposal: Proposal, *, person, upload) -> OptInRepair:
    """Keep ``upload`` as the official unit results of ``proposal`` (replacing earlier
    ones until the repair starts); a passed proposal's repair is queued at once."""
    if proposal.kind != optin.OPT_IN_TERRITORY:
        raise ValidationError(_("this proposal is not an opt-in referendum on a territory"))
    if optin_counts.source_of(proposal.payload) == optin_counts.PLATFORM:
        raise ValidationError(
            _("this referendum's county results are counted from its own ballots: no file")
        )
    if OptInRepair.objects.filter(proposal=proposal, job__isnull=False).exists():
        raise RepairStarted(_("the border repair has started: the official results are final"))
    if not person.has_perm("planner.upload_optin_results", proposal):
        raise PermissionDenied(
            _(
                "only the proposal's author or those who act for the community may upload "
                "its official results"
            )
        )
    with transaction.atomic():
        repair = OptInRepair.objects.select_for_update().filter(proposal=proposal).first()
        repair = repair or repair_of(proposal)
        if repair.job_id is not None:
            raise RepairStarted(_("the border repair has started: the results are final"))
        try:
            units = optin.store_results(proposal.pk, upload, proposal.payload["units"])
        except DataError as exc:
            raise ValidationError(str(exc)) from None
        repair.results_name = Path(str(upload.name)).name[:200]
        repair.units = units
        repair.uploaded_by = person
        repair.uploaded_at = timezone.now()
        repair.save()
        record(
            events.OPTIN_RESULTS_UPLOADED,
            actor=person,
            community=proposal.community,
            target=proposal,
            data={"file": repair.results_name, "units": units},
        )
        proposal.refresh_from_db()
        if proposal.passed:
            queue_repair(proposal)
    return repair


def queue_repair(proposal: Proposal) -> str:
    """Queue the border repair of a passed ``proposal`` whose results are in (called in a
    transaction: when it closes, or when the results come after); a note when it cannot
    start yet (the page says what is awaited)."""
    p = proposal.payload
    counted = optin_counts.source_of(p) == optin_counts.PLATFORM
    if counted:  # the vote's own county counts: read now, under the closing transaction
        repair = repair_of(proposal)
        repair = OptInRepair.objects.select_for_update().get(pk=repair.pk)
    else:
        repair = OptInRepair.objects.select_for_update().filter(proposal=proposal).first()
        if repair is None or not repair.uploaded_at:
            return ""  # the repair starts when the official results are uploaded
    if repair.job_id is not None:
        return ""
    owner = proposal.author if counted else repair.uploaded_by or proposal.author
    if owner is None:
        return "nothing to do: no account of the uploader or the author remains"
    spec = {
        "proposal": proposal.pk,
        "units": list(p["units"]),
        "unit_rule": p["unit_rule"],
        "results_name": repair.results_name,
    }
    if counted:
        columns = optin_counts.snapshot(proposal)
        spec.update(source=optin_counts.PLATFORM, counts=columns, results_name="")
        repair.units = len(columns["unit"])
        repair.save(update_fields=["units"])
    job = PlanJob.objects.create(
        owner=owner,
        title=f"Opt-in referendum: {proposal.title}"[:200],
        dataset={"kind": "us-counties", "year": optin.YEAR, "water_links": None},
        place=list(p["states"]),
        direction="dem",
        constraints={**p["constraints"]},
        solver="auto",
        seed=0,
        time_limit=60.0,
        shared=True,
        edits={"opt_in": spec},
    )
    repair.job = job
    repair.save(update_fields=["job"])
    record(
        events.OPTIN_REPAIR_QUEUED,
        actor=None,
        community=proposal.community,
        target=proposal,
        data={"job": str(job.pk), "file": repair.results_name}
        if not counted
        else {"job": str(job.pk), "counted_from": "ballots", "units": repair.units},
    )
    return ""


def apply_repaired_territory(job: PlanJob, *, person=None) -> Community | None:
    """Make the border of the done repair ``job`` its community's territory (the units
    that joined, through :func:`communities.actions.set_territory`); with none joined the
    territory is left as it was. Once only; the referendum's own audit row says how many
    counties joined and how many voters were moved."""
    outcome = optin.outcome_of(job)
    if outcome is None:
        raise DataError(_("the border repair has no result"))
    joined = sorted(outcome["opt_in"]["leaving_after_repair"])
    with transaction.atomic():
        repair = OptInRepair.objects.select_for_update().filter(job=job).first()
        if repair is None or repair.applied_at is not None:
            return None
        community = Community.objects.select_for_update().get(pk=repair.proposal.community_id)
        data = {
            "proposal": repair.proposal_id,
            "units_joined": len(joined),
            "units_moved": outcome["opt_in"]["units_moved"],
            "voters_moved": outcome["opt_in"]["voters_moved"],
        }
        if joined:  # the communities app's own action, with its audit row
            set_territory(
                community,
                person=person,
                territory=territory_fields("", optin.DATASET, joined),
                proposal=repair.proposal,
            )
        repair.applied_at = timezone.now()
        repair.save(update_fields=["applied_at"])
        record(
            events.OPTIN_TERRITORY_SET if joined else events.OPTIN_TERRITORY_KEPT,
            actor=person,
            community=community,
            target=community,
            data=data,
        )
    return community
