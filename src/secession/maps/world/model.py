"""Everything a drawing of the world map needs, computed once from the document and the
layout: texts (title, counts, rule, source), the extent, the label points, one row per
people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.ops import polylabel

from secession.i18n import DEFAULT, N_, check_language, gettext_for
from secession.maps.world.doc import DEFAULT_RULE, WorldMapDoc
from secession.maps.world.layout import Feature, WorldLayout
from secession.maps.world.projection import PROJECTION_NOTE, world_outline
from secession.maps.world.style import counts_line

DEFAULT_TITLE = N_("Free peoples on the map of the world")
MARGIN = 0.12  # share of the peoples' extent added on each side (extent "peoples")
MIN_SPAN_M = 6_000_000.0  # a zoomed map still shows at least this much (a continent)


@dataclass
class WorldMap:
    """A world map ready to draw."""

    doc: WorldMapDoc
    layout: WorldLayout
    labels_skipped: int = 0
    lang: str = DEFAULT  # language of the title, legend and table (secession.i18n)
    _extent: tuple[float, float, float, float] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_language(self.lang)

    @property
    def _(self):
        """The ``gettext`` of the map's language."""
        return gettext_for(self.lang)

    @property
    def title(self) -> str:
        return self.doc.title or self._(DEFAULT_TITLE)

    @property
    def rule(self) -> str:
        return self._(DEFAULT_RULE) if self.doc.rule == DEFAULT_RULE else self.doc.rule

    @property
    def drawn(self) -> list[Feature]:
        """Peoples and contested pieces with land to draw."""
        return [
            f
            for f in self.layout.features
            if f.kind != "country" and not shapely.is_empty(f.geometry)
        ]

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.layout.peoples:
            out[p.status] = out.get(p.status, 0) + 1
        out["contested"] = sum(1 for f in self.layout.features if f.kind == "contested")
        return out

    @property
    def subtitle(self) -> str:
        return counts_line(self.counts, self.doc.point_of_view, self.lang)

    @property
    def source_note(self) -> str:
        peoples = self.doc.source or self.doc.origin
        return self._("{base}. Peoples: {peoples}. {projection}.").format(
            base=self.layout.world.source, peoples=peoples, projection=PROJECTION_NOTE
        )

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """Map extent in projected metres: the whole world, or the peoples with a margin."""
        if self._extent is None:
            world = shapely.bounds(world_outline())
            box = world
            shapes = [f.geometry for f in self.drawn]
            if self.doc.extent == "peoples" and shapes:
                minx, miny, maxx, maxy = shapely.bounds(shapely.union_all(shapes))
                w, h = maxx - minx, maxy - miny
                pad = MARGIN * max(w, h)
                half_w = max(w / 2 + pad, MIN_SPAN_M / 2)
                half_h = max(h / 2 + pad, MIN_SPAN_M / 4)
                cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
                box = np.array([cx - half_w, cy - half_h, cx + half_w, cy + half_h])
                box[:2] = np.maximum(box[:2], world[:2])
                box[2:] = np.minimum(box[2:], world[2:])
            self._extent = tuple(float(v) for v in box)  # type: ignore[assignment]
        return self._extent  # type: ignore[return-value]

    def label_points(self) -> list[tuple[Feature, tuple[float, float]]]:
        """Each drawn people's label point (inside its largest part), largest first."""
        out = []
        for f in sorted(self.drawn, key=lambda f: -f.area_km2):
            if f.kind != "people":
                continue
            parts = shapely.get_parts(f.geometry)
            big = parts[int(np.argmax(shapely.area(parts)))]
            point = polylabel(big, tolerance=max(1_000.0, big.length / 2_000))
            out.append((f, (point.x, point.y)))
        return out

    def spaced_labels(self, font: float, width: float) -> list[tuple[Feature, tuple[float, float]]]:
        """Label points whose text (``font`` high, on a drawing ``width`` units wide; each
        character about 0.6 of the font wide) does not overlap a larger people's label."""
        minx, _, maxx, _ = self.extent
        unit = (maxx - minx) / width
        kept: list[tuple[Feature, tuple[float, float]]] = []
        boxes: list[Any] = []
        for f, (x, y) in self.label_points():
            half_w = 0.3 * font * len(f.name) * unit + unit
            half_h = 0.6 * font * unit
            box = shapely.box(x - half_w, y - half_h, x + half_w, y + half_h)
            if any(shapely.intersects(box, b) for b in boxes):
                continue
            boxes.append(box)
            kept.append((f, (x, y)))
        return kept

    def _left(self, people: Any, feature: Feature | None) -> str:
        """The country a people left: as given, else the one it took most land from."""
        if people.left:
            return self.layout.world.find(people.left)
        if feature is not None and feature.cut_from:
            return max(feature.cut_from, key=lambda c: c[1])[0]
        return ""

    def people_rows(self) -> list[dict[str, Any]]:
        """One row per people (document order): status, recognised by, left, area, cut."""
        rows = []
        for p in self.layout.peoples:
            f = self.layout.people_feature(p.id)
            rows.append(
                {
                    "id": p.id,
                    "name": p.name,
                    "status": p.status,
                    "recognised_by": list(p.recognised_by),
                    "left": self._left(p, f),
                    "indigenous": p.indigenous,
                    "declared": p.declared,
                    "area_km2": f.area_km2 if f else 0.0,
                    "cut_from": [[c, a] for c, a in (f.cut_from if f else ())],
                }
            )
        return rows
