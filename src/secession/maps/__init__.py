"""Maps and reports of plans: static PNG/SVG, a self-contained interactive HTML map, and
an HTML report with the summary tables.

>>> from secession.maps import render_plan_outputs  # doctest: +SKIP
>>> render_plan_outputs(plan, "out/")  # doctest: +SKIP
[PosixPath('out/map.png'), PosixPath('out/map.svg'), PosixPath('out/map.html'), ...]
"""

from secession.maps.figures import country_rows, headline, stranded_units, unit_table
from secession.maps.mapdata import MapData, map_data
from secession.maps.redraw import read_plan_dir
from secession.maps.render import render_plan_outputs, write_interactive_maps
from secession.maps.static import draw_plan_map

__all__ = [
    "MapData",
    "country_rows",
    "draw_plan_map",
    "headline",
    "map_data",
    "read_plan_dir",
    "render_plan_outputs",
    "stranded_units",
    "unit_table",
    "write_interactive_maps",
]
