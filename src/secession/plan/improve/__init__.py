"""The plan search of the exact path: improvers that never return a worse plan.

``search.improve`` runs ``intensify.intensify`` (ruin-and-recreate with annealing), then
``window.window_search`` (windows of the plan solved exactly); ``background`` runs it in a
second process while SCIP works on the bound.
"""

from secession.plan.improve.background import BackgroundSearch, start_search
from secession.plan.improve.intensify import intensify
from secession.plan.improve.search import improve
from secession.plan.improve.window import applies, window_search
from secession.plan.improver import Improver

__all__ = [
    "BackgroundSearch",
    "Improver",
    "applies",
    "improve",
    "intensify",
    "start_search",
    "window_search",
]
