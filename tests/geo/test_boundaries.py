"""Boundaries in every format: TopoJSON, GeoJSON, shapefile (also zipped), GeoPackage, plotly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from secession.exceptions import DataError, DataMissingError
from secession.geo.boundaries import fips_name, read_boundaries


@pytest.fixture(scope="module")
def oregon() -> gpd.GeoDataFrame:
    """Oregon's 36 counties from the plotly-geo Census file (a real, small subset)."""
    b = read_boundaries("plotly:counties")
    frame = gpd.GeoDataFrame(
        {"GEOID": b.ids, "NAME": b.names}, geometry=b.geometry.values, crs=b.crs
    )
    return frame[frame["GEOID"].str.startswith("41")].reset_index(drop=True)


def test_topojson_units(data_dir: Path) -> None:
    b = read_boundaries(data_dir / "us-president-county/2020-units-albers.topojson")
    assert len(b.ids) == 3160 and len(set(b.ids)) == 3160
    assert b.edges is not None and len(b.edges) == 8807  # shared-arc pairs
    assert b.names[b.ids.index("41051")] == "Multnomah County, OR"
    assert b.names[b.ids.index("02901")] == "Alaska election district 1"


def test_plotly_geo_ships_census_counties_and_states() -> None:
    counties = read_boundaries("plotly:counties")
    states = read_boundaries("plotly:states")
    assert len(counties.ids) == 3233 and len(states.ids) == 56
    assert str(counties.crs) == "EPSG:4269"
    assert "41051" in counties.ids and "11001" in counties.ids
    i = states.ids.index("41")
    assert states.names[i] == "Oregon"
    minx, miny, maxx, maxy = states.geometry.iloc[i].bounds
    assert -125 < minx < maxx < -116 and 41 < miny < maxy < 47  # Oregon, lon/lat


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".zip"])
def test_vector_formats_round_trip(oregon, tmp_path: Path, suffix: str) -> None:
    if suffix == ".zip":
        oregon.to_file(tmp_path / "or.shp")
        path = tmp_path / "or.zip"
        with zipfile.ZipFile(path, "w") as z:
            for part in tmp_path.glob("or.*"):
                if part.suffix != ".zip":
                    z.write(part, part.name)
    else:
        path = tmp_path / f"or{suffix}"
        oregon.to_file(path)
    b = read_boundaries(path)
    assert b.ids == oregon["GEOID"].tolist()
    assert b.names[b.ids.index("41051")] == "Multnomah County, OR"
    before, after = oregon.geometry.iloc[0], b.geometry.iloc[0]
    assert after.symmetric_difference(before).area < 1e-9 * before.area  # GeoJSON rounds
    assert b.edges is None


def test_zipped_shapefile_from_the_data(data_dir: Path) -> None:
    b = read_boundaries(data_dir / "ia-counties/IA_counties.zip", name_col="NAME10")
    assert len(b.ids) == 99 and b.ids[0] == "19127" and b.names[0] == "Marshall"


def test_fips_names() -> None:
    assert fips_name("41051") == "Multnomah County, OR"
    assert fips_name("11003") == "District of Columbia ward 3"
    assert fips_name("02937") == "Alaska election district 37"
    assert fips_name("41") == "Oregon"
    assert fips_name("35013") == "Doña Ana County, NM"  # UTF-8 text in the Census file


def test_boundary_errors(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(DataMissingError, match="not found"):
        read_boundaries(tmp_path / "none.geojson")
    junk = tmp_path / "junk.geojson"
    junk.write_text("this is not geojson")
    with pytest.raises(DataError, match=r"junk\.geojson"):
        read_boundaries(junk)
    assert read_boundaries(data_dir / "nh-wards/NH.zip").ids[0] == "Bethlehem - Entire"
    anonymous = tmp_path / "anonymous.geojson"
    anonymous.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"votes": 1}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}'
    )
    with pytest.raises(DataError, match="no id column"):
        read_boundaries(anonymous)
    with pytest.raises(DataError, match="'nope' not found"):
        read_boundaries(data_dir / "ia-counties/IA_counties.zip", id_col="nope")
    with pytest.raises(DataError, match="unknown source"):
        read_boundaries("plotly:world")
