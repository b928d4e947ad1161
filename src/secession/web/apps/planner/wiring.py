"""How the planner plugs into the apps below it (connected in ``ready()``): a person's plans
are part of their data export; it registers the opt-in referendum on a territory."""

from __future__ import annotations

from secession.web.apps.accounts.exports import register_export
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.planner.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.planner.optin_kind import OptInTerritory, proposal_opened
from secession.web.apps.proposals import kinds, signals


def _export(user) -> list[dict]:
    from secession.web.apps.planner.models import PlanJob

    rows = PlanJob.objects.filter(owner=user).order_by("created_at")
    return [
        {
            "id": str(job.pk),
            "title": job.title,
            "dataset": job.dataset,
            "place": job.place,
            "direction": job.direction,
            "constraints": job.constraints,
            "solver": job.solver,
            "seed": job.seed,
            "status": job.status,
            "shared": job.shared,
            "created_at": job.created_at.isoformat(),
        }
        for job in rows
    ]


def connect() -> None:
    kinds.register(OptInTerritory())
    signals.proposal_opened.connect(proposal_opened, dispatch_uid="planner.optin_counts")
    register_descriptions(EVENT_DESCRIPTIONS)
    register_export("plans", _export)
