"""The interactive map: one self-contained HTML file (inline SVG, inline data, inline script).

Nothing is fetched: no tile server, no script from a CDN, so the file works offline and can
be mailed or posted anywhere. Hovering a unit shows its name, votes, margin and country.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import numpy as np

from secession.i18n import gettext_for
from secession.maps.mapdata import MapData, label_points, legend_countries
from secession.maps.scripts import maptip_script
from secession.maps.style import STRANDED_EDGE
from secession.maps.svgpaths import TOLERANCE_PX, ViewBox, paths, simplify_coverage


def _svg(data: MapData) -> str:
    geo = data.geometry
    view = ViewBox.fit(geo.total_bounds)
    tol = TOLERANCE_PX / view.scale
    simple = simplify_coverage(np.asarray(geo.values), tol)
    unit_paths = paths(simple, view)
    fills = data.units["fill"].tolist()
    stranded = data.units["stranded"].to_numpy()
    out = [
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view.width:g} '
        f'{round(view.height, 1):g}" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-label="{html.escape(data.title)}">',
        '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" '
        f'stroke="{STRANDED_EDGE}" stroke-width="0.7"/></pattern>{_PICK_PATTERNS}</defs>',
        '<g id="units">',
    ]
    for i, (d, fill) in enumerate(zip(unit_paths, fills, strict=True)):
        if d:
            out.append(f'<path class="unit" data-i="{i}" fill="{fill}" d="{d}"/>')
    out.append('</g><g class="overlay" id="stranded">')
    for i in np.flatnonzero(stranded):
        if unit_paths[i]:
            out.append(f'<path fill="url(#hatch)" stroke="none" d="{unit_paths[i]}"/>')
    out.append("</g>")
    if data.group_outlines is not None:
        groups = simplify_coverage(np.asarray(data.group_outlines.boundary.values), tol)
        out.append('<g class="overlay" fill="none" stroke="#555" stroke-width="0.5">')
        out.extend(f'<path d="{d}"/>' for d in paths(groups, view) if d)
        out.append("</g>")
    borders = simplify_coverage(np.asarray(data.country_outlines.boundary.values), tol)
    out.append('<g class="overlay" id="borders" fill="none" stroke="#111" stroke-width="1.4">')
    out.extend(f'<path d="{d}"/>' for d in paths(borders, view) if d)
    out.append("</g>")
    out.append(_labels(data, view))
    out.append("</svg>")
    return "\n".join(out)


# Marks of units chosen by the page framing the map (see templates/map.html): black and
# white hatching, so a chosen unit reads by its pattern and outline, not by a colour alone.
_PICK_PATTERNS = (
    '<pattern id="pick-move" patternUnits="userSpaceOnUse" width="5" height="5" '
    'patternTransform="rotate(-45)"><rect width="5" height="5" fill="#fff" fill-opacity="0.35"/>'
    '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="1.6"/></pattern>'
    '<pattern id="pick-leave" patternUnits="userSpaceOnUse" width="5" height="5" '
    'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="5" stroke="#000" '
    'stroke-width="1.6"/></pattern>'
    '<pattern id="pick-stay" patternUnits="userSpaceOnUse" width="5" height="5">'
    '<rect width="5" height="5" fill="#fff" fill-opacity="0.35"/>'
    '<circle cx="2.5" cy="2.5" r="1.2" fill="#000"/></pattern>'
    # a unit the page refuses (outside a drawn region): greyed over, white hatching
    '<pattern id="pick-out" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#8c8c8c" '
    'fill-opacity="0.9"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" '
    'stroke-width="1.5"/></pattern>'
)

LABEL_SIZE = 9.0  # view-box units (the view box is 1000 wide)


def _labels(data: MapData, view: ViewBox) -> str:
    """Short names at a point of each new country's largest piece, with a white halo; a
    label overlapping one already placed (larger countries first) moves above or below,
    and is left out (it stays in the legend) when every place overlaps."""
    points = label_points(data)
    pop = data.units.groupby("country")["population"].sum()
    placed: list[tuple[float, float, float, float]] = []
    out = ['<g class="overlay" id="labels" text-anchor="middle" dominant-baseline="central">']
    for c in sorted(points, key=lambda c: -float(pop.get(c, 0))):
        ((x, y),) = view.apply(np.array([points[c]]))
        name = data.names[c]
        half_w, half_h = 0.3 * LABEL_SIZE * len(name), 0.6 * LABEL_SIZE
        for dy in (0.0, -1.2, 1.2, -2.4, 2.4):
            yy = y + dy * LABEL_SIZE
            box = (x - half_w, yy - half_h, x + half_w, yy + half_h)
            if not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
            ):
                placed.append(box)
                out.append(
                    f'<text class="label" data-country="{c}" x="{x:.1f}" y="{yy:.1f}">'
                    f"{html.escape(name)}</text>"
                )
                break
    out.append("</g>")
    return "\n".join(out)


def _legend(data: MapData) -> str:
    _ = gettext_for(data.lang)
    items = [
        f'<span class="item" data-country="{c}"><span class="sw" '
        f'style="background:{data.colors[c]}"></span>{html.escape(data.names[c])}</span>'
        for c in legend_countries(data)
    ]
    items.append(
        '<span class="item"><svg width="18" height="12" style="vertical-align:-2px;'
        'margin-right:6px;border:1px solid #111"><rect width="18" height="12" '
        'fill="url(#hatch)"/></svg>'
        + html.escape(_("stranded: the unit's majority voted for the other side"))
        + "</span>"
    )
    items.append(
        '<span class="item hint">'
        + html.escape(_("shade: pale = close vote, full = margin ≥ 60 pts"))
        + "</span>"
    )
    return "\n".join(items)


def _data_json(data: MapData) -> str:
    _ = gettext_for(data.lang)
    u = data.units
    rows = [
        [
            uid,
            name,
            round(lv),
            round(st),
            None if np.isnan(ot) else round(ot),
            round(m, 4),
            int(c),
            bool(s),
            where,
        ]
        for uid, name, lv, st, ot, m, c, s, where in zip(
            u["unit_id"],
            u["name"],
            u["leave"].to_numpy(dtype=float),
            u["stay"].to_numpy(dtype=float),
            u["other"].to_numpy(dtype=float),
            u["margin"].to_numpy(dtype=float),
            u["country"].to_numpy(),
            u["stranded"].to_numpy(),
            u["where"] if "where" in u else [""] * len(u),
            strict=True,
        )
    ]
    payload = {
        "leave_label": data.leave_label,
        "stay_label": data.stay_label,
        "countries": [
            [n, c, str(label)]
            for n, c, label in zip(data.names, data.colors, data.key.labels, strict=True)
        ],
        "units": rows,
        "text": {
            "tie": _("tie"),
            "country": _("Country:"),
            "other": _("other"),
            "margin": _("Margin:"),
            "pts": _("pts"),
            "stranded": _(
                "Stranded: this unit's majority voted for the other side from the country it "
                "ends in"
            ),
        },
    }
    # "</" cannot close the script element when escaped this way.
    return json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")


def render_html(data: MapData) -> str:
    """The complete interactive page as a string."""
    _ = gettext_for(data.lang)
    template = resources.files("secession.maps").joinpath("templates/map.html").read_text("utf-8")
    replacements = {
        "__TITLE__": html.escape(data.title),
        "__SUBTITLE__": html.escape(data.subtitle),
        "__SOURCE__": html.escape(data.source),
        "__PROJECTION__": html.escape(data.projection),
        "__LEGEND__": _legend(data),
        "__DATA__": _data_json(data),
        "__SVG__": _svg(data),
        "__LANG__": html.escape(data.lang),
        "__MAPTIP__": maptip_script(),
        "__HINT__": html.escape(
            _("Hover a unit for its votes; scroll to zoom, drag to pan, double-click to reset.")
        ),
    }
    # One pass, so text inside a value (a unit named "__SVG__") is never substituted again.
    pattern = re.compile("|".join(re.escape(k) for k in replacements))
    return pattern.sub(lambda m: replacements[m.group(0)], template)


def write_interactive_map(data: MapData, out_dir: str | Path, name: str = "map.html") -> Path:
    """Write the interactive map into ``out_dir``; return its path."""
    path = Path(out_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(data), encoding="utf-8")
    return path
