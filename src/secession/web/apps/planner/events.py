"""Audit event names of the planner app (stored in the log; never rename one)."""

PLAN_STARTED = "plan.started"
PLAN_STOPPED = "plan.stopped"
PLAN_SHARED = "plan.shared"
PLAN_UNSHARED = "plan.unshared"
PLAN_DELETED = "plan.deleted"
PLAN_REPAIR_STARTED = "plan.repair_started"
UPLOAD_CREATED = "plan.upload_created"
UPLOAD_READY = "plan.upload_ready"
UPLOAD_DELETED = "plan.upload_deleted"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    PLAN_STARTED: "{actor} started drawing a border plan",
    PLAN_STOPPED: "{actor} stopped a border plan",
    PLAN_SHARED: "{actor} shared a border plan",
    PLAN_UNSHARED: "{actor} stopped sharing a border plan",
    PLAN_DELETED: "{actor} deleted a border plan",
    PLAN_REPAIR_STARTED: "{actor} asked the planner to repair a border plan edited by hand",
    UPLOAD_CREATED: "{actor} uploaded election results for the planner",
    UPLOAD_READY: "Uploaded election results were checked and are ready to plan with",
    UPLOAD_DELETED: "{actor} deleted uploaded election results",
}
