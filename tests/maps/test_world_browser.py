"""The interactive world map in real headless Chromium (Playwright): offline, no console
error, hover and keyboard focus show the tooltip, no axe-core violation, usable at 390 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mapcheck import wheel_drag_and_reset

from secession.assets import npm_file
from secession.maps.world.doc import read_world_doc
from secession.maps.world.render import render_world_map

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "world-peoples.json"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless=new",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# a point inside the fill of a path, in page coordinates (scans a grid over its box)
POINT_INSIDE = """path => {
  const svg = path.ownerSVGElement, box = path.getBBox(), m = path.getScreenCTM();
  const p = svg.createSVGPoint();
  for (let k = 1; k < 40; k++) for (let j = 1; j < 40; j++) {
    p.x = box.x + box.width * j / 40; p.y = box.y + box.height * k / 40;
    if (path.isPointInFill(p)) {
      const hit = p.matrixTransform(m);
      const top = document.elementFromPoint(hit.x, hit.y);
      if (top === path) return [hit.x, hit.y];
    }
  }
  return null;
}"""


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
def page_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world")
    written, _ = render_world_map(read_world_doc(EXAMPLE), out, base_dir=EXAMPLE.parent)
    return next(p for p in written if p.suffix == ".html")


def _open(chromium, path: Path, width: int = 1200):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems, requests


def _hover(page, selector: str) -> str:
    path = page.locator(selector)
    point = path.evaluate(POINT_INSIDE)
    assert point, f"no visible point inside {selector}"
    page.mouse.move(*point)
    tip = page.locator("#tip")
    assert tip.is_visible()
    return tip.inner_text()


def test_hover_shows_name_status_and_recognisers(chromium, page_file) -> None:
    page, problems, requests = _open(chromium, page_file)
    text = _hover(page, 'path.people[aria-label^="Example Northland"]')
    assert "Example Northland" in text and "Recognised" in text
    assert "Recognised by: Example Riverland, Example Lakeland, Example Hill Nation" in text
    assert "Left: Australia" in text
    text = _hover(page, 'path.people[aria-label^="Example Ridge"]')
    assert "Declared" in text and "Recognised by: no one yet" in text and "Left: Brazil" in text
    text = _hover(page, "path.people.contested")
    assert "Claimed by several peoples: Example Riverland, Example Ridge" in text
    text = _hover(page, 'path.people[aria-label^="Example Hill Nation"]')
    assert "indigenous nation" in text and "United States of America" in text
    page.mouse.move(2, 2)
    assert not page.locator("#tip").is_visible()
    assert problems == []
    assert requests == [page_file.as_uri()]  # nothing leaves the file
    page.close()


def test_keyboard_focus_shows_the_tooltip(chromium, page_file) -> None:
    page, problems, _ = _open(chromium, page_file)
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('people')"):
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label and label.startswith("Example Northland")
    assert page.locator("#tip").is_visible()
    assert "Example Northland" in page.locator("#tip").inner_text()
    assert problems == []
    page.close()


def test_no_accessibility_violations_and_usable_at_390px(chromium, page_file) -> None:
    page, problems, _ = _open(chromium, page_file, width=390)
    page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
    result = page.evaluate("axe.run(document).then(r => r.violations.map(v => v.id))")
    assert result == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert problems == []
    page.close()


def test_wheel_zooms_drag_pans_double_click_resets(chromium, page_file) -> None:
    """The shared map script (maps/templates/maptip.js) drives the world map's view box."""
    page, problems, _ = _open(chromium, page_file)
    wheel_drag_and_reset(page)
    assert problems == []
    page.close()
