"""Datasets a plan may use, as the keyword arguments of ``secession.geo.load.load_graph``.

Today: the bundled US county results of a year the project reads, from the data folder
(``settings.PLANNER_DATA_DIR``, else ``$SECESSION_DATA``). A job stores its dataset as JSON
(``{"kind": "us-counties", "year": 2020}``); nothing in it is ever executed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from secession.exceptions import DataError
from secession.geo.download import DEFAULT_YEARS
from secession.geo.states import resolve_states
from secession.settings import data_file

US_COUNTIES = "us-counties"
YEARS = tuple(DEFAULT_YEARS)
DIRECTIONS = {"dem": "Democratic voters' side leaves", "gop": "Republican voters' side leaves"}


def data_dir() -> str | None:
    return getattr(settings, "PLANNER_DATA_DIR", None) or None


def check_dataset(dataset: dict[str, Any]) -> dict[str, Any]:
    """The dataset, checked (kind, year, files present): raises a clear error if not."""
    if dataset.get("kind") != US_COUNTIES:
        raise DataError(f"unknown dataset {dataset.get('kind')!r}: choose the US county results")
    year = dataset.get("year")
    if year not in YEARS:
        raise DataError(f"no US county results for {year!r}: choose {' or '.join(map(str, YEARS))}")
    water = dataset.get("water_links")
    if water is not None and (not isinstance(water, int | float) or water < 0):
        raise DataError(f"water links must be a distance of 0 km or more, not {water!r}")
    data_file(f"us-president-county/{year}.csv", data_dir())  # DataMissingError names it
    return {"kind": US_COUNTIES, "year": int(year), "water_links": water}


def check_place(place: list[str] | tuple[str, ...]) -> list[str]:
    """Postal codes of the states (``[]``: the whole country); unknown names are refused."""
    return resolve_states(place)


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise DataError(f"unknown direction {direction!r}: choose dem or gop")
    return direction


def load_kwargs(dataset: dict[str, Any], place: list[str], direction: str) -> dict[str, Any]:
    """What ``load_graph`` receives for a job: the same reading as ``secession plan
    --year Y --state S --leave D --water-links KM``."""
    return {
        "year": int(dataset["year"]),
        "states": tuple(place),
        "leave": direction,
        "data_dir": data_dir(),
        "water_links": dataset.get("water_links"),
    }
