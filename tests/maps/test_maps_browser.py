"""The interactive map and the report opened in real headless Chromium (Playwright)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mapcheck import best_country, wheel_drag_and_reset

from secession.maps import render_plan_outputs
from secession.maps.style import rgb_to_hex

pytestmark = pytest.mark.browser

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless=new",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("SECESSION_CHROMIUM") or "/usr/bin/chromium"
    if not Path(exe).exists():
        pytest.fail(f"Chromium not found at {exe}: run `bash scripts/setup.sh --system`")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def ia_outputs(ia_plan, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ia-plan")
    render_plan_outputs(ia_plan, out)
    labels = pd.Series(ia_plan.labels)[ia_plan.country].to_numpy()
    pd.DataFrame({"unit_id": ia_plan.graph.ids, "country": labels}).to_csv(
        out / "assignment.csv", index=False
    )
    return out


def _open(chromium, path: Path):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []

    def on_console(msg) -> None:
        if msg.type in ("error", "warning"):
            problems.append(f"{msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems


def _rgb(text: str) -> tuple[float, float, float]:
    r, g, b = (int(v) for v in re.findall(r"\d+", text)[:3])
    return r / 255, g / 255, b / 255


def test_map_loads_cleanly_and_hover_names_the_unit(chromium, ia_plan, ia_outputs) -> None:
    page, problems = _open(chromium, ia_outputs / "map.html")
    g = ia_plan.graph
    assignment = pd.read_csv(ia_outputs / "assignment.csv", dtype=str).set_index("unit_id")
    legend = {
        int(el.get_attribute("data-country")): _rgb(
            el.eval_on_selector("span.sw", "e => getComputedStyle(e).backgroundColor")
        )
        for el in page.query_selector_all("#legend [data-country]")
    }
    palette = [rgb_to_hex(np.array(legend[c])) for c in sorted(legend)]
    for uid, name in (("19153", "Polk"), ("19113", "Linn"), ("19193", "Woodbury")):
        i = g.index_of(uid)
        path = page.locator(f'path.unit[data-i="{i}"]')
        box = path.bounding_box()
        assert box and box["width"] > 5
        path.hover()  # Iowa's counties are near-rectangles: the box centre is inside
        tip = page.locator("#tip")
        assert tip.is_visible()
        text = tip.inner_text()
        assert f"{name}, Iowa" in text and uid in text  # unit, its state and its id
        i_share = 100 * g.leave[i] / (g.leave[i] + g.stay[i])
        assert f"{i_share:.1f}%" in text  # the leave side's share of the two sides
        label = assignment.loc[uid, "country"]
        country = ia_plan.labels.index(label)
        assert (label in text) or ("Remaining country" in text and country == 0)
        fill = _rgb(path.evaluate("e => getComputedStyle(e).fill"))
        assert best_country(fill, palette) == country, (uid, fill)
    # moving off the map hides the tooltip
    page.mouse.move(2, 2)
    assert not page.locator("#tip").is_visible()
    assert problems == []
    page.close()


def test_report_loads_cleanly_with_its_map(chromium, ia_outputs) -> None:
    page, problems = _open(chromium, ia_outputs / "report.html")
    img = page.locator("img.map")
    assert img.evaluate("e => e.complete && e.naturalWidth") > 500
    rows = page.locator("#countries tbody tr")
    assert rows.count() == 4  # three countries and the total
    assert problems == []
    page.close()


def test_wheel_zooms_drag_pans_double_click_resets(chromium, ia_outputs) -> None:
    """The shared map script (maps/templates/maptip.js) drives the plan map's view box."""
    page, problems = _open(chromium, ia_outputs / "map.html")
    wheel_drag_and_reset(page)
    assert problems == []
    page.close()
