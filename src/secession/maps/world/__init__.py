"""The world map: declared and recognised peoples drawn as independent, each cut out of the
country it left, on Natural Earth's countries in an equal-area projection (docs/world-map.md).

>>> from secession.maps.world import read_world_doc, render_world_map  # doctest: +SKIP
>>> doc = read_world_doc("docs/examples/world-peoples.json")  # doctest: +SKIP
>>> written, drawn = render_world_map(doc, "world/", base_dir="docs/examples")  # doctest: +SKIP
"""

from secession.maps.world.doc import People, WorldMapDoc, parse_world_doc, read_world_doc
from secession.maps.world.layout import Placed, WorldLayout, world_layout
from secession.maps.world.model import WorldMap
from secession.maps.world.plan import plan_world_doc
from secession.maps.world.render import place_peoples, render_world_map

__all__ = [
    "People",
    "Placed",
    "WorldLayout",
    "WorldMap",
    "WorldMapDoc",
    "parse_world_doc",
    "place_peoples",
    "plan_world_doc",
    "read_world_doc",
    "render_world_map",
    "world_layout",
]
