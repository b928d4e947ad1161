"""Colours and words of the world map: one colour per status, neutral countries.

Statuses take Paul Tol's colour-blind-safe "vibrant" scheme (blue, orange, magenta), kept
apart from the grey of the countries and the pale blue of the sea.
"""

from __future__ import annotations

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


def status_words(status: str, point_of_view: str | None = None) -> str:
    """A legend line for ``status`` (from the registry's rule, or from a point of view)."""
    if status == "recognised":
        return (
            f"Recognised by {point_of_view}"
            if point_of_view
            else "Recognised: the registry's recognition rule is met"
        )
    if status == "declared":
        return (
            f"Declared, not recognised by {point_of_view}"
            if point_of_view
            else "Declared: independence declared, the rule not met yet"
        )
    return "Claimed by several peoples"


def counts_line(counts: dict[str, int], point_of_view: str | None) -> str:
    """``"2 recognised, 1 declared, as seen by Cascadia"``."""
    parts = [f"{counts.get('recognised', 0)} recognised", f"{counts.get('declared', 0)} declared"]
    if counts.get("contested"):
        n = counts["contested"]
        parts.append(f"{n} contested area{'s' if n != 1 else ''}")
    line = ", ".join(parts)
    return f"{line}, as seen by {point_of_view}" if point_of_view else line
