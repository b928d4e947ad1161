"""The report's geography section: the one contiguity judgement and the water links.

The contiguity line comes from :func:`secession.plan.contiguity.judge` (the same judgement
as ``summary.json`` and the scenario pages), never from the constraints the plan was
solved under. Every water link the graph holds is listed with ids, names and km, and with
the country that uses it (both ends in one country) or "border" when it joins two.
"""

from __future__ import annotations

import numpy as np

from secession.i18n import DEFAULT, gettext_for
from secession.maps.htmlkit import esc, table
from secession.plan.contiguity import judge
from secession.plan.model import Plan


def water_link_rows(plan: Plan, lang: str = DEFAULT) -> list[dict[str, str | float]]:
    """One row per water link of ``plan.graph``: ends, km and the country using it."""
    _ = gettext_for(lang)
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
            used = _("border") if not same else _("remaining country") if country[a] == 0 else ""
            used = used or str(plan.labels[country[a]])
        rows.append({**w, "used_by": used})
    return rows


def geography_section(plan: Plan, lang: str = DEFAULT) -> str:
    """HTML: the contiguity judgement, then the table of water links (or why none)."""
    _ = gettext_for(lang)
    g = plan.graph
    judged = judge(g, plan.country, plan.labels)
    parts = [
        "<h2>" + _("Contiguity") + "</h2>",
        '<p id="contiguity">'
        + _("Judged on the {n} units, water links included:").format(n=f"{g.n_units:,}")
        + f" {esc(judged.sentence(lang))}.</p>",
    ]
    rows = water_link_rows(plan, lang)
    km = g.meta.get("water_links_km")
    if rows:
        parts.append(
            "<h2>"
            + _("Water links")
            + '</h2>\n<p class="note">'
            + _(
                "{n} crossings over water of at most {km} km (geodesic, between the closest "
                "shores) count as borders shared by the two units, for contiguity and for the "
                "solvers (the water-link distance is a setting of the data; 0 turns them off)."
            ).format(n=len(rows), km=f"{float(km):g}")
            + "</p>"
        )
        parts.append(
            table(
                [_("unit"), _("name"), _("unit"), _("name"), "km", _("used by")],
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
            '<p class="note">'
            + _("No water links: none within {km} km").format(km=f"{float(km):g}")
            + ((" " + _("(water links turned off)")) if float(km) == 0 else "")
            + ".</p>"
        )
    return "\n".join(parts)
