"""The scenario names, titles and defaults: plain constants, importable without the solvers.

The command line builds its help text from these, so this module imports nothing heavy.
"""

from __future__ import annotations

KINDS = ("states", "counties", "counties-multi", "split-states")
DEFAULT_MIN_POPULATION = 500_000.0
DEFAULT_SPLIT_THRESHOLD = 0.08

TITLES = {
    "states": "Whole states",
    "counties": "Counties, one new country",
    "counties-multi": "Counties, several new countries",
    "split-states": "States, split where it pays",
}
