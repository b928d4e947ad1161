"""Small real inputs for scenario tests: a few western states' 2020 county results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from secession.geo.graph import UnitGraph

WEST = ("OR", "WA", "ID", "NV")
STATE_NAMES = {"OR": "Oregon", "WA": "Washington", "ID": "Idaho", "NV": "Nevada"}


@pytest.fixture(scope="session")
def west_graph(data_dir: Path) -> UnitGraph:
    from secession.geo.load import load_graph

    return load_graph(states=list(WEST), data_dir=data_dir).graph


@pytest.fixture(scope="session")
def state_majorities(data_dir: Path) -> dict[str, tuple[float, float]]:
    """(dem, gop) votes per state, summed straight from the results CSV (independent of the
    loader)."""
    raw = pd.read_csv(data_dir / "us-president-county" / "2020.csv")
    out = {}
    for code, name in STATE_NAMES.items():
        rows = raw[raw["state_name"] == name]
        out[code] = (float(rows["votes_dem"].sum()), float(rows["votes_gop"].sum()))
    return out
