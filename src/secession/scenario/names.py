"""The scenario names, titles and defaults: plain constants, importable without the solvers.

The command line builds its help text from these, so this module imports nothing heavy.
"""

from __future__ import annotations

from secession.i18n import N_

KINDS = ("states", "counties", "counties-multi", "split-states")
DEFAULT_MIN_POPULATION = 500_000.0
DEFAULT_SPLIT_THRESHOLD = 0.08

TITLES = {
    "states": N_("Whole states"),
    "counties": N_("Counties, one new country"),
    "counties-multi": N_("Counties, several new countries"),
    "split-states": N_("States, split where it pays"),
}
