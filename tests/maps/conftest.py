"""Small real inputs for map tests: Iowa counties (lon/lat shapefile) and Oregon + Washington
counties (projected Albers TopoJSON), each with a plan made by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mapcheck import hand_plan

from secession.geo.graph import UnitGraph
from secession.plan.model import Plan

BASELINE = Path(__file__).parent / "baseline"


@pytest.fixture(scope="session")
def ia_graph(data_dir: Path) -> UnitGraph:
    from secession.geo.load import load_graph

    return load_graph(
        units=data_dir / "ia-counties" / "IA_counties.zip",
        id_col="GEOID10",
        leave_col="PRES16D",
        stay_col="PRES16R",
        population_col="TOTPOP",
        name_col="NAME10",
    ).graph


@pytest.fixture(scope="session")
def ia_plan(ia_graph: UnitGraph) -> Plan:
    """Iowa split three ways by longitude of each county's centre: west, middle (stays), east."""
    lon = ia_graph.geometry.representative_point().x.to_numpy()
    country = np.where(lon > -92.5, 1, np.where(lon < -95.0, 2, 0))
    return hand_plan(ia_graph, country, ["stay", "east", "west"])


@pytest.fixture(scope="session")
def orwa_graph(data_dir: Path) -> UnitGraph:
    from secession.geo.load import load_graph

    return load_graph(states=["OR", "WA"], data_dir=data_dir).graph


@pytest.fixture(scope="session")
def orwa_plan(orwa_graph: UnitGraph) -> Plan:
    """Counties with a Democratic majority leave: Oregon's into one country, Washington's
    into another."""
    dem = orwa_graph.leave > orwa_graph.stay
    state = np.asarray(orwa_graph.groups["state"]).astype(str)
    country = np.where(dem & (state == "OR"), 1, np.where(dem & (state == "WA"), 2, 0))
    return hand_plan(orwa_graph, country, ["stay", "cascadia-or", "cascadia-wa"])
