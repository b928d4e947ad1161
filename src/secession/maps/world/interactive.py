"""The world map as one self-contained, offline HTML file: inline SVG, inline data, a small
inline script (hover or keyboard focus: name, status, who recognises it; zoom and pan).

Nothing is fetched: no tiles, no script or font from elsewhere. Paths are drawn with the
plan maps' helpers (:mod:`secession.maps.svgpaths`): shared borders simplified together so
that countries and peoples keep meeting exactly.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from secession.maps.htmlkit import esc, num, table
from secession.maps.scripts import maptip_script
from secession.maps.svgpaths import TOLERANCE_PX, ViewBox, geometry_path, paths, simplify_coverage
from secession.maps.world.model import WorldMap
from secession.maps.world.projection import graticule, world_outline
from secession.maps.world.style import (
    COUNTRY_EDGE,
    COUNTRY_FILL,
    GRATICULE,
    PEOPLE_EDGE,
    SEA,
    STATUS_COLORS,
    status_words,
)

LABEL_FONT = 11.0  # view-box units (the map is 1000 wide)


def _svg(wm: WorldMap) -> str:
    minx, miny, maxx, maxy = wm.extent
    view = ViewBox.fit(np.array([minx, miny, maxx, maxy]))
    tol = TOLERANCE_PX / view.scale
    features = [f for f in wm.layout.features if not shapely.is_empty(f.geometry)]
    simple = simplify_coverage(np.array([f.geometry for f in features], dtype=object), tol)
    d = paths(simple, view)
    countries = [f.key for f in wm.layout.features if f.kind == "country"]
    drawn = [f.key for f in wm.drawn]
    out = [
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view.width:g} '
        f'{round(view.height, 1):g}" preserveAspectRatio="xMidYMid meet" role="group" '
        f'aria-labelledby="map-title"><title id="map-title">{esc(wm.title)}: '
        f"{esc(wm.subtitle)}</title>",
        f'<path class="overlay" fill="{SEA}" stroke="#9fb3c4" stroke-width="0.6" '
        f'd="{geometry_path(world_outline(), view)}"/>',
        f'<path class="overlay" fill="none" stroke="{GRATICULE}" stroke-width="0.4" '
        f'd="{geometry_path(graticule(), view)}"/>',
        '<g id="countries">',
    ]
    for f, path in zip(features, d, strict=True):
        if f.kind == "country" and path:
            out.append(f'<path class="country" data-i="{countries.index(f.key)}" d="{path}"/>')
    out.append('</g><g id="peoples">')
    for f, path in zip(features, d, strict=True):
        if f.kind != "country" and path:
            i = drawn.index(f.key)
            css = "people contested" if f.kind == "contested" else "people"
            words = status_words(f.status, wm.doc.point_of_view, wm.lang)
            out.append(
                f'<path class="{css}" data-i="{i}" data-status="{f.status}" '
                f'fill="{STATUS_COLORS[f.status]}" tabindex="0" role="img" '
                f'aria-label="{esc(f.name)}: {esc(words)}" '
                f'd="{path}"/>'
            )
    out.append("</g>")
    out.append(
        f'<g class="overlay" font-size="{LABEL_FONT:g}" text-anchor="middle" fill="#222" '
        'stroke="#fff" stroke-width="2.5" paint-order="stroke">'
    )
    for f, (x, y) in wm.spaced_labels(LABEL_FONT, view.width):
        vx, vy = view.apply(np.array([[x, y]]))[0]
        out.append(
            f'<text x="{vx:.1f}" y="{vy:.1f}" dy="0.35em" data-for="{drawn.index(f.key)}">'
            f"{esc(f.name)}</text>"
        )
    out.append("</g></svg>")
    return "\n".join(out)


def _legend(wm: WorldMap) -> str:
    _ = wm._
    statuses = ["recognised", "declared"] + (["contested"] if wm.counts.get("contested") else [])
    items = [
        f'<span class="item" data-status="{s}"><span class="sw sw-{s}"></span>'
        f"{esc(status_words(s, wm.doc.point_of_view, wm.lang))}</span>"
        for s in statuses
    ]
    items.append(
        '<span class="item"><span class="sw sw-country"></span>'
        + esc(_("Countries as Natural Earth draws them"))
        + "</span>"
    )
    return "\n".join(items)


def _table(wm: WorldMap) -> str:
    _ = wm._
    rows = []
    for r in wm.people_rows():
        name = esc(r["name"]) + (
            ' <span class="hint">(indigenous nation)</span>' if r["indigenous"] else ""
        )
        rows.append(
            [
                name,
                esc(status_words(r["status"], wm.doc.point_of_view, wm.lang)),
                esc(", ".join(r["recognised_by"]) or _("no one yet")),
                esc(r["left"] or "–"),
                num(r["area_km2"]),
            ]
        )
    if not rows:
        return '<p class="world-hint">' + esc(_("No declared or recognised people yet.")) + "</p>"
    return table(
        [_("people"), _("status"), _("recognised by"), _("left"), _("area (km²)")],
        rows,
        numeric=[False, False, False, False, True],
        attrs='id="peoples" aria-labelledby="peoples-heading"',
    )


def _script_texts(wm: WorldMap) -> dict[str, str]:
    """The tooltip's words in the map's language (``world.js`` reads them from the data)."""
    _ = wm._
    return {
        "no_one": _("no one yet"),
        "claimed": _("Claimed by several peoples:"),
        "area": _("Area:"),
        "indigenous": _("indigenous nation"),
        "status": _("Status:"),
        "recognised_by": _("Recognised by:"),
        "left": _("Left:"),
        "declared": _("Declared:"),
    }


def _data_json(wm: WorldMap) -> str:
    rows = {r["id"]: r for r in wm.people_rows()}
    features = []
    for f in wm.drawn:
        item = {"kind": f.kind, "name": f.name, "status": f.status, "area_km2": f.area_km2}
        if f.kind == "people":
            r = rows[f.key]
            item.update(
                recognised_by=r["recognised_by"],
                left=r["left"],
                indigenous=r["indigenous"],
                declared=r["declared"],
            )
        else:
            names = {p.id: p.name for p in wm.layout.peoples}
            item["claimants"] = [names[c] for c in f.claimants]
        features.append(item)
    payload = {
        "countries": [f.key for f in wm.layout.features if f.kind == "country"],
        "features": features,
        "colors": STATUS_COLORS,
        "status_words": {s: status_words(s, wm.doc.point_of_view, wm.lang) for s in STATUS_COLORS},
        "texts": _script_texts(wm),
    }
    # no "<" at all inside the script element: "<!--" or "<script" in a name cannot change
    # how the page is parsed
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def _template(name: str) -> str:
    return resources.files("secession.maps.world").joinpath(f"templates/{name}").read_text("utf-8")


def world_css() -> str:
    """The map's own styles (the page around it brings its own)."""
    css = (
        _template("world.css")
        .replace("__COUNTRY_FILL__", COUNTRY_FILL)
        .replace("__COUNTRY_EDGE__", COUNTRY_EDGE)
        .replace("__PEOPLE_EDGE__", PEOPLE_EDGE)
    )
    swatches = {**STATUS_COLORS, "country": COUNTRY_FILL}
    return css + "".join(f".sw-{k} {{ background: {v}; }}\n" for k, v in swatches.items())


def world_script() -> str:
    """The map's script: the shared tooltip, focus, zoom and pan (:mod:`secession.maps.scripts`)
    followed by the world map's own tooltip words, as one script."""
    return maptip_script() + _template("world.js")


def world_parts(wm: WorldMap) -> dict[str, str]:
    """The pieces of the map as HTML (already escaped): ``svg``, ``legend``, ``table``,
    ``data`` (JSON for ``<script type="application/json" id="world-data">``) and the texts.
    The offline page and the platform's page put them in their own frame."""
    _ = wm._
    return {
        "lang": wm.lang,
        "rule_label": esc(_("Recognition rule:")),
        "peoples_heading": esc(_("Peoples on this map")),
        "hint": esc(
            _(
                "Hover or focus a people for its status and who recognises it; scroll to "
                "zoom, drag to pan, double-click to reset."
            )
        ),
        "title": esc(wm.title),
        "subtitle": esc(wm.subtitle),
        "rule": esc(wm.rule),
        "source": esc(wm.source_note),
        "legend": _legend(wm),
        "table": _table(wm),
        "data": _data_json(wm),
        "svg": _svg(wm),
    }


def render_world_html(wm: WorldMap) -> str:
    """The complete offline page as a string: styles and script inline, nothing fetched."""
    parts = world_parts(wm)
    replacements = {f"__{k.upper()}__": v for k, v in parts.items()}
    replacements["__CSS__"] = world_css()
    replacements["__SCRIPT__"] = world_script()
    # one pass, so a people named "__SVG__" is never substituted again
    pattern = re.compile("|".join(re.escape(k) for k in replacements))
    return pattern.sub(lambda m: replacements[m.group(0)], _template("world.html"))


def write_world_html(wm: WorldMap, out_dir: str | Path, name: str = "world-map.html") -> Path:
    path = Path(out_dir) / name
    path.write_text(render_world_html(wm), encoding="utf-8")
    return path
