"""Data options shared by every command that reads units (data inspect, plan, scenario, ...).

Use the ``Annotated`` aliases one by one, or decorate a command with
:func:`with_data_options`, which adds all of them and passes one :class:`DataOptions`::

    @app.command()
    @with_data_options
    def plan(data: DataOptions, out: Path = Path("plan")) -> None:
        loaded = data.load()  # LoadResult(graph, report)
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, fields
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from secession.i18n import available

if TYPE_CHECKING:  # pragma: no cover
    from secession.geo.load import LoadResult

PANEL = "Data"


class Side(StrEnum):
    dem = "dem"
    gop = "gop"


class Adjacency(StrEnum):
    rook = "rook"
    queen = "queen"


class OnMismatch(StrEnum):
    error = "error"
    drop = "drop"
    keep = "keep"


ResultsOption = Annotated[
    str | None,
    typer.Option(
        "--results",
        help="Results CSV: the US county layouts are detected; any other CSV needs "
        "--id-col, --leave-col and --stay-col, and --boundaries to join to.",
        rich_help_panel=PANEL,
    ),
]
BoundariesOption = Annotated[
    str | None,
    typer.Option(
        "--boundaries",
        help="Boundaries: TopoJSON, GeoJSON, shapefile (.shp/.zip), GeoPackage, or "
        "plotly:counties / plotly:states (Census 2016, from the plotly-geo package).",
        rich_help_panel=PANEL,
    ),
]
UnitsOption = Annotated[
    str | None,
    typer.Option(
        "--units",
        help="One file with geometry and votes (shapefile, .zip, GeoJSON, GeoPackage); "
        "name the vote columns with --leave-col and --stay-col.",
        rich_help_panel=PANEL,
    ),
]
GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        help="A ready adjacency graph: networkx JSON (node-link or adjacency form), or a "
        ".npz cache file written by --save-graph.",
        rich_help_panel=PANEL,
    ),
]
IdColOption = Annotated[
    str | None,
    typer.Option(
        "--id-col",
        help="Column holding unit ids (in both --results and --boundaries when joining "
        "a CSV that is not a US county layout).",
        rich_help_panel=PANEL,
    ),
]
LeaveColOption = Annotated[
    str | None,
    typer.Option("--leave-col", help="Column of votes for leaving.", rich_help_panel=PANEL),
]
StayColOption = Annotated[
    str | None,
    typer.Option("--stay-col", help="Column of votes for staying.", rich_help_panel=PANEL),
]
PopulationColOption = Annotated[
    str | None,
    typer.Option(
        "--population-col",
        help="Column of population (default: total votes).",
        rich_help_panel=PANEL,
    ),
]
OtherColOption = Annotated[
    str | None,
    typer.Option(
        "--other-col",
        help="Column of votes for neither side (optional; counted in totals and in the "
        "default population).",
        rich_help_panel=PANEL,
    ),
]
NameColOption = Annotated[
    str | None,
    typer.Option("--name-col", help="Column of unit names.", rich_help_panel=PANEL),
]
LeaveOption = Annotated[
    Side,
    typer.Option("--leave", help="Which side leaves (US county results).", rich_help_panel=PANEL),
]
StateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--state",
        help="Keep only this state (postal code or name, e.g. OR or Oregon; repeat for "
        "several). Needs FIPS ids or a state column.",
        rich_help_panel=PANEL,
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        metavar="FILE",
        help="Keep only the units whose point lies inside these polygons (GeoJSON, "
        "GeoPackage, shapefile, ...; lon/lat, or a CRS to convert from); with --state, "
        "the units of those states inside it.",
        rich_help_panel=PANEL,
    ),
]
YearOption = Annotated[
    int,
    typer.Option(
        "--year",
        help="Year of the US county results read from the data folder (2016 or 2020) "
        "when no source is given.",
        rich_help_panel=PANEL,
    ),
]
AdjacencyOption = Annotated[
    Adjacency,
    typer.Option(
        "--adjacency",
        help="rook: shared boundary of positive length; queen: any shared point.",
        rich_help_panel=PANEL,
    ),
]
LinkIslandsOption = Annotated[
    bool,
    typer.Option(
        "--link-islands",
        help="Link every piece with no land neighbour to its nearest unit in the same "
        "state (each link reported). Off by default: islands are only listed.",
        rich_help_panel=PANEL,
    ),
]
WaterLinksOption = Annotated[
    float | None,
    typer.Option(
        "--water-links",
        metavar="KM",
        min=0.0,
        help="Link units across water whose shores lie within KM of each other (geodesic, "
        "every link listed). Default: 6 for the US county layouts (the Straits of Mackinac, "
        "the Verrazzano Narrows and the crossings listed in docs/data.md), none otherwise; "
        "0 turns links off.",
        rich_help_panel=PANEL,
    ),
]
OnMismatchOption = Annotated[
    OnMismatch,
    typer.Option(
        "--on-mismatch",
        help="What to do with mismatched units: error (stop and list them), drop or keep "
        "them; every decision is listed.",
        rich_help_panel=PANEL,
    ),
]
AggregateOption = Annotated[
    str | None,
    typer.Option(
        "--aggregate",
        help="Merge units to a coarser level: state, county (needs a state or county "
        "column), or any column of --units/--graph; votes summed, adjacency kept.",
        rich_help_panel=PANEL,
    ),
]
DataDirOption = Annotated[
    str | None,
    typer.Option(
        "--data-dir",
        help="Data folder (default: $SECESSION_DATA, else the download cache).",
        rich_help_panel=PANEL,
    ),
]


@dataclass
class DataOptions:
    """The data options of one command; :meth:`load` turns them into a unit graph."""

    results: str | None = None
    boundaries: str | None = None
    units: str | None = None
    graph: str | None = None
    id_col: str | None = None
    leave_col: str | None = None
    stay_col: str | None = None
    population_col: str | None = None
    name_col: str | None = None
    leave: str = "dem"
    year: int = 2020
    states: tuple[str, ...] = ()
    adjacency: str = "rook"
    link_islands: bool = False
    on_mismatch: str = "error"
    data_dir: str | None = None
    aggregate: str | None = None
    other_col: str | None = None
    water_links: float | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        for f in ("leave", "adjacency", "on_mismatch"):
            value = getattr(self, f)
            if isinstance(value, Enum):
                setattr(self, f, value.value)
        self.states = tuple(self.states or ())

    def load(self) -> LoadResult:
        from secession.geo.load import load_graph

        return load_graph(**{f.name: getattr(self, f.name) for f in fields(self)})


# (parameter name, annotation, default, DataOptions field)
_PARAMS: list[tuple[str, Any, Any, str]] = [
    ("results", ResultsOption, None, "results"),
    ("boundaries", BoundariesOption, None, "boundaries"),
    ("units", UnitsOption, None, "units"),
    ("graph", GraphOption, None, "graph"),
    ("id_col", IdColOption, None, "id_col"),
    ("leave_col", LeaveColOption, None, "leave_col"),
    ("stay_col", StayColOption, None, "stay_col"),
    ("population_col", PopulationColOption, None, "population_col"),
    ("other_col", OtherColOption, None, "other_col"),
    ("name_col", NameColOption, None, "name_col"),
    ("leave", LeaveOption, Side.dem, "leave"),
    ("state", StateOption, None, "states"),
    ("region", RegionOption, None, "region"),
    ("year", YearOption, 2020, "year"),
    ("adjacency", AdjacencyOption, Adjacency.rook, "adjacency"),
    ("link_islands", LinkIslandsOption, False, "link_islands"),
    ("water_links", WaterLinksOption, None, "water_links"),
    ("on_mismatch", OnMismatchOption, OnMismatch.error, "on_mismatch"),
    ("data_dir", DataDirOption, None, "data_dir"),
    ("aggregate", AggregateOption, None, "aggregate"),
]


def with_data_options(func):
    """Add every data option to a Typer command; it receives them as ``data: DataOptions``."""
    sig = inspect.signature(func, eval_str=True)
    own = [p for p in sig.parameters.values() if p.name != "data"]
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann)
        for name, ann, default, _ in _PARAMS
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {field: kwargs.pop(name) for name, _, _, field in _PARAMS if name in kwargs}
        return func(*args, data=DataOptions(**values), **kwargs)

    params = own + extra
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # Typer must read the new signature, not the original one
    return wrapper


#: ``--lang``: the language of a command's report and maps (``secession.i18n.LANGUAGES``).
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help=f"Language of the report's and maps' titles, legends and tables: {available()}.",
    ),
]
