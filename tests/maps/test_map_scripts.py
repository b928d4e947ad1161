"""One tooltip, zoom and pan script for both interactive maps (``maps/templates/maptip.js``):
inlined once in the plan map, first in the world map's script, repeated in neither."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from secession.maps import render_plan_outputs
from secession.maps.scripts import maptip_script
from secession.maps.world.interactive import world_script

#: lines only the shared script may hold
SHARED = [
    'addEventListener("wheel"',
    "function esc(",
    "function setVB(",
    'addEventListener("focusin"',
]


def _template(path: str) -> str:
    return resources.files("secession.maps").joinpath(path).read_text("utf-8")


def test_neither_map_repeats_the_shared_script() -> None:
    shared = maptip_script()
    assert all(line in shared for line in SHARED)
    for path in ("templates/map.html", "world/templates/world.js"):
        own = _template(path)
        assert [line for line in SHARED if line in own] == [], path
        assert "secessionMap.wire(" in own, path


def test_the_world_script_starts_with_the_shared_one() -> None:
    script = world_script()
    assert script.startswith(maptip_script())
    assert script.count("var secessionMap =") == 1


def test_the_plan_map_inlines_it_once(ia_plan, tmp_path: Path) -> None:
    render_plan_outputs(ia_plan, tmp_path)
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert html.count(maptip_script()) == 1
    assert html.index("var secessionMap =") < html.index("secessionMap.wire(")
    assert "__MAPTIP__" not in html
