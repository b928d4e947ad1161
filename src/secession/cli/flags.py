"""The command line's edge for library messages: parameter names become its flags.

The library (``geo``, ``scenario``, ``referendum``, ``maps``) names its parameters in
backquotes (```adjacency` must be rook or queen``), so a Python caller reads the name it
passed. Before the command line prints such a message it calls :func:`to_flags`, and the
user reads the flag they typed (``--adjacency must be rook or queen``).

>>> to_flags("`adjacency` must be rook or queen, not 'hex'")
"--adjacency must be rook or queen, not 'hex'"
>>> to_flags("`states` needs a state column")
'--state needs a state column'
"""

from __future__ import annotations

import re

#: Library parameter name -> command-line flag. ``tests/test_cli_flags.py`` checks that every
#: name the library quotes in a message is here.
FLAGS: dict[str, str] = {
    "adjacency": "--adjacency",
    "aggregate": "--aggregate",
    "base_url": "--base-url",
    "boundaries": "--boundaries",
    "dest": "--dest",
    "eligible": "--eligible",
    "graph": "--graph",
    "id_col": "--id-col",
    "lang": "--lang",
    "leave": "--leave",
    "leave_col": "--leave-col",
    "link_islands": "--link-islands",
    "mc_scenario": "--mc-scenario",
    "name_col": "--name-col",
    "on_mismatch": "--on-mismatch",
    "other_col": "--other-col",
    "population_col": "--population-col",
    "region": "--region",
    "results": "--results",
    "save_graph": "--save-graph",
    "split": "--split",
    "states": "--state",
    "stay_col": "--stay-col",
    "swing": "--swing",
    "swing_step": "--swing-step",
    "units": "--units",
    "water_links": "--water-links",
}

_QUOTED = re.compile(r"`([a-z][a-z0-9_]*)`")


def to_flags(text: str) -> str:
    """``text`` with every backquoted parameter name the table knows replaced by its flag."""
    return _QUOTED.sub(lambda m: FLAGS.get(m.group(1), m.group(0)), text)
