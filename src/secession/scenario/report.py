"""The comparison report: one page with the scenario table, small multiples and sensitivity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from secession.geo.graph import UnitGraph
from secession.maps.figures import STRANDED_TEXT, population_is_votes
from secession.maps.htmlkit import esc, image_data_uri, num, page, pct, table
from secession.maps.mapdata import map_data, source_note
from secession.scenario.kinds import ScenarioOptions
from secession.scenario.run import SolverSettings

if TYPE_CHECKING:  # pragma: no cover
    from secession.scenario.compare import Comparison, SweepSettings


def _jsonable(obj: Any) -> Any:
    def conv(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        return str(o)

    return json.loads(json.dumps(obj, default=conv))


def _quality(row: dict[str, Any]) -> str:
    bounds = ""
    if "best_bound_share" in row:
        bounds = (
            f"proven bound {pct(row['best_bound_share'], 2)}, majority bound "
            f"{pct(row['upper_bound_share'], 2)}; "
        )
    if row["proven_optimal"] or row["gap"] < 1e-9:
        return bounds + "optimal"
    return bounds + "gap ≤ " + pct(row["gap"], 2)


def _millions(x: float) -> str:
    return f"{x / 1e6:.1f} M" if x >= 1e5 else num(x)


def _sizes(row: dict[str, Any]) -> str:
    if not row["new_countries"]:
        return "–"
    if row["new_countries"] == 1:
        return _millions(row["largest_new_population"])
    return (
        f"{_millions(row['largest_new_population'])} / {_millions(row['smallest_new_population'])}"
    )


def _scenario_table(comp: Comparison, leave: str, stay: str, people: str = "people") -> str:
    rows = []
    for r in comp.results:
        row = r.row
        name = r.spec.name
        rows.append(
            [
                f'<a href="{esc(name)}/report.html">{esc(r.spec.title)}</a><br>'
                f'<span class="note">{esc(name)}</span>',
                pct(row["satisfied_share"]),
                num(row["stranded_leave_voters"]),
                num(row["stranded_stay_voters"]),
                num(row["new_countries"]),
                _sizes(row),
                num(row["new_population"]),
                num(row["remaining_population"]),
                "yes"
                if row["remaining_contiguous"]
                else f'<b>no</b><br><span class="note">{esc(row.get("contiguity", ""))}</span>',
                f'<span class="nw">{esc(row["solver"])}</span><br><span class="note nw">'
                f"{_quality(row)}, {row['seconds']:.1f} s</span>",
            ]
        )
    return table(
        [
            "scenario",
            "satisfied share",
            f"stranded {esc(leave)} voters",
            f"stranded {esc(stay)} voters",
            "new countries",
            f"largest / smallest new country ({people})",
            f"{people} in new countries",
            f"{people} in the remaining country",
            "remaining country contiguous",
            "solver",
        ],
        rows,
        numeric=[False, True, True, True, True, True, True, True, False, False],
        attrs='id="scenarios"',
    )


def _swing_section(comp: Comparison, graph: UnitGraph, out: Path, leave: str) -> str:
    from secession.scenario.charts import swing_chart

    if not comp.swing_rows:
        return ""
    frame = pd.DataFrame(comp.swing_rows)
    frame.to_csv(out / "swing.csv", index=False)
    chart = swing_chart(
        comp.swing_rows,
        leave,
        out / "swing.png",
        people="voters" if population_is_votes(graph) else "people",
        order=[r.spec.name for r in comp.results],
    )
    swings = sorted(frame["value"].unique())
    present = set(frame["scenario"])
    names = [r.spec.name for r in comp.results if r.spec.name in present]
    body = []
    for s in swings:
        cells = [f"{s:+g}"]
        for n in names:
            hit = [r for r in comp.swing_rows if r["scenario"] == n and r["value"] == s]
            r = hit[0] if hit else {}
            cells.append("infeasible" if "infeasible" in r else pct(r.get("satisfied_share", 0)))
        body.append(cells)
    tab = table(
        ["swing (points)"] + [esc(n) for n in names],
        body,
        numeric=[True] * (1 + len(names)),
        attrs='id="swing"',
    )
    return (
        "<h2>Sensitivity: uniform swing</h2>"
        f'<p class="note">Every unit\'s two-side share moved by the same number of points '
        f"towards {esc(leave)} (negative: away), totals kept; each scenario re-planned.</p>"
        f'<p><img class="map" alt="satisfied share against swing" src="{image_data_uri(chart)}">'
        f'</p>{tab}<p class="note">Data: <a href="swing.csv">swing.csv</a>.</p>'
    )


def _mc_section(comp: Comparison, graph: UnitGraph, out: Path, sweep: SweepSettings) -> str:
    from secession.scenario.charts import probability_map

    if comp.probabilities is None or comp.mc_scenario is None:
        return ""
    base = next(r for r in comp.results if r.spec.name == comp.mc_scenario)
    labels = list(base.plan.labels)
    probs = comp.probabilities
    frame = pd.DataFrame({"unit_id": graph.ids.astype(str), "name": graph.names.astype(str)})
    frame["baseline_country"] = np.asarray(labels, dtype=object)[np.asarray(base.plan.country)]
    for c, label in enumerate(labels):
        frame[f"p_{label}"] = probs[:, c]
    frame["p_other_new"] = probs[:, -1]
    frame["p_leave"] = 1.0 - probs[:, 0]
    frame.to_csv(out / "probabilities.csv", index=False, float_format="%.4g")
    feasible = [r for r in comp.mc_rows if "infeasible" not in r]
    shares = np.array([r["satisfied_share"] for r in feasible]) if feasible else np.zeros(1)
    mc = sweep.monte_carlo
    img = ""
    if graph.geometry is not None:
        data = base.map if base.map is not None else map_data(base.plan)
        path = probability_map(
            data,
            frame["p_leave"].to_numpy(),
            len(feasible),
            f"{base.spec.title}: probability of leaving",
            out / "probability.png",
        )
        img = f'<p><img class="map" alt="probability map" src="{image_data_uri(path)}"></p>'
    changed = float(np.mean((frame["p_leave"] > 0) & (frame["p_leave"] < 1)))
    summary = table(
        ["figure", "value"],
        [
            ["draws (feasible)", f"{len(feasible)} of {len(comp.mc_rows)}"],
            ["satisfied share: mean", pct(float(shares.mean()))],
            [
                "satisfied share: 5th to 95th percentile",
                f"{pct(float(np.percentile(shares, 5)))} to "
                f"{pct(float(np.percentile(shares, 95)))}",
            ],
            ["units whose country changes in some draw", pct(changed)],
        ],
        numeric=[False, True],
    )
    return (
        f"<h2>Sensitivity: Monte Carlo ({esc(base.spec.title)})</h2>"
        f'<p class="note">{len(comp.mc_rows)} draws, seed {mc.seed}: each draw moves every '
        f"unit's two-side share by a national swing (normal, σ = {mc.national_sigma:g} points) "
        f"plus its own swing (normal, σ = {mc.unit_sigma:g} points), then re-plans. The map "
        "colours each unit by the share of draws in which it ends in a new country (1: in "
        "every draw, 0: in none); pale units are where the border is uncertain. A draw's "
        "new countries are matched to the plan's by shared population. The mean can exceed "
        "the baseline: the best plan's satisfied voters are a maximum of linear functions "
        "of the votes (one per possible plan), a convex function, so noise in the votes "
        "raises its mean (Jensen's inequality) even when the noise itself averages out. "
        "Each draw was also offered the baseline plan re-scored on its votes, and kept the "
        "better.</p>"
        f"{img}{summary}"
        '<p class="note">Each unit\'s probability of ending in each country: '
        '<a href="probabilities.csv">probabilities.csv</a>.</p>'
    )


def shared_keys(comp: Comparison) -> None:
    """One colour and name per country across the scenarios' maps: the scenario with the
    most new countries (the first on a tie) is the reference; in every other scenario a
    country holding most of a reference country's people takes its colour and name. A
    scenario whose map changes is redrawn, so its own maps and the small multiples agree."""
    from secession.maps.countries import country_key
    from secession.maps.mapdata import rekey
    from secession.maps.render import render_plan_outputs

    for r in comp.results:
        if r.map is None:
            r.map = map_data(r.plan)
    ref = max(comp.results, key=lambda r: int(np.max(r.plan.country)))
    for r in comp.results:
        if r is ref:
            continue
        key = country_key(r.plan, ref.map.key)
        if key.colors != r.map.colors or key.names != r.map.names:
            r.map = rekey(r.map, key)
            folder = comp.out_dir / r.spec.name
            if folder.is_dir():
                render_plan_outputs(r.plan, folder, title=r.map.title, data=r.map)


def write_comparison(
    comp: Comparison,
    graph: UnitGraph,
    options: ScenarioOptions,
    settings: SolverSettings,
    sweep: SweepSettings,
) -> dict[str, Path]:
    """Write ``report.html``, ``comparison.json``/``.csv`` and the figures into the folder."""
    from secession.scenario.charts import small_multiples

    out = comp.out_dir
    for stale in ("swing.png", "swing.csv", "probability.png", "probabilities.csv"):
        (out / stale).unlink(missing_ok=True)
    leave, stay = graph.leave_label, graph.stay_label
    files: dict[str, Path] = {}
    frame = pd.DataFrame([r.row for r in comp.results])
    frame.drop(columns=["new_country_populations", "notes"]).to_csv(
        out / "comparison.csv", index=False
    )
    files["csv"] = out / "comparison.csv"
    two = float((graph.leave + graph.stay).sum())
    by_votes = population_is_votes(graph)
    year = graph.meta.get("year")
    title = f"Scenario comparison: {leave} voters leave" + (f" ({year})" if year else "")
    parts = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="lede">What if the places where {esc(leave)} voters won left to form new '
        f"countries, and the places where {esc(stay)} voters won stayed? Each scenario below "
        "draws the border a different way; the planner puts as many voters as it can in the "
        "country their side chose, within the scenario's rules. Compare them in the table, "
        "see them on the maps, and check below how much they move when the votes move.</p>",
        f'<p class="sub">{esc(source_note(graph.meta))}. {graph.n_units:,} units, '
        f"{num(two)} two-side votes; with every unit on its own side (no constraint) "
        f"{pct(graph.upper_bound / two if two else 0)} would be satisfied.</p>",
        "<h2>Scenarios</h2>",
        _scenario_table(comp, leave, stay, "voters*" if by_votes else "people"),
        '<p class="note">Satisfied share: of all voters for the two sides, those who end up '
        f"in the country their side chose ({esc(leave)} voters in a new country, "
        f"{esc(stay)} voters in the remaining one). "
        + esc(STRANDED_TEXT.format(leave=leave, stay=stay))
        + " Remaining country contiguous: whether what is left of the country stays one "
        "piece on each landmass (Alaska and Hawaii are separate landmasses).</p>",
    ]
    if by_votes:
        parts.append(
            '<p class="note">* The data has no population figures: sizes (and the minimum '
            "size of a new country) are counted in votes cast, for any candidate.</p>"
        )
    notes = [
        f"<li><b>{esc(r.spec.name)}</b>: {esc(r.row.get('description') or r.spec.describe())}"
        + "".join(f"; {esc(n)}" for n in r.spec.notes)
        + "</li>"
        for r in comp.results
    ]
    parts.append(f'<ul class="note">{"".join(notes)}</ul>')
    if graph.geometry is not None:
        shared_keys(comp)
        maps = [(f"{r.spec.title}: {r.row['satisfied_share']:.1%}", r.map) for r in comp.results]
        sm = small_multiples(maps, out / "small_multiples.png")
        files["small_multiples"] = sm
        parts.append("<h2>Maps</h2>")
        parts.append(
            f'<p><img class="map" alt="one map per scenario" src="{image_data_uri(sm)}"></p>'
            '<p class="note">Each map has its own key. The remaining country is always teal; '
            "no two touching new countries share a colour, and a country that persists from "
            "one scenario to another (most of its people in the same country) keeps its "
            "colour and name (its largest county and state) on every map; hatched units are "
            "stranded (their majority voted for the other side). Each "
            "scenario's own report has a full map and an interactive one.</p>"
        )
    parts.append(_swing_section(comp, graph, out, leave))
    parts.append(_mc_section(comp, graph, out, sweep))
    settings_rows = [
        ["solver (scenarios)", f"{esc(settings.solver)}, time limit {settings.time_limit:g} s"],
        ["seed", str(settings.seed)],
        ["contiguity", "required" if options.contiguous else "not required"],
        ["minimum population of a new country (multi-country scenarios)",
         num(options.min_population) + (" votes" if by_votes else "")],
        ["states split on request", esc(", ".join(options.split) or "none")],
        [
            "automatic split threshold",
            "off" if options.split_threshold is None else pct(options.split_threshold),
        ],
    ]  # fmt: skip
    if comp.swing_rows or comp.mc_rows:
        settings_rows.append(
            ["solver (sensitivity)", f"{esc(sweep.solver)}, time limit {sweep.time_limit:g} s"]
        )
        settings_rows.append(["Dask", esc(sweep.scheduler or "local cluster")])
    parts.append("<h2>Settings</h2>" + table(["setting", "value"], settings_rows))
    report = out / "report.html"
    report.write_text(page(title, "\n".join(p for p in parts if p)), encoding="utf-8")
    files["report"] = report
    payload = {
        "title": title,
        "leave_label": leave,
        "stay_label": stay,
        "units": graph.n_units,
        "two_side_votes": two,
        "upper_bound_share": graph.upper_bound / two if two else 0.0,
        "scenarios": [r.row for r in comp.results],
        "swing": comp.swing_rows,
        "monte_carlo": {"scenario": comp.mc_scenario, "draws": comp.mc_rows},
        "settings": {
            "solver": settings.solver,
            "time_limit": settings.time_limit,
            "seed": settings.seed,
            "options": {
                "contiguous": options.contiguous,
                "min_population": options.min_population,
                "split": list(options.split),
                "split_threshold": options.split_threshold,
            },
        },
    }
    (out / "comparison.json").write_text(json.dumps(_jsonable(payload), indent=2), "utf-8")
    files["json"] = out / "comparison.json"
    for name in ("swing.png", "swing.csv", "probability.png", "probabilities.csv"):
        if (out / name).exists():
            files[name] = out / name
    return files
