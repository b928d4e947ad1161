"""Country colours and margin shading."""

from __future__ import annotations

import numpy as np
from mapcheck import best_country, tint_strength

from secession.maps.style import (
    PALETTE,
    hex_to_rgb,
    shade,
    strength,
    unit_fills,
)


def test_palette_colours_are_distinct() -> None:
    assert len(set(PALETTE)) == len(PALETTE) == 11


def test_shade_goes_from_pale_to_full_colour() -> None:
    # a zero margin gives 30% of the colour, 60 points or more the full colour
    assert np.allclose(hex_to_rgb(shade("#000000", 0.0)), 0.7, atol=1 / 255)
    assert shade("#009988", 0.6) == "#009988"
    assert shade("#009988", -0.9) == "#009988"  # the sign of the margin does not matter
    s = strength(np.array([0.0, 0.3, 0.6, 1.0]))
    assert np.allclose(s, [0.3, 0.65, 1.0, 1.0])


def test_every_fill_is_a_tint_of_its_own_country_only() -> None:
    # every colour of the palette at once: a pixel's tint names one country, however pale
    colors = list(PALETTE)
    country = np.repeat(np.arange(len(colors)), 5)
    margin = np.tile(np.array([0.0, 0.1, 0.25, 0.5, 0.9]), len(colors))
    fills = unit_fills(country, margin, colors)
    for c, m, f in zip(country, margin, fills, strict=True):
        assert best_country(f, colors) == c
        assert abs(tint_strength(f, colors[c]) - float(strength(m))) < 0.01


def test_hex_round_trip() -> None:
    assert np.allclose(hex_to_rgb("#ff8000"), [1.0, 128 / 255, 0.0])
