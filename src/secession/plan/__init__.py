"""Plan the border: decide which units leave so that the most voters get their choice."""

from secession.plan.model import STAY, Plan, PlanConstraints

__all__ = ["STAY", "Plan", "PlanConstraints"]
