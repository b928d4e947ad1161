"""``report.html``: one plan's summary tables, its map and the constraints it was solved under."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from secession.i18n import DEFAULT, N_, gettext_for
from secession.maps.countries import CountryKey, country_key
from secession.maps.figures import (
    STRANDED_TEXT,
    country_rows,
    headline,
    population_is_votes,
)
from secession.maps.geography_report import geography_section
from secession.maps.htmlkit import esc, image_data_uri, num, page, pct, table
from secession.maps.mapdata import MapData, plan_title, source_note
from secession.plan.model import Plan

CONSTRAINT_TEXT = {
    "contiguous_new": N_("each new country is contiguous"),
    "contiguous_rest": N_("the remaining country is contiguous"),
    "min_population": N_("minimum population of a new country"),
    "max_countries": N_("most new countries allowed"),
    "consent": N_("a unit may leave only if at least this share of its voters chose to leave"),
    "lock_leave": N_("units locked to leave"),
    "lock_stay": N_("units locked to stay"),
    "level": N_("planned on whole units of"),
    "exclaves": N_("pieces of a new country on other landmasses"),
}
EXCLAVE_TEXT = {
    "nearest": N_("allowed where nearer to their own country than to any other new country"),
    "none": N_("not allowed (one landmass each)"),
    "any": N_("allowed anywhere"),
}


def _constraint_value(key: str, value: Any, lang: str = DEFAULT) -> str:
    _ = gettext_for(lang)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return {"max_countries": _("any number"), "consent": _("not required")}.get(key, "-")
    if isinstance(value, list | tuple):
        return esc(", ".join(map(str, value))) if value else _("none")
    if key == "level" and value == "scenario_unit":
        return _("states, or counties in the states divided")
    if key == "exclaves" and value in EXCLAVE_TEXT:
        return _(EXCLAVE_TEXT[value])
    if key == "min_population":
        return num(float(value))
    if key == "consent":
        return pct(float(value))
    return esc(value)


def constraints_table(
    constraints: dict[str, Any], *, population_is_votes: bool = False, lang: str = DEFAULT
) -> str:
    """The constraints as a two-column table (``population_is_votes``: say the minimum
    population counts votes)."""
    _ = gettext_for(lang)
    rows = []
    for k, v in constraints.items():
        label = _(CONSTRAINT_TEXT[k]) if k in CONSTRAINT_TEXT else k
        if k == "min_population" and population_is_votes:
            label += " " + _("(counted in votes: the data has no population)")
        rows.append([esc(label), _constraint_value(k, v, lang)])
    return table([_("constraint"), _("value")], rows)


def largest_units(plan: Plan) -> dict[int, str]:
    """Per country, its most populous unit ("Los Angeles County, California"): a name a
    reader can place, where labels like ``dem-12`` say nothing and colours repeat."""
    g = plan.graph
    where = None
    for key in ("state_name", "state"):
        if key in g.groups:
            where = np.asarray(g.groups[key]).astype(str)
            break
    out: dict[int, str] = {}
    country = np.asarray(plan.country)
    for c in np.unique(country):
        members = np.flatnonzero(country == c)
        i = int(members[np.argmax(g.population[members])])
        out[int(c)] = str(g.names[i]) + (f", {where[i]}" if where is not None else "")
    return out


def summary_tables(plan: Plan, key: CountryKey | None = None, lang: str = DEFAULT) -> str:
    """Headline and per-country tables of ``plan`` as HTML, in ``lang``."""
    _ = gettext_for(lang)
    g = plan.graph
    h = headline(plan)
    rows = country_rows(plan, lang=lang)
    key = key or country_key(plan, lang=lang)
    colors = key.colors
    leave, stay = esc(g.leave_label), esc(g.stay_label)
    lead = table(
        [_("figure"), _("value")],
        [
            [_("satisfied voters"), f"{num(h['satisfied_voters'])} ({pct(h['satisfied_share'])})"],
            [_("two-side votes"), num(h["two_side_votes"])],
            [
                _("upper bound (every unit on its own side, no constraints)"),
                f"{num(h['upper_bound'])} ({pct(h['upper_bound_share'])})",
            ],
            [_("best proven bound under the constraints"), num(h["best_bound"])],
            [_("proven gap to that bound"), pct(h["gap"], 2)],
            [_("gap to the unconstrained upper bound"), pct(h["gap_to_upper_bound"], 2)],
            [_("proven optimal"), _("yes") if h["proven_optimal"] else _("no")],
            [
                _("stranded {leave} voters (left in the remaining country)").format(leave=leave),
                num(h["stranded_leave_voters"]),
            ],
            [
                _("stranded {stay} voters (taken into a new country)").format(stay=stay),
                num(h["stranded_stay_voters"]),
            ],
            [_("solver"), esc(h["solver"])],
            [_("time"), f"{h['seconds']:.1f} s"],
        ],
        numeric=[False, True],
    )
    body_rows = []
    biggest = largest_units(plan)
    for r in rows:
        if r.units == 0:
            continue
        where = (
            '<br><span class="note">'
            + _("largest: {unit}").format(unit=esc(biggest[r.index]))
            + "</span>"
            if r.index
            else ""
        )
        body_rows.append(
            [
                f'<span class="sw" style="background:{colors[r.index]}"></span>'
                + (f"<b>{esc(key.names[r.index])}</b> ({esc(r.label)})" if r.index else esc(r.name))
                + where,
                esc(r.side),
                num(r.units),
                num(r.population),
                num(r.leave_votes),
                num(r.stay_votes),
                num(r.other_votes),
                pct(r.satisfied_share),
                num(r.stranded),
            ]
        )
    tot_two = sum(r.two_side for r in rows)
    total = [
        _("all"),
        "",
        num(sum(r.units for r in rows)),
        num(sum(r.population for r in rows)),
        num(sum(r.leave_votes for r in rows)),
        num(sum(r.stay_votes for r in rows)),
        num(sum(r.other_votes for r in rows)),
        pct(sum(r.satisfied for r in rows) / tot_two if tot_two else 0.0),
        num(sum(r.stranded for r in rows)),
    ]
    pop_head = _("population") + ("*" if population_is_votes(g) else "")
    countries = table(
        [
            _("country"),
            _("side"),
            _("units"),
            pop_head,
            _("{side} votes").format(side=leave),
            _("{side} votes").format(side=stay),
            _("other votes"),
            _("satisfied share"),
            _("stranded voters"),
        ],
        body_rows,
        numeric=[False, False, True, True, True, True, True, True, True],
        total=total,
        attrs='id="countries"',
    )
    notes = [
        _(
            "Satisfied voters: voters who end up in the country their side chose "
            "({leave} voters in a new country, {stay} voters in the remaining one); shares "
            "are of the two sides' votes."
        ).format(leave=leave, stay=stay)
        + " "
        + esc(_(STRANDED_TEXT).format(leave=g.leave_label, stay=g.stay_label))
    ]
    if population_is_votes(g):
        notes.append(
            _(
                "* The data gives no population, so population here is the total number of "
                "votes cast (including other candidates), and so is the minimum population."
            )
        )
    explain = "".join(f'<p class="note">{n}</p>' for n in notes)
    return (
        "<h2>"
        + _("Summary")
        + f"</h2>\n{lead}\n<h2>"
        + _("Countries")
        + f"</h2>\n{countries}\n{explain}"
    )


def render_report(
    plan: Plan, data: MapData | None, out_dir: str | Path, *, lang: str = DEFAULT
) -> str:
    """The report page for ``plan`` in ``lang``; embeds ``out_dir/map.png`` when it exists."""
    _ = gettext_for(lang)
    out = Path(out_dir)
    title, subtitle = (data.title, data.subtitle) if data is not None else plan_title(plan, lang)
    parts = [f"<h1>{esc(title)}</h1>", f'<p class="sub">{esc(subtitle)}</p>']
    parts.append(summary_tables(plan, data.key if data is not None else None, lang))
    parts.append(geography_section(plan, lang=lang))
    png = out / "map.png"
    parts.append("<h2>" + _("Map") + "</h2>")
    if png.exists():
        parts.append(
            f'<p><img class="map" alt="{esc(title)}" src="{image_data_uri(png)}"></p>'
            '<p class="note">'
            + _(
                "Interactive version (hover for each unit's votes): {html}; vector image: {svg}."
            ).format(html='<a href="map.html">map.html</a>', svg='<a href="map.svg">map.svg</a>')
            + "</p>"
        )
    else:
        parts.append('<p class="note">' + _("No map: these units have no geometry.") + "</p>")
    parts.append("<h2>" + _("Constraints") + "</h2>")
    g = plan.graph
    parts.append(
        constraints_table(
            plan.constraints.to_dict(), population_is_votes=population_is_votes(g), lang=lang
        )
    )
    notes = [source_note(g.meta, lang), _("{n} units").format(n=f"{g.n_units:,}")]
    if g.n_edges:
        notes[-1] += ", " + _("{n} adjacencies").format(n=f"{g.n_edges:,}")
    if g.meta.get("redrawn_from"):
        notes.append(
            _("redrawn from the plan files in {folder}").format(folder=g.meta["redrawn_from"])
        )
    if data is not None:
        notes.append(data.projection)
        empty = data.geometry.isna() | data.geometry.is_empty
        if empty.any():
            shown = ", ".join(data.units["name"][empty.to_numpy()].astype(str).tolist()[:10])
            notes.append(
                _(
                    "{n} units have no shape in the boundaries and are not drawn "
                    "(their votes are counted): {units}"
                ).format(n=int(empty.sum()), units=shown)
            )
    notes.extend(str(n) for n in g.meta.get("notes", []) or [])
    parts.append("<h2>" + _("Data") + "</h2>")
    parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    return page(title, "\n".join(parts), lang=lang)


def write_report(
    plan: Plan, data: MapData | None, out_dir: str | Path, *, lang: str = DEFAULT
) -> Path:
    """Write ``out_dir/report.html`` in ``lang``; return its path."""
    path = Path(out_dir) / "report.html"
    path.write_text(render_report(plan, data, out_dir, lang=lang), encoding="utf-8")
    return path
