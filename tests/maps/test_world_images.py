"""The static world map: compared with committed reference images, and read pixel by pixel:
each people is filled with its status colour, other land grey, the sea pale blue."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from mapcheck import assert_matches_baseline
from PIL import Image

from secession.maps.style import hex_to_rgb
from secession.maps.world.doc import read_world_doc
from secession.maps.world.layout import world_layout
from secession.maps.world.model import WorldMap
from secession.maps.world.projection import project_points
from secession.maps.world.render import place_peoples
from secession.maps.world.static import draw_world_map, write_world_static
from secession.maps.world.style import COUNTRY_FILL, SEA, STATUS_COLORS

BASELINE = Path(__file__).parent / "baseline"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "world-peoples.json"
SMALL_DPI = 50


@pytest.fixture(scope="module")
def example() -> WorldMap:
    doc = read_world_doc(EXAMPLE)
    return WorldMap(doc, world_layout(place_peoples(doc, EXAMPLE.parent), doc.base))


def _draw(wm: WorldMap, path: Path) -> Path:
    fig = draw_world_map(wm)
    fig.savefig(path, dpi=SMALL_DPI)
    plt.close(fig)
    return path


def test_example_map_matches_baseline(example, tmp_path: Path) -> None:
    actual = _draw(example, tmp_path / "world.png")
    assert_matches_baseline(actual, BASELINE / "world_example_peoples.png")


def test_plan_on_the_world_matches_baseline(orwa_plan, tmp_path: Path) -> None:
    from secession.maps.world.plan import plan_world_doc
    from secession.plan.output import write_plan

    write_plan(orwa_plan, tmp_path / "plan")
    doc, placed = plan_world_doc(tmp_path / "plan")
    wm = WorldMap(doc, world_layout(placed, doc.base))
    assert wm.extent[2] - wm.extent[0] >= 6_000_000  # zoomed, but to a continent
    actual = _draw(wm, tmp_path / "plan-world.png")
    assert_matches_baseline(actual, BASELINE / "world_oregon_washington_plan.png")


def _pixel(img: np.ndarray, transform, x: float, y: float) -> np.ndarray:
    px, py = transform.transform([[x, y]])[0]
    col, row = round(px), round(img.shape[0] - py)
    patch = img[row - 1 : row + 2, col - 1 : col + 2].reshape(-1, 3)
    return np.median(patch, axis=0)


def _label_boxes(ax) -> list:
    """The drawn labels' boxes, in map coordinates."""
    renderer = ax.figure.canvas.get_renderer()
    inverse = ax.transData.inverted()
    boxes = []
    for text in ax.texts:
        (x0, y0), (x1, y1) = inverse.transform(text.get_window_extent(renderer).get_points())
        boxes.append(shapely.box(x0, y0, x1, y1))
    return boxes


def _inside(feature, labels: list) -> tuple[float, float] | None:
    """A point well inside ``feature``, away from its border and from any label (``None``
    when there is no such point)."""
    area = shapely.difference(feature.geometry, shapely.union_all(labels))
    area = shapely.buffer(area, -60_000)
    if shapely.is_empty(area):
        return None
    p = shapely.point_on_surface(area)
    return p.x, p.y


def test_pixels_have_the_status_colours(example, tmp_path: Path) -> None:
    png, svg = write_world_static(example, tmp_path)
    assert svg.read_text().lstrip().startswith("<?xml") and example.title in svg.read_text()
    img = np.asarray(Image.open(png).convert("RGB"), dtype=float) / 255.0
    fig = draw_world_map(example)  # the same layout as the file: gives the pixel transform
    ax = next(a for a in fig.axes if a.get_label() == "map")
    transform = ax.transData
    labels = _label_boxes(ax)
    assert len(labels) >= 4
    checked = {}
    for f in example.drawn:
        inside = _inside(f, labels)
        if inside is None:  # Kosovo is a few pixels wide
            continue
        got = _pixel(img, transform, *inside)
        assert np.abs(got - hex_to_rgb(STATUS_COLORS[f.status])).max() < 2.5 / 255, f.name
        checked[f.name] = f.status
    assert set(checked.values()) == {"recognised", "declared", "contested"}
    assert checked["Example Northland"] == "recognised"
    # other land is grey, the sea pale blue
    x, y = project_points([2.5], [27.0])  # the middle of Algeria
    assert np.abs(_pixel(img, transform, x[0], y[0]) - hex_to_rgb(COUNTRY_FILL)).max() < 2.5 / 255
    x, y = project_points([-25.0], [-35.0])  # the South Atlantic, off the graticule
    assert np.abs(_pixel(img, transform, x[0], y[0]) - hex_to_rgb(SEA)).max() < 2.5 / 255
    plt.close(fig)
