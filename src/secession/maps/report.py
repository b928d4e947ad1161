"""``report.html``: one plan's summary tables, its map and the constraints it was solved under."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

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
    "contiguous_new": "each new country is contiguous",
    "contiguous_rest": "the remaining country is contiguous",
    "min_population": "minimum population of a new country",
    "max_countries": "most new countries allowed",
    "consent": "a unit may leave only if at least this share of its voters chose to leave",
    "lock_leave": "units locked to leave",
    "lock_stay": "units locked to stay",
    "level": "planned on whole units of",
}


def _constraint_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return {"max_countries": "any number", "consent": "not required", "level": "-"}.get(
            key, "-"
        )
    if isinstance(value, list | tuple):
        return esc(", ".join(map(str, value))) if value else "none"
    if key == "level" and value == "scenario_unit":
        return "states, or counties in the states divided"
    if key == "min_population":
        return num(float(value))
    if key == "consent":
        return pct(float(value))
    return esc(value)


def constraints_table(constraints: dict[str, Any], *, population_is_votes: bool = False) -> str:
    """The constraints as a two-column table (``population_is_votes``: say the minimum
    population counts votes)."""
    rows = []
    for k, v in constraints.items():
        label = CONSTRAINT_TEXT.get(k, k)
        if k == "min_population" and population_is_votes:
            label += " (counted in votes: the data has no population)"
        rows.append([esc(label), _constraint_value(k, v)])
    return table(["constraint", "value"], rows)


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


def summary_tables(plan: Plan, key: CountryKey | None = None) -> str:
    """Headline and per-country tables of ``plan`` as HTML."""
    g = plan.graph
    h = headline(plan)
    rows = country_rows(plan)
    key = key or country_key(plan)
    colors = key.colors
    lead = table(
        ["figure", "value"],
        [
            ["satisfied voters", f"{num(h['satisfied_voters'])} ({pct(h['satisfied_share'])})"],
            ["two-side votes", num(h["two_side_votes"])],
            [
                "upper bound (every unit on its own side, no constraints)",
                f"{num(h['upper_bound'])} ({pct(h['upper_bound_share'])})",
            ],
            ["best proven bound under the constraints", num(h["best_bound"])],
            ["proven gap to that bound", pct(h["gap"], 2)],
            ["gap to the unconstrained upper bound", pct(h["gap_to_upper_bound"], 2)],
            ["proven optimal", "yes" if h["proven_optimal"] else "no"],
            [
                f"stranded {esc(g.leave_label)} voters (left in the remaining country)",
                num(h["stranded_leave_voters"]),
            ],
            [
                f"stranded {esc(g.stay_label)} voters (taken into a new country)",
                num(h["stranded_stay_voters"]),
            ],
            ["solver", esc(h["solver"])],
            ["time", f"{h['seconds']:.1f} s"],
        ],
        numeric=[False, True],
    )
    body_rows = []
    biggest = largest_units(plan)
    for r in rows:
        if r.units == 0:
            continue
        where = f'<br><span class="note">largest: {esc(biggest[r.index])}</span>' if r.index else ""
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
        "all",
        "",
        num(sum(r.units for r in rows)),
        num(sum(r.population for r in rows)),
        num(sum(r.leave_votes for r in rows)),
        num(sum(r.stay_votes for r in rows)),
        num(sum(r.other_votes for r in rows)),
        pct(sum(r.satisfied for r in rows) / tot_two if tot_two else 0.0),
        num(sum(r.stranded for r in rows)),
    ]
    pop_head = "population" + ("*" if population_is_votes(g) else "")
    countries = table(
        [
            "country",
            "side",
            "units",
            pop_head,
            f"{esc(g.leave_label)} votes",
            f"{esc(g.stay_label)} votes",
            "other votes",
            "satisfied share",
            "stranded voters",
        ],
        body_rows,
        numeric=[False, False, True, True, True, True, True, True, True],
        total=total,
        attrs='id="countries"',
    )
    notes = [
        "Satisfied voters: voters who end up in the country their side chose "
        f"({esc(g.leave_label)} voters in a new country, {esc(g.stay_label)} voters in the "
        "remaining one); shares are of the two sides' votes. "
        + esc(STRANDED_TEXT.format(leave=g.leave_label, stay=g.stay_label))
    ]
    if population_is_votes(g):
        notes.append(
            "* The data gives no population, so population here is the total number of "
            "votes cast (including other candidates), and so is the minimum population."
        )
    explain = "".join(f'<p class="note">{n}</p>' for n in notes)
    return f"<h2>Summary</h2>\n{lead}\n<h2>Countries</h2>\n{countries}\n{explain}"


def render_report(plan: Plan, data: MapData | None, out_dir: str | Path) -> str:
    """The report page for ``plan``; embeds ``out_dir/map.png`` when it exists."""
    out = Path(out_dir)
    title, subtitle = (data.title, data.subtitle) if data is not None else plan_title(plan)
    parts = [f"<h1>{esc(title)}</h1>", f'<p class="sub">{esc(subtitle)}</p>']
    parts.append(summary_tables(plan, data.key if data is not None else None))
    parts.append(geography_section(plan))
    png = out / "map.png"
    parts.append("<h2>Map</h2>")
    if png.exists():
        parts.append(
            f'<p><img class="map" alt="{esc(title)}" src="{image_data_uri(png)}"></p>'
            '<p class="note">Interactive version (hover for each unit\'s votes): '
            '<a href="map.html">map.html</a>; vector image: <a href="map.svg">map.svg</a>.</p>'
        )
    else:
        parts.append('<p class="note">No map: these units have no geometry.</p>')
    parts.append("<h2>Constraints</h2>")
    g = plan.graph
    parts.append(
        constraints_table(plan.constraints.to_dict(), population_is_votes=population_is_votes(g))
    )
    notes = [source_note(g.meta), f"{g.n_units:,} units"]
    if g.n_edges:
        notes[-1] += f", {g.n_edges:,} adjacencies"
    if g.meta.get("redrawn_from"):
        notes.append(f"redrawn from the plan files in {g.meta['redrawn_from']}")
    if data is not None:
        notes.append(data.projection)
        empty = data.geometry.isna() | data.geometry.is_empty
        if empty.any():
            shown = ", ".join(data.units["name"][empty.to_numpy()].astype(str).tolist()[:10])
            notes.append(
                f"{int(empty.sum())} units have no shape in the boundaries and are not drawn "
                f"(their votes are counted): {shown}"
            )
    notes.extend(str(n) for n in g.meta.get("notes", []) or [])
    parts.append("<h2>Data</h2>")
    parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    return page(title, "\n".join(parts))


def write_report(plan: Plan, data: MapData | None, out_dir: str | Path) -> Path:
    path = Path(out_dir) / "report.html"
    path.write_text(render_report(plan, data, out_dir), encoding="utf-8")
    return path
