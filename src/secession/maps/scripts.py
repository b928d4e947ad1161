"""The script both interactive maps share (``templates/maptip.js``): the tooltip over the
shapes, keyboard focus, zoom and pan. The plan map inlines it before its own script; the
world map's script (:func:`secession.maps.world.interactive.world_script`) starts with it,
inlined in the offline page and served as one file by the platform."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def maptip_script() -> str:
    """``templates/maptip.js``: defines the one global ``secessionMap``."""
    return resources.files("secession.maps").joinpath("templates/maptip.js").read_text("utf-8")
