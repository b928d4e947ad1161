"""A plan's new countries as declared peoples on the world map.

Reads a plan folder (``assignment.csv``, ``summary.json``, ``plan.geojson``, as
``secession plan --out DIR`` writes them), takes each unit's lon/lat shape from the dataset
the plan was made on (:func:`secession.maps.world.territory.lonlat_units`), dissolves the
units of each new country, and returns a world-map document whose peoples are those new
countries, declared and cut out of the country the plan divides only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely

from secession.exceptions import DataError
from secession.geo.world import load_countries
from secession.maps.world.doc import People, WorldMapDoc, slug
from secession.maps.world.layout import Placed
from secession.maps.world.projection import project_lonlat
from secession.maps.world.territory import dissolve_lonlat

PLAN_RULE = "A plan, not a registry: its new countries are shown as declared, none as recognised"


def _left_country(shapes: list[Any], base: str) -> str:
    """The country holding most of the plan's land (Natural Earth name)."""
    from secession.maps.world.layout import projected_countries

    world = load_countries(base)
    countries = projected_countries(base)
    land = project_lonlat(shapely.union_all(shapes))
    overlap = shapely.area(shapely.intersection(countries, land))
    best = int(overlap.argmax())
    if overlap[best] <= 0:
        raise DataError("the plan's units lie in no country of Natural Earth")
    return world.keys[best]


def plan_world_doc(
    folder: str | Path,
    *,
    base: str = "110m",
    left: str | None = None,
    title: str | None = None,
) -> tuple[WorldMapDoc, list[Placed]]:
    """The plan in ``folder`` as a world-map document (territories as lon/lat GeoJSON) and
    its peoples placed. ``left``: the country the plan divides (default: the one that holds
    most of its units)."""
    from shapely.geometry import mapping

    from secession.maps.figures import country_names
    from secession.maps.redraw import read_plan_dir

    folder = Path(folder)
    plan = read_plan_dir(folder)
    g = plan.graph
    names = country_names(plan)
    labels = [None if c == 0 else str(plan.labels[c]) for c in plan.country]
    if all(lab is None for lab in labels):
        raise DataError(f"{folder}/assignment.csv: no unit leaves; there is no new country to draw")
    shapes, notes = dissolve_lonlat(
        [str(i) for i in g.ids], labels, g.geometry, dict(g.meta), f"{folder}"
    )
    world = load_countries(base)
    left_key = world.find(left) if left else _left_country(list(shapes.values()), base)
    peoples = []
    placed = []
    for c, label in enumerate(plan.labels):
        if c == 0 or str(label) not in shapes:
            continue
        geom = shapely.set_precision(shapes[str(label)], 1e-5)  # about a metre
        people = People(
            id=slug(str(label)),
            name=names[c],
            status="declared",
            left=left_key,
            territory=mapping(geom),
            within=(left_key,),
        )
        peoples.append(people)
        placed.append(Placed(people, geom, tuple(notes if not placed else ())))
    leave = g.leave_label
    doc = WorldMapDoc(
        peoples=tuple(peoples),
        rule=PLAN_RULE,
        title=title or f"The plan in {folder.name} on the map of the world",
        source=f"the plan {folder.name} ({leave} voters leave; {notes[0].split(': ', 1)[-1]})",
        base=base,
        extent="peoples",
        origin=str(folder),
    )
    return doc, placed
