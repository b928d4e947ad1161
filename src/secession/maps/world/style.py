"""Colours and words of the world map: one colour per status, neutral countries.

Statuses take Paul Tol's colour-blind-safe "vibrant" scheme (blue, orange, magenta), kept
apart from the grey of the countries and the pale blue of the sea.
"""

from __future__ import annotations

from secession.i18n import DEFAULT, gettext_for, ngettext_for

STATUS_COLORS = {
    "recognised": "#0077BB",  # blue
    "declared": "#EE7733",  # orange
    "contested": "#EE3377",  # magenta
}
COUNTRY_FILL = "#d9d9d9"
COUNTRY_EDGE = "#ffffff"
PEOPLE_EDGE = "#1a1a1a"
SEA = "#eef4f8"
GRATICULE = "#d3dde6"
TEXT = "#222222"
NOTE = "#555555"


def status_words(status: str, point_of_view: str | None = None, lang: str = DEFAULT) -> str:
    """A legend line for ``status`` (from the registry's rule, or from a point of view)."""
    _ = gettext_for(lang)
    if status == "recognised":
        return (
            _("Recognised by {people}").format(people=point_of_view)
            if point_of_view
            else _("Recognised: the registry's recognition rule is met")
        )
    if status == "declared":
        return (
            _("Declared, not recognised by {people}").format(people=point_of_view)
            if point_of_view
            else _("Declared: independence declared, the rule not met yet")
        )
    return _("Claimed by several peoples")


def counts_line(counts: dict[str, int], point_of_view: str | None, lang: str = DEFAULT) -> str:
    """``"2 recognised, 1 declared, as seen by Cascadia"``."""
    _, n_ = gettext_for(lang), ngettext_for(lang)
    rec, dec = counts.get("recognised", 0), counts.get("declared", 0)
    parts = [
        n_("{n} recognised", "{n} recognised", rec).format(n=rec),
        n_("{n} declared", "{n} declared", dec).format(n=dec),
    ]
    if counts.get("contested"):
        n = counts["contested"]
        parts.append(n_("{n} contested area", "{n} contested areas", n).format(n=n))
    line = ", ".join(parts)
    if not point_of_view:
        return line
    return _("{counts}, as seen by {people}").format(counts=line, people=point_of_view)
