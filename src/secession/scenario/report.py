"""The comparison report: one page with the scenario table, small multiples and sensitivity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from secession.geo.graph import UnitGraph
from secession.i18n import DEFAULT, gettext_for
from secession.maps.figures import STRANDED_TEXT, population_is_votes
from secession.maps.htmlkit import esc, image_data_uri, num, page, pct, table
from secession.maps.mapdata import map_data, source_note
from secession.scenario.kinds import ScenarioOptions
from secession.scenario.run import SolverSettings, size_word

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


def _quality(row: dict[str, Any], lang: str = DEFAULT) -> str:
    _ = gettext_for(lang)
    bounds = ""
    if "best_bound_share" in row:
        bounds = _("proven bound {bound}, majority bound {majority}; ").format(
            bound=pct(row["best_bound_share"], 2), majority=pct(row["upper_bound_share"], 2)
        )
    if row["proven_optimal"] or row["gap"] < 1e-9:
        return bounds + _("optimal")
    return bounds + _("gap ≤ {gap}").format(gap=pct(row["gap"], 2))


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


def _scenario_table(
    comp: Comparison, leave: str, stay: str, by_votes: bool = False, lang: str = DEFAULT
) -> str:
    _ = gettext_for(lang)
    rows = []
    for r in comp.results:
        row = r.row
        name = r.spec.name
        rows.append(
            [
                f'<a href="{esc(name)}/report.html">{esc(_(r.spec.title))}</a><br>'
                f'<span class="note">{esc(name)}</span>',
                pct(row["satisfied_share"]),
                num(row["stranded_leave_voters"]),
                num(row["stranded_stay_voters"]),
                num(row["new_countries"]),
                _sizes(row),
                num(row["new_population"]),
                num(row["remaining_population"]),
                _("yes")
                if row["remaining_contiguous"]
                else f'<b>{_("no")}</b><br><span class="note">'
                f"{esc(row.get('contiguity', ''))}</span>",
                f'<span class="nw">{esc(row["solver"])}</span><br><span class="note nw">'
                f"{_quality(row, lang)}, {row['seconds']:.1f} s</span>",
            ]
        )
    return table(
        [
            _("scenario"),
            _("satisfied share"),
            _("stranded {side} voters").format(side=esc(leave)),
            _("stranded {side} voters").format(side=esc(stay)),
            _("new countries"),
            _("largest / smallest new country (voters*)")
            if by_votes
            else _("largest / smallest new country (people)"),
            _("voters* in new countries") if by_votes else _("people in new countries"),
            _("voters* in the remaining country")
            if by_votes
            else _("people in the remaining country"),
            _("remaining country contiguous"),
            _("solver"),
        ],
        rows,
        numeric=[False, True, True, True, True, True, True, True, False, False],
        attrs='id="scenarios"',
    )


def _swing_section(
    comp: Comparison, graph: UnitGraph, out: Path, leave: str, lang: str = DEFAULT
) -> str:
    from secession.scenario.charts import swing_chart

    _ = gettext_for(lang)
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
            cells.append(_("infeasible") if "infeasible" in r else pct(r.get("satisfied_share", 0)))
        body.append(cells)
    tab = table(
        [_("swing (points)")] + [esc(n) for n in names],
        body,
        numeric=[True] * (1 + len(names)),
        attrs='id="swing"',
    )
    explain = _(
        "Every unit's two-side share moved by the same number of points towards {leave} "
        "(negative: away), totals kept; each scenario re-planned."
    ).format(leave=esc(leave))
    alt = esc(_("satisfied share against swing"))
    return (
        "<h2>" + _("Sensitivity: uniform swing") + "</h2>"
        f'<p class="note">{explain}</p>'
        f'<p><img class="map" alt="{alt}" src="{image_data_uri(chart)}">'
        f'</p>{tab}<p class="note">' + _("Data:") + ' <a href="swing.csv">swing.csv</a>.</p>'
    )


def _mc_section(
    comp: Comparison, graph: UnitGraph, out: Path, sweep: SweepSettings, lang: str = DEFAULT
) -> str:
    from secession.scenario.charts import probability_map

    _ = gettext_for(lang)
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
            _("{scenario}: probability of leaving").format(scenario=_(base.spec.title)),
            out / "probability.png",
        )
        alt = esc(_("probability map"))
        img = f'<p><img class="map" alt="{alt}" src="{image_data_uri(path)}"></p>'
    changed = float(np.mean((frame["p_leave"] > 0) & (frame["p_leave"] < 1)))
    summary = table(
        [_("figure"), _("value")],
        [
            [
                _("draws (feasible)"),
                _("{feasible} of {draws}").format(feasible=len(feasible), draws=len(comp.mc_rows)),
            ],
            [_("satisfied share: mean"), pct(float(shares.mean()))],
            [
                _("satisfied share: 5th to 95th percentile"),
                _("{low} to {high}").format(
                    low=pct(float(np.percentile(shares, 5))),
                    high=pct(float(np.percentile(shares, 95))),
                ),
            ],
            [_("units whose country changes in some draw"), pct(changed)],
        ],
        numeric=[False, True],
    )
    explain = _(
        "{draws} draws, seed {seed}: each draw moves every unit's two-side share by a "
        "national swing (normal, σ = {national:g} points) plus its own swing (normal, "
        "σ = {unit:g} points), then re-plans. The map "
        "colours each unit by the share of draws in which it ends in a new country (1: in "
        "every draw, 0: in none); pale units are where the border is uncertain. A draw's "
        "new countries are matched to the plan's by shared population. The mean can exceed "
        "the baseline: the best plan's satisfied voters are a maximum of linear functions "
        "of the votes (one per possible plan), a convex function, so noise in the votes "
        "raises its mean (Jensen's inequality) even when the noise itself averages out. "
        "Each draw was also offered the baseline plan re-scored on its votes, and kept the "
        "better."
    ).format(draws=len(comp.mc_rows), seed=mc.seed, national=mc.national_sigma,
             unit=mc.unit_sigma)  # fmt: skip
    heading = _("Sensitivity: Monte Carlo ({scenario})").format(scenario=esc(_(base.spec.title)))
    return (
        f'<h2>{heading}</h2><p class="note">{explain}</p>{img}{summary}<p class="note">'
        + _("Each unit's probability of ending in each country:")
        + ' <a href="probabilities.csv">probabilities.csv</a>.</p>'
    )


def shared_keys(comp: Comparison, lang: str = DEFAULT) -> None:
    """One colour and name per country across the scenarios' maps: the scenario with the
    most new countries (the first on a tie) is the reference; in every other scenario a
    country holding most of a reference country's people takes its colour and name. A
    scenario whose map changes is redrawn, so its own maps and the small multiples agree."""
    from secession.maps.countries import country_key
    from secession.maps.mapdata import rekey
    from secession.maps.render import render_plan_outputs

    for r in comp.results:
        if r.map is None:
            r.map = map_data(r.plan, lang=lang)
    ref = max(comp.results, key=lambda r: int(np.max(r.plan.country)))
    for r in comp.results:
        if r is ref:
            continue
        key = country_key(r.plan, ref.map.key, lang=lang)
        if key.colors != r.map.colors or key.names != r.map.names:
            r.map = rekey(r.map, key)
            folder = comp.out_dir / r.spec.name
            if folder.is_dir():
                render_plan_outputs(r.plan, folder, title=r.map.title, data=r.map, lang=lang)


def write_comparison(
    comp: Comparison,
    graph: UnitGraph,
    options: ScenarioOptions,
    settings: SolverSettings,
    sweep: SweepSettings,
    lang: str = DEFAULT,
) -> dict[str, Path]:
    """Write ``report.html``, ``comparison.json``/``.csv`` and the figures into the folder
    (``lang``: the language of the page, ``secession.i18n.LANGUAGES``)."""
    from secession.scenario.charts import small_multiples

    _ = gettext_for(lang)
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
    title = _("Scenario comparison: {leave} voters leave").format(leave=leave) + (
        f" ({year})" if year else ""
    )
    parts = [
        f"<h1>{esc(title)}</h1>",
        '<p class="lede">'
        + _(
            "What if the places where {leave} voters won left to form new countries, and the "
            "places where {stay} voters won stayed? Each scenario below draws the border a "
            "different way; the planner puts as many voters as it can in the country their "
            "side chose, within the scenario's rules. Compare them in the table, see them on "
            "the maps, and check below how much they move when the votes move."
        ).format(leave=esc(leave), stay=esc(stay))
        + "</p>",
        f'<p class="sub">{esc(source_note(graph.meta, lang=lang))}. '
        + _(
            "{units} units, {votes} two-side votes; with every unit on its own side (no "
            "constraint) {share} would be satisfied."
        ).format(
            units=f"{graph.n_units:,}",
            votes=num(two),
            share=pct(graph.upper_bound / two if two else 0),
        )
        + "</p>",
        "<h2>" + _("Scenarios") + "</h2>",
        _scenario_table(comp, leave, stay, by_votes, lang),
        '<p class="note">'
        + _(
            "Satisfied share: of all voters for the two sides, those who end up in the "
            "country their side chose ({leave} voters in a new country, {stay} voters in the "
            "remaining one)."
        ).format(leave=esc(leave), stay=esc(stay))
        + " "
        + esc(_(STRANDED_TEXT).format(leave=leave, stay=stay))
        + " "
        + _(
            "Remaining country contiguous: whether what is left of the country stays one "
            "piece on each landmass (Alaska and Hawaii are separate landmasses)."
        )
        + "</p>",
    ]
    if by_votes:
        parts.append(
            '<p class="note">'
            + _(
                "* The data has no population figures: sizes (and the minimum size of a new "
                "country) are counted in votes cast, for any candidate."
            )
            + "</p>"
        )
    notes = [
        f"<li><b>{esc(r.spec.name)}</b>: {esc(r.spec.describe(size_word(graph), lang))}"
        + "".join(f"; {esc(n)}" for n in r.spec.notes)
        + "</li>"
        for r in comp.results
    ]
    parts.append(f'<ul class="note">{"".join(notes)}</ul>')
    if graph.geometry is not None:
        shared_keys(comp, lang)
        maps = [(f"{_(r.spec.title)}: {r.row['satisfied_share']:.1%}", r.map) for r in comp.results]
        sm = small_multiples(maps, out / "small_multiples.png")
        files["small_multiples"] = sm
        parts.append("<h2>" + _("Maps") + "</h2>")
        parts.append(
            f'<p><img class="map" alt="{esc(_("one map per scenario"))}" '
            f'src="{image_data_uri(sm)}"></p><p class="note">'
            + _(
                "Each map has its own key. The remaining country is always teal; no two "
                "touching new countries share a colour, and a country that persists from one "
                "scenario to another (most of its people in the same country) keeps its colour "
                "and name (its largest county and state) on every map; hatched units are "
                "stranded (their majority voted for the other side). Each scenario's own "
                "report has a full map and an interactive one."
            )
            + "</p>"
        )
    parts.append(_swing_section(comp, graph, out, leave, lang))
    parts.append(_mc_section(comp, graph, out, sweep, lang))
    limit = _("{solver}, time limit {seconds:g} s")
    settings_rows = [
        [_("solver (scenarios)"),
         limit.format(solver=esc(settings.solver), seconds=settings.time_limit)],
        [_("seed"), str(settings.seed)],
        [_("contiguity"), _("required") if options.contiguous else _("not required")],
        [_("minimum population of a new country (multi-country scenarios)"),
         num(options.min_population) + (" " + _("votes") if by_votes else "")],
        [_("states split on request"), esc(", ".join(options.split) or _("none"))],
        [
            _("automatic split threshold"),
            _("off") if options.split_threshold is None else pct(options.split_threshold),
        ],
    ]  # fmt: skip
    if comp.swing_rows or comp.mc_rows:
        settings_rows.append(
            [_("solver (sensitivity)"),
             limit.format(solver=esc(sweep.solver), seconds=sweep.time_limit)]
        )  # fmt: skip
        settings_rows.append(["Dask", esc(sweep.scheduler or _("local cluster"))])
    parts.append(
        "<h2>" + _("Settings") + "</h2>" + table([_("setting"), _("value")], settings_rows)
    )
    report = out / "report.html"
    report.write_text(page(title, "\n".join(p for p in parts if p), lang=lang), encoding="utf-8")
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
