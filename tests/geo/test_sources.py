"""Every source a user can give ``data inspect``: formats, the graph cache, missing data."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from secession.geo.topology import read_topojson


def _facts(r) -> dict:
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def west(tmp_path_factory, data_dir: Path) -> dict[str, Path]:
    """The real county boundaries of OR, WA and ID, written in every boundary format."""
    t = read_topojson(data_dir / "us-president-county/2020-units-albers.topojson")
    # the Albers USA TopoJSON declares no CRS; any fixed one will do for these copies
    frame = gpd.GeoDataFrame({"id": t.ids}, geometry=t.geometry, crs="ESRI:102003")
    frame = frame[frame["id"].str[:2].isin(["41", "53", "16"])].reset_index(drop=True)
    root = tmp_path_factory.mktemp("west")
    out = {}
    for suffix in (".geojson", ".gpkg", ".shp"):
        out[suffix] = root / f"west{suffix}"
        frame.to_file(out[suffix])
    out[".zip"] = root / "west.zip"
    with zipfile.ZipFile(out[".zip"], "w") as z:
        for part in root.glob("west.*"):
            if part.suffix in (".shp", ".shx", ".dbf", ".cpg"):
                z.write(part, part.name)
    return out


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".zip"])
def test_results_joined_to_every_boundary_format(cli, data_dir, west, suffix) -> None:
    results = data_dir / "us-president-county/2020.csv"
    args = ("--results", results, "--state", "OR", "--state", "Washington", "--json")
    args += ("--water-links", "0")  # the boundaries' own adjacency
    facts = _facts(cli("data", "inspect", "--boundaries", west[suffix], *args))
    topo = _facts(cli("data", "inspect", *args))
    # the same 75 counties and 180 edges as from the TopoJSON's shared arcs
    assert (facts["units"], facts["edges"], facts["components"]) == (75, 180, 2)
    assert (topo["units"], topo["edges"]) == (75, 180)
    assert [i["id"] for i in facts["islands"]] == ["53055"]  # San Juan County, WA
    assert facts["votes"] == topo["votes"]
    assert facts["votes"]["dem"] == 3709995 and facts["votes"]["gop"] == 2543099


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_units_file_in_other_formats(cli, data_dir, tmp_path, suffix) -> None:
    path = tmp_path / f"nh{suffix}"
    gpd.read_file(data_dir / "nh-wards/NH.zip").to_file(path)
    cols = ("--leave-col", "PRES16D", "--stay-col", "PRES16R", "--population-col", "TOTPOP")
    facts = _facts(cli("data", "inspect", "--units", path, *cols, "--json"))
    # the id column (Precinct) is found without --id-col
    assert (facts["units"], facts["edges"], facts["components"]) == (320, 854, 1)
    assert facts["votes"]["PRES16D"] == 348526 and facts["population"] == 1316470


def test_units_names_default_to_a_name_column(data_dir) -> None:
    from secession.geo.load import load_graph

    ia = data_dir / "ia-counties/IA_counties.zip"
    g = load_graph(units=ia, leave_col="PRES16D", stay_col="PRES16R").graph
    # ids from GEOID10, names from NAME10, both found without being named
    assert g.n_units == 99 and g.names[g.index_of("19153")] == "Polk"
    # Polk County borders Story, Jasper, Marion, Warren, Dallas and Boone
    neighbours = {str(g.names[g.index_of(i)]) for i in g.neighbors_of("19153")}
    assert neighbours == {"Story", "Jasper", "Marion", "Warren", "Dallas", "Boone"}


def test_saved_graph_reloads_with_its_report(cli, tmp_path) -> None:
    cache = tmp_path / "us.npz"
    first = _facts(cli("data", "inspect", "--save-graph", cache, "--json", "--water-links", "0"))
    again = _facts(cli("data", "inspect", "--graph", cache, "--json"))
    for key in ("units", "edges", "component_sizes", "islands", "votes", "upper_bound"):
        assert again[key] == first[key], key
    # the mismatches found when the cache was written travel with it
    assert again["mismatches"]["counts"] == {"merged": 8, "invalid_geometry": 7}
    assert again["mismatches"]["issues"] == first["mismatches"]["issues"]
    # --state, --leave and --link-islands apply to a cache too
    west = _facts(
        cli("data", "inspect", "--graph", cache, "--state", "OR", "--state", "WA", "--json")
    )
    assert (west["units"], west["edges"], west["components"]) == (75, 180, 2)
    gop = _facts(cli("data", "inspect", "--graph", cache, "--leave", "gop", "--json"))
    assert gop["leave_label"] == "gop" and gop["votes"]["gop"] == first["votes"]["gop"]
    linked = _facts(cli("data", "inspect", "--graph", cache, "--link-islands", "--json"))
    # 7 Census edges for the five VA cities with no geometry, 6 nearest-unit links
    assert linked["edges"] == first["edges"] + 13 and linked["components"] == 3


def test_cache_errors_are_clear(cli, tmp_path) -> None:
    cache = tmp_path / "or.npz"
    _facts(
        cli(
            "data",
            "inspect",
            "--state",
            "OR",
            "--save-graph",
            cache,
            "--json",
            "--water-links",
            "0",
        )
    )
    r = cli("data", "inspect", "--graph", cache, "--leave-col", "x")
    assert r.exit_code == 2 and "cannot apply" in r.stderr and "Traceback" not in r.output
    r = cli("data", "inspect", "--graph", cache, "--state", "TX")
    assert r.exit_code == 2 and "no units of TX" in r.stderr
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    r = cli("data", "inspect", "--graph", bad)
    assert r.exit_code == 2 and "bad.npz" in r.stderr and "Traceback" not in r.output
    r = cli("data", "inspect", "--graph", tmp_path / "none.npz")
    assert r.exit_code != 0 and "not found" in r.stderr


def test_no_data_folder_says_how_to_get_data(cli, monkeypatch, tmp_path, data_dir) -> None:
    monkeypatch.delenv("SECESSION_DATA", raising=False)
    monkeypatch.setenv("SECESSION_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.chdir(tmp_path)
    r = cli("data", "inspect")
    assert r.exit_code == 3 and "Traceback" not in r.output
    assert "data folder not found" in r.stderr
    assert "SECESSION_DATA" in r.stderr and "secession data download" in r.stderr
    facts = _facts(cli("data", "inspect", "--data-dir", data_dir, "--state", "OR", "--json"))
    assert (facts["units"], facts["edges"]) == (36, 81)


def test_other_votes_column(cli, data_dir) -> None:
    ia = data_dir / "ia-counties/IA_counties.zip"
    cols = ("--leave-col", "PRES16D", "--stay-col", "PRES16R", "--other-col", "PRES16OTH")
    facts = _facts(cli("data", "inspect", "--units", ia, *cols, "--json"))
    # Iowa 2016: 1,566,031 presidential votes, the file's own TOTVOT16 total
    assert facts["votes"]["other"] == 111379 and facts["votes"]["total"] == 1566031
    assert facts["population"] == 1566031  # population defaults to total votes


def test_named_csv_joined_to_a_shapefile(cli, data_dir, tmp_path) -> None:
    """Any CSV with named columns; every unmatched boundary is listed by id."""
    nh = gpd.read_file(data_dir / "nh-wards/NH.zip")
    nh[["Precinct", "geometry"]].to_file(tmp_path / "wards.shp")
    rows = ["ward,yes,no,blank"] + [
        f'"{p}","{int(d):,}",{int(r)},1'
        for p, d, r in zip(nh.Precinct, nh.PRES16D, nh.PRES16R, strict=True)
    ]
    (tmp_path / "votes.csv").write_text("\n".join(rows[:-2]) + "\n")  # last two wards missing
    args = ("--results", tmp_path / "votes.csv", "--boundaries", tmp_path / "wards.shp")
    cols = ("--id-col", "ward", "--leave-col", "yes", "--stay-col", "no")
    r = cli("data", "inspect", *args, *cols, "--id-col", "Precinct")
    assert r.exit_code == 2  # the boundary has no column "ward"
    (tmp_path / "votes.csv").write_text("\n".join(["Precinct,yes,no,blank", *rows[1:-2]]) + "\n")
    cols = ("--id-col", "Precinct", "--leave-col", "yes", "--stay-col", "no")
    r = cli("data", "inspect", *args, *cols, "--other-col", "blank")
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "boundaries with no result (2)" in r.stderr
    for ward in nh.Precinct.iloc[-2:]:
        assert ward in r.stderr
    facts = _facts(
        cli(
            "data",
            "inspect",
            *args,
            *cols,
            "--other-col",
            "blank",
            "--on-mismatch",
            "drop",
            "--json",
        )
    )
    assert facts["units"] == 318 and facts["votes"]["other"] == 318
    assert facts["votes"]["yes"] == nh.PRES16D.iloc[:-2].sum()
    assert facts["mismatches"]["counts"] == {"boundary_without_result": 2}
