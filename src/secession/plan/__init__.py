"""Plan the border: decide which units leave so that the most voters get their choice."""

from secession.plan.model import STAY, Plan, PlanConstraints
from secession.plan.options import SolverOptions
from secession.plan.solve import solve

__all__ = ["STAY", "Plan", "PlanConstraints", "SolverOptions", "solve"]
