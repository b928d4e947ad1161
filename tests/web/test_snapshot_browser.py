"""A snapshot opened from file:// in Debian's chromium (in English, and one in Spanish): every
page loads with no request leaving the folder, no console error, every link leads to a file
of the snapshot, no axe-core violation, nothing wider than a 390 px screen."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from secession.assets import npm_file
from secession.web.apps.opendata.registry import SITE_SUBJECT
from secession.web.apps.registry.opendata import REGISTRY
from secession.web.apps.snapshots.build import publish
from secession.web.apps.snapshots.publishers import publisher

from .test_browser import CHROMIUM_ARGS, chromium_browser  # noqa: F401 (fixture)
from .test_registry import registry  # noqa: F401 (fixture)
from .test_registry_snapshot import recognised  # noqa: F401 (fixture)
from .test_snapshots import town  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
# every link's address, SVG links (the recognition graph) included
LINKS = (
    "as => as.map(a => typeof a.href === 'string' ? a.href : "
    "new URL(a.getAttribute('href'), document.baseURI).href)"
)


def _local(url: str, root: Path) -> Path | None:
    """The file of the snapshot ``url`` names, or None when it is anything else."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    path = Path(unquote(parsed.path)).resolve()
    return path if path.is_relative_to(root) else None


@pytest.mark.parametrize("scope", ["community", "site", "registry"])
def test_snapshot_opens_offline(chromium_browser, db, request, tmp_path, scope):  # noqa: F811
    root = (tmp_path / "snap").resolve()
    if scope == "registry":
        request.getfixturevalue("recognised")
        subject = REGISTRY
    else:
        town = request.getfixturevalue("town")
        subject = town if scope == "community" else SITE_SUBJECT
    publish(publisher(scope), subject, root)
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    pages = sorted(root.glob("*.html"))
    assert len(pages) >= {"community": 5, "site": 2, "registry": 12}[scope]
    for html in pages:
        response = page.goto(html.as_uri())
        assert response is not None and response.ok, html.name
        assert page.title(), html.name
        for href in page.eval_on_selector_all("a[href]", LINKS):
            target = _local(href, root)
            assert target is not None and target.is_file(), f"{html.name}: link {href}"
        images = page.eval_on_selector_all(
            "img", "is => is.map(i => i.complete && i.naturalWidth > 0)"
        )
        assert all(images), f"{html.name}: an image did not load"
    # the links between pages work by clicking too
    page.goto((root / "index.html").as_uri())
    page.get_by_role("link", name="Audit log").first.click()
    page.wait_for_url("**/audit.html")
    if scope == "registry":  # the world map's script runs from the disk: a people's tooltip
        page.goto((root / "world-map.html").as_uri())
        page.locator('[aria-label^="Northland:"]').first.focus()
        assert "Northland" in page.locator("body").inner_text()
        page.goto((root / "index.html").as_uri())
        page.get_by_role("link", name="Recognition graph").first.click()
        page.wait_for_url("**/graph.html")
        page.get_by_role("link", name="Northland").first.click()
        page.wait_for_url("**/people-*.html")
        assert "Recognised by" in page.locator("main").inner_text()
    assert errors == []
    outside = [u for u in requests if _local(u, root) is None]
    assert outside == [], outside
    assert any(u.endswith("snapshot.css") for u in requests)
    # axe-core last: it reads the style sheet by XMLHttpRequest, which file:// refuses (an
    # error of the test's tool, not of the snapshot, which loads no script at all)
    for html in pages:
        page.goto(html.as_uri())
        page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
        violations = page.evaluate(
            "axe.run(document).then(r => r.violations.map(v => v.id + ': ' + "
            "v.nodes.map(n => n.html.slice(0, 100)).join(' | ')))"
        )
        assert violations == [], (html.name, violations)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, html.name
    context.close()


def test_spanish_snapshot_opens_offline(chromium_browser, town, tmp_path):  # noqa: F811
    """`--lang es`: its pages open from disk in Spanish, with no request leaving the
    folder, zero axe violations and nothing wider than 390 px."""
    root = (tmp_path / "es").resolve()
    publish(publisher("community"), town, root, lang="es")
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((root / "index.html").as_uri())
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("link", name="Miembros", exact=True).first.click()
    page.wait_for_url("**/members.html")
    assert page.title() == f"Miembros de {town.name} ({town.name})"
    assert "sigue siendo miembro" in page.locator("main").inner_text()
    assert errors == []
    assert [u for u in requests if _local(u, root) is None] == []
    for name in ("index.html", "members.html", "proposals.html"):
        page.goto((root / name).as_uri())
        page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
        violations = page.evaluate(
            "axe.run(document).then(r => r.violations.map(v => v.id + ': ' + "
            "v.nodes.map(n => n.html.slice(0, 100)).join(' | ')))"
        )
        assert violations == [], (name, violations)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    context.close()
