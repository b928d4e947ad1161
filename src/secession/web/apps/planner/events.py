"""Audit event names of the planner app (stored in the log; never rename one)."""

PLAN_STARTED = "plan.started"
PLAN_STOPPED = "plan.stopped"
PLAN_SHARED = "plan.shared"
PLAN_UNSHARED = "plan.unshared"
PLAN_DELETED = "plan.deleted"
