"""The recognition graph as an inline SVG: peoples and recognising alliances on a circle,
an arrow from each recogniser to the people it recognises, peoples as circles in their
status colour, alliances as squares (no script)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from html import escape

from secession.maps.world.style import STATUS_COLORS

SIZE = 640
RADIUS = 230
NODE = 9
ALLIANCE = "alliance"  # a node's status when it is an alliance (drawn as a square)
ALLIANCE_COLOR = "#BBBBBB"


@dataclass(frozen=True)
class Node:
    key: Hashable
    name: str
    status: str
    url: str


def graph_svg(nodes: Sequence[Node], edges: Sequence[tuple[Hashable, Hashable]], label: str) -> str:
    """``edges`` are (recogniser, recognised) keys of ``nodes``."""
    n = max(len(nodes), 1)
    centre = SIZE / 2
    where = {}
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / n - math.pi / 2
        where[node.key] = (centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle))
    out = [
        f'<svg class="recognition-graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 '
        f'{SIZE} {SIZE}" role="img" aria-labelledby="graph-title"><title id="graph-title">'
        f"{escape(label)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#57606a"/></marker></defs>',
    ]
    for a, b in edges:
        if a not in where or b not in where or a == b:
            continue
        (x1, y1), (x2, y2) = where[a], where[b]
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        out.append(
            f'<line x1="{x1 + ux * NODE:.1f}" y1="{y1 + uy * NODE:.1f}" '
            f'x2="{x2 - ux * (NODE + 2):.1f}" y2="{y2 - uy * (NODE + 2):.1f}" stroke="#57606a" '
            'stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for node in nodes:
        x, y = where[node.key]
        color = STATUS_COLORS.get(node.status, "#888888")
        anchor = "start" if x >= centre else "end"
        dx = 13 if x >= centre else -13
        if node.status == ALLIANCE:
            shape = (
                f'<rect x="{x - NODE:.1f}" y="{y - NODE:.1f}" width="{2 * NODE}" '
                f'height="{2 * NODE}" fill="{ALLIANCE_COLOR}" stroke="#1a1a1a" stroke-width="1"/>'
            )
        else:
            shape = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE}" fill="{color}" stroke="#1a1a1a" '
                'stroke-width="1"/>'
            )
        out.append(
            f'<a href="{escape(node.url)}">{shape}<text x="{x + dx:.1f}" '
            f'y="{y + 4:.1f}" text-anchor="{anchor}" font-size="13">{escape(node.name)}</text></a>'
        )
    out.append("</svg>")
    return "".join(out)
