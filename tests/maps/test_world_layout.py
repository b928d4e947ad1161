"""The world map's geometry: each people cut out of the countries it overlaps, exactly.

Areas are compared two ways: on the equal-area projection (what the map draws), where a
country's kept plus given land must equal the original to 1e-6, and on the earth (geodesic
areas of the same cut made in lon/lat with pyproj.Geod), to 0.5% (the projected territory
is simplified to 2 km and its edges densified to 1°).
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from secession.exceptions import DataError
from secession.geo.world import load_countries, split_antimeridian
from secession.maps.world.doc import People
from secession.maps.world.layout import Placed, projected_countries, world_layout

GEOD = Geod(ellps="WGS84")
WORLD = load_countries("110m")


def km2(geom) -> float:
    """Geodesic area of lon/lat polygons whose edges run straight in lon/lat (GeoJSON's
    reading: a box's edges are parallels), densified so geodesics follow them."""
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.05))[0]) / 1e6


def placed(pid: str, territory, left: str, **kw) -> Placed:
    p = People(
        id=pid, name=pid.title(), status=kw.pop("status", "declared"), left=left, territory={}, **kw
    )
    return Placed(p, territory)


def country_lonlat(name: str):
    return WORLD.geometry[WORLD.index[name]]


def assert_coverage(layout) -> None:
    geoms = np.array([f.geometry for f in layout.features if not shapely.is_empty(f.geometry)])
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)


def test_cut_out_plus_rest_is_the_country() -> None:
    box = shapely.box(125, -28, 135, -20)
    layout = world_layout([placed("north", box, "Australia")], "110m")
    people = layout.people_feature("north")
    rest = layout.country_feature("Australia")
    original = projected_countries("110m")[WORLD.index["Australia"]]
    # on the projection: nothing lost, nothing added, no overlap
    assert people.area_km2 + rest.area_km2 == pytest.approx(shapely.area(original) / 1e6, rel=1e-6)
    together = shapely.union(people.geometry, rest.geometry)
    assert shapely.area(shapely.symmetric_difference(together, original)) < 1e-6 * shapely.area(
        original
    )
    assert shapely.area(shapely.intersection(people.geometry, rest.geometry)) == 0
    # on the earth: the same cut made in lon/lat
    truth = km2(shapely.intersection(box, country_lonlat("Australia")))
    assert people.area_km2 == pytest.approx(truth, rel=0.005)
    assert [c for c, _ in people.cut_from] == ["Australia"]
    (check,) = layout.checks
    assert check.country == "Australia" and check.relative_error < 1e-6
    assert_coverage(layout)


def test_territory_across_a_border_is_cut_from_both_unless_within() -> None:
    box = shapely.box(-105, 45, -95, 52)  # the Dakotas, Minnesota, Manitoba, Saskatchewan
    layout = world_layout([placed("prairie", box, "840")], "110m")
    cut = dict(layout.people_feature("prairie").cut_from)
    assert set(cut) == {"United States of America", "Canada"}
    for name, area in cut.items():
        assert area == pytest.approx(
            km2(shapely.intersection(box, country_lonlat(name))), rel=0.005
        )
    assert {c.country for c in layout.checks} == set(cut)
    assert all(c.relative_error < 1e-6 for c in layout.checks)
    assert_coverage(layout)
    only_us = world_layout([placed("prairie", box, "840", within=("840",))], "110m")
    f = only_us.people_feature("prairie")
    assert [c for c, _ in f.cut_from] == ["United States of America"]
    assert f.area_km2 == pytest.approx(cut["United States of America"], rel=1e-6)
    assert only_us.country_feature("Canada").area_km2 == pytest.approx(
        shapely.area(projected_countries("110m")[WORLD.index["Canada"]]) / 1e6, rel=1e-9
    )


def test_overlapping_peoples_share_a_contested_piece() -> None:
    a, b = shapely.box(-62, -12, -52, -5), shapely.box(-56, -10, -46, -3)
    layout = world_layout([placed("river", a, "Brazil"), placed("ridge", b, "076")], "110m")
    brazil = country_lonlat("Brazil")
    (contested,) = [f for f in layout.features if f.kind == "contested"]
    assert contested.claimants == ("river", "ridge")
    assert contested.name == "Claimed by River and Ridge"
    assert contested.area_km2 == pytest.approx(km2(a & b & brazil), rel=0.005)
    river, ridge = layout.people_feature("river"), layout.people_feature("ridge")
    assert river.area_km2 == pytest.approx(km2((a - b) & brazil), rel=0.005)
    total = river.area_km2 + ridge.area_km2 + contested.area_km2
    assert total == pytest.approx(km2((a | b) & brazil), rel=0.005)
    assert layout.checks[0].relative_error < 1e-6
    assert_coverage(layout)


def test_a_country_with_no_id_is_cut_by_name() -> None:
    box = shapely.box(19.8, 41.7, 21.9, 43.4)  # larger than Kosovo, on four neighbours
    layout = world_layout([placed("lake", box, "Kosovo", within=("Kosovo",))], "110m")
    kosovo = shapely.area(projected_countries("110m")[WORLD.index["Kosovo"]]) / 1e6
    assert layout.people_feature("lake").area_km2 == pytest.approx(kosovo, rel=1e-6)
    assert layout.country_feature("Kosovo").area_km2 == 0
    assert [c.country for c in layout.checks] == ["Kosovo"]  # Serbia and the rest untouched
    assert any("lie at sea or outside" in n for n in layout.notes)


def test_a_sliver_over_a_neighbour_stays_with_the_neighbour() -> None:
    kosovo = country_lonlat("Kosovo")
    drawn = shapely.buffer(kosovo, 0.03)  # about 3 km over every border
    layout = world_layout([placed("k", drawn, "Kosovo")], "110m")
    assert [c.country for c in layout.checks] == ["Kosovo"]
    kept = [n for n in layout.notes if "a sliver of" in n]
    assert {n.split("a sliver of ")[1].split(" under")[0] for n in kept} == {
        "Serbia",
        "Albania",
        "Macedonia",
        "Montenegro",
    }
    # with no sliver width, the neighbours give their strips
    raw = world_layout([placed("k", drawn, "Kosovo")], "110m", sliver_km=0)
    assert {c.country for c in raw.checks} == {
        "Kosovo",
        "Serbia",
        "Albania",
        "Macedonia",
        "Montenegro",
    }
    assert_coverage(raw)


def test_territory_across_the_antimeridian() -> None:
    box = shapely.box(172, 62, 190, 68)  # Chukotka, given with longitudes past 180
    layout = world_layout([placed("east", box, "Russia", within=("Russia",))], "110m", sliver_km=0)
    f = layout.people_feature("east")
    assert len(shapely.get_parts(f.geometry)) >= 2  # land either side of 180°
    truth = km2(shapely.intersection(split_antimeridian(box), country_lonlat("Russia")))
    assert f.area_km2 == pytest.approx(truth, rel=0.005)
    assert layout.checks[0].relative_error < 1e-6
    assert_coverage(layout)


@pytest.mark.parametrize(
    "territory, left, within, message",
    [
        (shapely.box(125, -28, 135, -20), "Brazil", None, "does not overlap Brazil"),
        (shapely.box(-30, -30, -20, -20), "Brazil", None, "does not overlap Brazil"),
        (shapely.box(125, -28, 135, -20), "Atlantis", None, "no country 'Atlantis'"),
        (shapely.box(125, -28, 135, -20), "Australia", ("Brazil",), "must include the country"),
    ],
)
def test_errors_name_the_people(territory, left, within, message) -> None:
    with pytest.raises(DataError, match=message) as err:
        world_layout([placed("north", territory, left, within=within)], "110m")
    assert "North (north)" in str(err.value)


def test_no_peoples_is_the_base_itself() -> None:
    layout = world_layout([], "110m")
    assert layout.checks == [] and len(layout.features) == len(WORLD)
    assert_coverage(layout)


@pytest.fixture(scope="module")
def orwa_placed(orwa_plan, tmp_path_factory):
    """Oregon's and Washington's Democratic counties as two new countries, on the world."""
    from secession.maps.world.plan import plan_world_doc
    from secession.plan.output import write_plan

    out = tmp_path_factory.mktemp("orwa-world")
    write_plan(orwa_plan, out)
    return plan_world_doc(out)


def _coastal_slivers(layout, sliver_km: float) -> int:
    """Parts of what the US keeps, narrower than the sliver width everywhere, that touch both
    a people and the US outline: strips left between a people and the coast or border."""
    us = WORLD.index["United States of America"]
    outline = shapely.boundary(projected_countries("110m")[us])
    peoples = shapely.union_all([f.geometry for f in layout.features if f.kind == "people"])
    half = sliver_km * 500
    count = 0
    for part in shapely.get_parts(layout.country_feature("United States of America").geometry):
        opened = shapely.buffer(shapely.buffer(part, -half, join_style="mitre"), half)
        if not shapely.is_empty(opened):
            continue
        line = shapely.boundary(part)
        touches_people = shapely.length(shapely.intersection(line, peoples.boundary)) > 0
        touches_outline = shapely.length(shapely.intersection(line, outline)) > 0
        count += touches_people and touches_outline
    return count


def test_plan_counties_leave_no_slivers_along_the_coast(orwa_placed) -> None:
    doc, placed_ = orwa_placed
    assert [p.name for p in doc.peoples] == ["New country cascadia-or", "New country cascadia-wa"]
    assert all(p.within == ("United States of America",) for p in doc.peoples)
    raw = world_layout(placed_, "110m", sliver_km=0)
    clean = world_layout(placed_, "110m")
    assert _coastal_slivers(raw, 25) > 0  # Census coasts and Natural Earth's differ
    assert _coastal_slivers(clean, 25) == 0
    assert any("strip(s) of United States of America" in n for n in clean.notes)
    for layout in (raw, clean):
        (check,) = layout.checks
        assert check.country == "United States of America" and check.relative_error < 1e-6
        assert_coverage(layout)
    # the strips are small beside the countries they join
    moved = sum(f.area_km2 for f in clean.features if f.kind == "people") - sum(
        f.area_km2 for f in raw.features if f.kind == "people"
    )
    assert 0 < moved < 0.1 * sum(f.area_km2 for f in raw.features if f.kind == "people")


def test_left_is_inferred_and_a_people_without_territory_is_listed() -> None:
    from secession.maps.world.doc import WorldMapDoc
    from secession.maps.world.model import WorldMap

    box = shapely.box(125, -28, 135, -20)
    nowhere = Placed(
        People(id="far", name="Far", status="declared", left="", territory=None),
        None,
        ("Far: no territory given: listed, not drawn",),
    )
    found = placed("north", box, "")  # no 'left': the country with most of the territory
    layout = world_layout([found, nowhere], "110m")
    assert [c.country for c in layout.checks] == ["Australia"]
    assert shapely.is_empty(layout.people_feature("far").geometry)
    assert "Far: no territory given: listed, not drawn" in layout.notes
    rows = WorldMap(WorldMapDoc(peoples=(found.people, nowhere.people)), layout).people_rows()
    assert [(r["name"], r["left"]) for r in rows] == [("North", "Australia"), ("Far", "")]
    with pytest.raises(DataError, match="lies in no country"):
        world_layout([placed("sea", shapely.box(-30, -30, -20, -20), "")], "110m")


def test_a_published_map_skips_a_people_it_cannot_cut():
    good = placed("north", shapely.box(125, -28, 135, -20), "Australia")
    bad = placed("sea", shapely.box(-30, -30, -20, -20), "Brazil")
    layout = world_layout([good, bad], "110m", skip_errors=True)
    assert layout.people_feature("north").area_km2 > 0
    assert shapely.is_empty(layout.people_feature("sea").geometry)
    assert any(n.startswith("not drawn: Sea (sea)") for n in layout.notes)
