"""Colours of a plan map: one colour-blind-safe hue per country, shaded by each unit's margin.

Which country gets which hue is decided in :mod:`secession.maps.countries` (no two
touching countries alike). A unit's fill is its country's hue mixed with white: pale for a
close vote, full for a margin of :data:`FULL_MARGIN` or more.

Example
-------
>>> shade("#009988", 0.0), shade("#009988", 1.0)
('#b2e0db', '#009988')
"""

from __future__ import annotations

import numpy as np

from secession.maps.countries import NEW_COLORS, STAY_COLOR

#: The remaining country's colour, then the new countries' (see :mod:`.countries`).
PALETTE: tuple[str, ...] = (STAY_COLOR, *NEW_COLORS)
#: Margin (share of two-side votes) at or above which a unit gets its country's full colour.
FULL_MARGIN = 0.6
#: Share of the full colour given to a unit with a zero margin.
MIN_STRENGTH = 0.3
STRANDED_EDGE = "#1a1a1a"
NO_DATA = "#dddddd"


def hex_to_rgb(color: str) -> np.ndarray:
    """``"#RRGGBB"`` as three floats in 0..1."""
    c = color.lstrip("#")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64) / 255.0


def rgb_to_hex(rgb: np.ndarray) -> str:
    r, g, b = (round(float(v) * 255) for v in np.clip(rgb, 0, 1))
    return f"#{r:02x}{g:02x}{b:02x}"


def strength(margin: np.ndarray | float) -> np.ndarray:
    """Share of the country colour used for a unit with this absolute margin (0..1)."""
    m = np.minimum(np.abs(np.asarray(margin, dtype=np.float64)) / FULL_MARGIN, 1.0)
    return MIN_STRENGTH + (1.0 - MIN_STRENGTH) * np.nan_to_num(m)


def shade(color: str, margin: float) -> str:
    """``color`` mixed with white according to ``margin`` (0 = close vote, 1 = unanimous)."""
    s = float(strength(margin))
    return rgb_to_hex(1.0 - s * (1.0 - hex_to_rgb(color)))


def unit_fills(country: np.ndarray, margin: np.ndarray, colors: list[str]) -> list[str]:
    """Fill colour of every unit: its country's colour shaded by its margin."""
    base = np.stack([hex_to_rgb(c) for c in colors])[np.asarray(country, dtype=np.int64)]
    s = strength(margin)[:, None]
    rgb = 1.0 - s * (1.0 - base)
    return [rgb_to_hex(v) for v in rgb]
