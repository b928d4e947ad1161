"""Audit event names of the planner app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

PLAN_STARTED = "plan.started"
PLAN_STOPPED = "plan.stopped"
PLAN_SHARED = "plan.shared"
PLAN_UNSHARED = "plan.unshared"
PLAN_DELETED = "plan.deleted"
PLAN_REPAIR_STARTED = "plan.repair_started"
UPLOAD_CREATED = "plan.upload_created"
UPLOAD_READY = "plan.upload_ready"
UPLOAD_DELETED = "plan.upload_deleted"
OPTIN_RESULTS_UPLOADED = "plan.optin_results_uploaded"
OPTIN_REPAIR_QUEUED = "plan.optin_repair_queued"
OPTIN_TERRITORY_SET = "plan.optin_territory_set"
OPTIN_TERRITORY_KEPT = "plan.optin_territory_kept"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    PLAN_STARTED: _("{actor} started drawing a border plan"),
    PLAN_STOPPED: _("{actor} stopped a border plan"),
    PLAN_SHARED: _("{actor} shared a border plan"),
    PLAN_UNSHARED: _("{actor} stopped sharing a border plan"),
    PLAN_DELETED: _("{actor} deleted a border plan"),
    PLAN_REPAIR_STARTED: _("{actor} asked the planner to repair a border plan edited by hand"),
    UPLOAD_CREATED: _("{actor} uploaded election results for the planner"),
    UPLOAD_READY: _("Uploaded election results were checked and are ready to plan with"),
    UPLOAD_DELETED: _("{actor} deleted uploaded election results"),
    OPTIN_RESULTS_UPLOADED: _("{actor} uploaded the official results of an opt-in referendum"),
    OPTIN_REPAIR_QUEUED: _("The border repair after an opt-in referendum was queued"),
    OPTIN_TERRITORY_SET: _("The territory became the border repaired after the opt-in referendum"),
    OPTIN_TERRITORY_KEPT: _(
        "No county chose to join in the opt-in referendum: the territory is unchanged"
    ),
}
