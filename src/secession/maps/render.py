"""Write every picture and page of one plan: map.png, map.svg, map.html and report.html."""

from __future__ import annotations

from pathlib import Path

from secession.i18n import DEFAULT, check_language
from secession.maps.interactive import write_interactive_map
from secession.maps.mapdata import MapData, map_data
from secession.maps.report import write_report
from secession.maps.sidecar import write_sidecar
from secession.maps.static import write_static_maps
from secession.output_dir import make_output_dir
from secession.plan.model import Plan


def render_plan_outputs(
    plan: Plan,
    out_dir: str | Path,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    data: MapData | None = None,
    lang: str = DEFAULT,
) -> list[Path]:
    """Draw ``plan`` into ``out_dir`` and return the files written.

    With geometry on the plan's graph: ``map.png``, ``map.svg``, ``map.html`` and
    ``report.html``. Without geometry (a bare adjacency graph) only ``report.html``, which
    says there is no map. Always ``units.json`` too (other votes, groupings, adjacency and
    the title given), from which ``secession map DIR`` redraws the same maps.
    ``data``: the plan's :class:`MapData` when the caller has it already (saves the work).
    ``lang``: the language of the titles, legends and tables (``secession.i18n.LANGUAGES``).
    """
    check_language(lang)
    out = make_output_dir(out_dir)
    written: list[Path] = []
    if plan.graph.geometry is not None:
        if data is None:
            data = map_data(plan, title=title, subtitle=subtitle, lang=lang)
        written.extend(write_static_maps(data, out))
        written.append(write_interactive_map(data, out))
    else:
        data = None
        for stale in ("map.png", "map.svg", "map.html"):
            (out / stale).unlink(missing_ok=True)
    written.append(write_report(plan, data, out, lang=lang))
    written.append(write_sidecar(plan.graph, out, title=title, subtitle=subtitle))
    return written


def write_interactive_maps(
    plan: Plan,
    out_dir: str | Path,
    langs: list[str] | tuple[str, ...],
    *,
    title: str | None = None,
    subtitle: str | None = None,
) -> list[Path]:
    """``map.<lang>.html`` in ``out_dir`` for each of ``langs``: the interactive map's
    legend, tooltips and default titles in that language (a site that serves pages in
    several languages frames the reader's). Nothing without geometry."""
    if plan.graph.geometry is None:
        return []
    written = []
    for lang in langs:
        check_language(lang)
        data = map_data(plan, title=title, subtitle=subtitle, lang=lang)
        written.append(write_interactive_map(data, out_dir, name=f"map.{lang}.html"))
    return written
