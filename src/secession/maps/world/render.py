"""Draw a world-map document: PNG, SVG, the interactive HTML and the checks, in one folder.

Files written (``stem`` defaults to ``world-map``):

- ``world-map.png``, ``world-map.svg``: the static map;
- ``world-map.html``: one self-contained offline page (hover, zoom, a table of peoples);
- ``world-map.json``: the input document, so ``secession world-map --peoples`` redraws it;
- ``world-map-checks.json``: per country, the area before and after (kept + given), the
  coverage check, and every note (land at sea, strips joined, contested land).
"""

from __future__ import annotations

import json
from pathlib import Path

from secession.i18n import DEFAULT, check_language
from secession.maps.world.doc import WorldMapDoc
from secession.maps.world.interactive import write_world_html
from secession.maps.world.layout import Placed, WorldLayout, world_layout
from secession.maps.world.model import WorldMap
from secession.maps.world.static import write_world_static
from secession.maps.world.territory import resolve_territory
from secession.output_dir import make_output_dir


def place_peoples(
    doc: WorldMapDoc, base_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> list[Placed]:
    """Resolve every people's territory to lon/lat polygons (relative boundary files are
    looked up in ``base_dir``, the folder of the document; ``data_dir``: the data folder)."""
    folder = Path(base_dir) if base_dir is not None else None
    data = Path(data_dir) if data_dir is not None else None
    out = []
    for i, p in enumerate(doc.peoples):
        where = f"{doc.origin}: peoples[{i}] ({p.name})"
        geom, notes = resolve_territory(p.territory, where, folder, data)
        out.append(Placed(p, geom, tuple(notes)))
    return out


def checks_document(layout: WorldLayout) -> dict:
    """The area checks, coverage check and notes as plain data."""
    return {
        "base": f"Natural Earth {layout.world.base} ({layout.world.path})",
        "projection": "EPSG:8857 Equal Earth; areas in km² on that equal-area projection",
        "sliver_km": layout.sliver_km,
        "coverage_valid": True,  # world_layout raises before returning otherwise
        "countries": [
            {
                "country": c.country,
                "original_km2": c.original_km2,
                "kept_km2": c.kept_km2,
                "given_km2": c.given_km2,
                "relative_error": c.relative_error,
            }
            for c in layout.checks
        ],
        "peoples": [
            {
                "id": f.key,
                "name": f.name,
                "status": f.status,
                "area_km2": f.area_km2,
                "cut_from": [{"country": c, "km2": a} for c, a in f.cut_from],
            }
            for f in layout.features
            if f.kind != "country"
        ],
        "notes": layout.notes,
    }


def render_world_map(
    doc: WorldMapDoc,
    out_dir: str | Path,
    *,
    placed: list[Placed] | None = None,
    base_dir: str | Path | None = None,
    sliver_km: float | None = None,
    stem: str = "world-map",
    lang: str = DEFAULT,
) -> tuple[list[Path], WorldMap]:
    """Draw ``doc`` into ``out_dir``; return the files written and the drawn map
    (``lang``: the language of its title, legend and table, ``secession.i18n.LANGUAGES``)."""
    check_language(lang)
    if placed is None:
        placed = place_peoples(doc, base_dir)
    layout = world_layout(placed, doc.base, sliver_km=sliver_km)
    wm = WorldMap(doc, layout, lang=lang)
    out = make_output_dir(out_dir)
    written = write_world_static(wm, out, stem)
    written.append(write_world_html(wm, out, f"{stem}.html"))
    doc_path = out / f"{stem}.json"
    doc_path.write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
    checks_path = out / f"{stem}-checks.json"
    checks_path.write_text(
        json.dumps(checks_document(layout), indent=1, ensure_ascii=False), encoding="utf-8"
    )
    written += [doc_path, checks_path]
    return written, wm
