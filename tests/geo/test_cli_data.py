"""``secession data inspect``: real summaries, JSON, cache file, and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from secession.geo.graph import UnitGraph


def test_inspect_prints_the_2020_summary(cli) -> None:
    r = cli("data", "inspect", "--water-links", "0")
    assert r.exit_code == 0, r.output
    out = r.stdout
    for text in ("3,152", "8,796", "14 (sizes 3,100, 40, 1", "81,264,994", "74,208,196"):
        assert text in out
    assert "San Juan County" in out  # an island, listed by name
    assert "merged into 11001" in out and "Kalawao" in out  # every decision shown
    assert "Traceback" not in r.output


def test_inspect_json_and_saved_graph(cli, tmp_path: Path) -> None:
    cache = tmp_path / "or.npz"
    r = cli("data", "inspect", "--state", "OR", "--leave", "gop", "--json", "--save-graph", cache)
    assert r.exit_code == 0, r.output
    facts = json.loads(r.stdout)
    assert (facts["units"], facts["edges"], facts["components"]) == (36, 81, 1)
    assert facts["leave_label"] == "gop" and facts["mismatches"]["issues"] == []
    g = UnitGraph.load(cache)
    assert g.n_units == 36 and g.neighbors_of("41051") == ["41005", "41009", "41027", "41067"]
    assert g.leave.sum() == facts["votes"]["gop"]
    assert g.geometry is not None and len(g.geometry) == 36


def test_inspect_units_and_graph_files(cli, data_dir: Path) -> None:
    nh = ("--units", data_dir / "nh-wards/NH.zip", "--id-col", "Precinct")
    r = cli("data", "inspect", *nh, "--leave-col", "PRES16D", "--stay-col", "PRES16R", "--json")
    assert r.exit_code == 0, r.output
    facts = json.loads(r.stdout)
    assert (facts["units"], facts["edges"]) == (320, 854)
    assert facts["votes"]["PRES16D"] == 348526
    pa = ("--graph", data_dir / "graphs/pa-vtd-9059.json", "--population-col", "POP100")
    r = cli("data", "inspect", *pa, "--leave-col", "VoteA", "--stay-col", "VoteB")
    assert r.exit_code == 0, r.output
    assert "9,059" in r.stdout and "25,519" in r.stdout and "12,702,379" in r.stdout


def test_inspect_reports_repaired_geometry(cli, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b"], "yes": [1, 2], "no": [3, 4]},
        geometry=[box(0, 0, 1, 1), Polygon([(1, 0), (2, 1), (2, 0), (1, 1)])],
        crs="EPSG:3857",
    )
    frame.to_file(tmp_path / "u.gpkg")
    args = ("--units", tmp_path / "u.gpkg", "--id-col", "id", "--leave-col", "yes")
    r = cli("data", "inspect", *args, "--stay-col", "no")
    assert r.exit_code == 0, r.output
    assert "invalid_geometry" in r.stdout and "repaired" in r.stdout


# --------------------------------------------------------------------------- bad input
def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@pytest.fixture
def squares(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs="EPSG:3857",
    )
    path = tmp_path / "squares.geojson"
    frame.to_file(path)
    return path


COLS = ("--id-col", "id", "--leave-col", "yes", "--stay-col", "no")

BAD_RESULTS = {
    "non-numeric count": ("id,yes,no\na,1,2\nb,lots,2\nc,1,1\n", "yes = 'lots' is not a number"),
    "negative count": ("id,yes,no\na,1,2\nb,-4,2\nc,1,1\n", "yes = '-4' is negative"),
    "duplicate id": ("id,yes,no\na,1,2\na,1,2\nb,1,1\nc,1,1\n", "a: appears 2 times"),
    "result with no boundary": ("id,yes,no\na,1,2\nb,1,1\nc,1,1\nz,1,1\n", "results with no"),
    "boundary with no result": ("id,yes,no\na,1,2\nb,1,1\n", "c: no result has this id"),
    "missing column": ("id,yes,nein\na,1,2\n", "column 'no' (given by --stay-col) not found"),
    "empty file": ("", "is empty"),
    "header only": ("id,yes,no\n", "no rows"),
}


@pytest.mark.parametrize("kind", sorted(BAD_RESULTS))
def test_bad_results_give_clear_errors(cli, tmp_path: Path, squares: Path, kind: str) -> None:
    text, message = BAD_RESULTS[kind]
    csv = write(tmp_path, "r.csv", text)
    r = cli("data", "inspect", "--results", csv, "--boundaries", squares, *COLS)
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--results", "/no/such.csv"), 3, "results file not found: /no/such.csv"),
        (("--results", "BINARY"), 2, "not a text CSV file (binary content)"),
        (("--results", "LATIN1"), 2, "Name the columns with --id-col"),
        (("--results", "UNKNOWN"), 2, "Name the columns with --id-col"),
        (("--boundaries", "JUNK", "--results", "GOOD", *COLS), 2, "junk.geojson"),
        (("--graph", "BROKENJSON"), 2, "graph.json"),
        (("--state", "Narnia"), 2, "unknown state 'Narnia'"),
        (("--leave", "whig"), 2, "'whig' is not one of"),
        (("--data-dir", "/no/data"), 3, "data folder not found: /no/data"),
        (("--year", "1888"), 3, "us-president-county/1888.csv"),
        (("--units", "NOID"), 2, "name the id column with --id-col"),
        (("--units", "NH", "--id-col", "Precinct", "--leave-col", "PRES16D"), 2, "--stay-col"),
        (("--graph", "AR", "--link-islands"), 2, "needs unit geometry"),
        (("--units", "NH", "--id-col", "Precinct", "--state", "OR"), 2, "no units of OR"),
        (("--graph", "AR", "--state", "Arkansas"), 2, "--state needs a state column"),
        (("--graph", "AR", "--units", "NH"), 2, "one source only"),
        (("--graph", "AR", "--leave-col", "x", "--stay-col", "y"), 2, "column 'x'"),
    ],
)
def test_bad_input_gives_message_and_exit_code(
    cli, tmp_path: Path, data_dir: Path, args, code: int, message: str
) -> None:
    files = {
        "BINARY": write(tmp_path, "b.csv", b"\x00\x01\xff\xfe binary"),
        "UNKNOWN": write(tmp_path, "u.csv", "x,y\n1,2\n"),
        "LATIN1": write(tmp_path, "l.csv", "Doña Ana,y\n1,2\n".encode("cp1252")),
        "GOOD": write(tmp_path, "g.csv", "id,yes,no\na,1,2\n"),
        "JUNK": write(tmp_path, "junk.geojson", "{not json"),
        "BROKENJSON": write(tmp_path, "graph.json", '{"nodes": [1, 2'),
        "NOID": write(
            tmp_path,
            "noid.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"votes": 1}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}',
        ),
        "NH": data_dir / "nh-wards/NH.zip",
        "AR": data_dir / "graphs/ar-2525.json",
    }
    r = cli("data", "inspect", *[files.get(a, a) for a in args])
    assert r.exit_code == code, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_download_rejects_bad_years(cli, tmp_path: Path) -> None:
    r = cli("data", "download", "--years", "20x0", "--dest", tmp_path)
    assert r.exit_code == 2 and "'20x0' is not a year" in r.stderr


def test_data_options_load_like_the_command_line() -> None:
    from secession.cli.options import DataOptions, OnMismatch, Side

    loaded = DataOptions(states=("OR",), leave=Side.gop, on_mismatch=OnMismatch.drop).load()
    assert loaded.graph.n_units == 36 and loaded.graph.leave_label == "gop"
    assert loaded.report.policy == "drop"


def test_save_graph_to_missing_folder_is_a_clean_error(cli, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "or.npz"
    r = cli("data", "inspect", "--state", "OR", "--save-graph", target)
    assert r.exit_code == 2, r.output
    assert f"{target}: cannot write graph cache file" in r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("option", "content", "suffix", "needle"),
    [
        ("--graph", "id,leave\n", ".csv", "not valid JSON"),
        ("--graph", '{"a": 1}', ".json", "not a networkx JSON graph"),
        ("--units", '{"a": 1}', ".json", "not a readable boundary file"),
    ],
)
def test_wrong_kind_of_file_names_the_option(cli, tmp_path, option, content, suffix, needle):
    path = tmp_path / f"wrong{suffix}"
    path.write_text(content)
    r = cli("data", "inspect", option, path)
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert needle in r.stderr and f"given as {option}" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--leave-col", "ARV2016PRE"),
        ("--leave-col", "X", "--stay-col", "Y"),
        ("--state", "OR"),
    ],
)
def test_column_errors_do_not_question_the_file_kind(cli, data_dir: Path, args) -> None:
    r = cli("data", "inspect", "--graph", data_dir / "graphs/ar-2525.json", *args)
    assert r.exit_code == 2, r.output
    assert "column" in r.stderr and "Traceback" not in r.output
    assert "which expects" not in r.stderr
