"""Static maps: compared with committed reference images, and checked pixel by pixel against
the plan's assignment."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from mapcheck import assert_matches_baseline, best_country
from PIL import Image

from secession.maps import draw_plan_map, map_data
from secession.maps.static import DPI, write_static_maps

BASELINE = Path(__file__).parent / "baseline"
SMALL_DPI = 50


def _draw(plan, path: Path) -> Path:
    fig = draw_plan_map(map_data(plan))
    fig.savefig(path, dpi=SMALL_DPI)
    plt.close(fig)
    return path


def test_iowa_map_matches_baseline(ia_plan, tmp_path: Path) -> None:
    actual = _draw(ia_plan, tmp_path / "iowa.png")
    assert_matches_baseline(actual, BASELINE / "iowa_three_countries.png")


def test_oregon_washington_map_matches_baseline(orwa_plan, tmp_path: Path) -> None:
    actual = _draw(orwa_plan, tmp_path / "orwa.png")
    assert_matches_baseline(actual, BASELINE / "oregon_washington_dem_counties.png")


def _unit_pixels(plan, png: Path) -> tuple[np.ndarray, list[tuple[int, np.ndarray]]]:
    """The PNG as RGB floats and, per unit, the 5x5 median colour at its inner point."""
    data = map_data(plan)
    fig = draw_plan_map(data)  # same layout as the written file: gives the pixel transform
    ax = next(a for a in fig.axes if a.get_label() == "map")
    img = np.asarray(Image.open(png).convert("RGB"), dtype=float) / 255.0
    height = img.shape[0]
    pts = data.geometry.representative_point()
    xy = ax.transData.transform(np.column_stack([pts.x, pts.y]))
    plt.close(fig)
    out = []
    for i, (x, y) in enumerate(xy):
        col, row = round(x), round(height - y)
        patch = img[row - 2 : row + 3, col - 2 : col + 3].reshape(-1, 3)
        out.append((i, np.median(patch, axis=0)))
    return img, out


def test_png_colour_of_units_matches_their_country(orwa_plan, tmp_path: Path) -> None:
    png, _svg = write_static_maps(map_data(orwa_plan), tmp_path)
    assert Image.open(png).info.get("dpi", (DPI, DPI))[0] >= DPI - 1
    data = map_data(orwa_plan)
    stranded = data.units["stranded"].to_numpy()
    area = data.geometry.area.to_numpy()
    _, pixels = _unit_pixels(orwa_plan, png)
    # large units that are not hatched: their pixel colour must be a tint of their country
    checked = 0
    for i, color in pixels:
        if stranded[i] or area[i] < np.percentile(area, 40):
            continue
        assert best_country(color, data.colors) == orwa_plan.country[i], data.units.iloc[i]
        checked += 1
    assert checked >= 20
    # every country of the plan is drawn somewhere
    seen = {best_country(c, data.colors) for _, c in pixels}
    assert {0, 1, 2} <= seen
