"""The report's geography section: the one contiguity judgement and the water links.

The contiguity line comes from :func:`secession.plan.contiguity.judge` (the same judgement
as ``summary.json`` and the scenario pages), never from the constraints the plan was
solved under. Every water link the graph holds is listed with ids, names and km, and with
the country that uses it (both ends in one country) or "border" when it joins two.
"""

from __future__ import annotations

import numpy as np

from secession.maps.htmlkit import esc, table
from secession.plan.contiguity import judge
from secession.plan.model import Plan


def water_link_rows(plan: Plan) -> list[dict[str, str | float]]:
    """One row per water link of ``plan.graph``: ends, km and the country using it."""
    g = plan.graph
    links = g.meta.get("water_links", []) or []
    index = {str(u): i for i, u in enumerate(g.ids.astype(str))}
    country = np.asarray(plan.country)
    rows = []
    for w in links:
        a, b = index.get(str(w["a"])), index.get(str(w["b"]))
        used = "-"
        if a is not None and b is not None:
            same = country[a] == country[b]
            used = "border" if not same else "remaining country" if country[a] == 0 else ""
            used = used or str(plan.labels[country[a]])
        rows.append({**w, "used_by": used})
    return rows


def geography_section(plan: Plan) -> str:
    """HTML: the contiguity judgement, then the table of water links (or why none)."""
    g = plan.graph
    judged = judge(g, plan.country, plan.labels)
    parts = [
        "<h2>Contiguity</h2>",
        f'<p id="contiguity">Judged on the {g.n_units:,} units, water links included: '
        f"{esc(judged.sentence())}.</p>",
    ]
    rows = water_link_rows(plan)
    km = g.meta.get("water_links_km")
    if rows:
        parts.append(
            f'<h2>Water links</h2>\n<p class="note">{len(rows)} crossings over water of at '
            f"most {float(km):g} km (geodesic, between the closest shores) count as borders "
            "shared by the two units, for contiguity and for the solvers "
            "(the water-link distance is a setting of the data; 0 turns them off).</p>"
        )
        parts.append(
            table(
                ["unit", "name", "unit", "name", "km", "used by"],
                [
                    [
                        esc(r["a"]),
                        esc(r["name_a"]),
                        esc(r["b"]),
                        esc(r["name_b"]),
                        f"{float(r['km']):.1f}",
                        esc(r["used_by"]),
                    ]
                    for r in rows
                ],
                numeric=[False, False, False, False, True, False],
                attrs='id="water-links"',
            )
        )
    elif km is not None:
        parts.append(
            f'<p class="note">No water links: none within {float(km):g} km'
            + (" (water links turned off)" if float(km) == 0 else "")
            + ".</p>"
        )
    return "\n".join(parts)
