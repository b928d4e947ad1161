"""``secession world-map``: from a plan folder or a world-map document; clear errors, no
tracebacks, non-zero exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "world-peoples.json"
FILES = (
    "world-map.png",
    "world-map.svg",
    "world-map.html",
    "world-map.json",
    "world-map-checks.json",
)


@pytest.fixture(scope="module")
def plan_dir(orwa_plan, tmp_path_factory) -> Path:
    from secession.plan.output import write_plan

    out = tmp_path_factory.mktemp("orwa-plan")
    write_plan(orwa_plan, out)
    return out


def test_plan_on_the_world(cli, plan_dir: Path, tmp_path: Path) -> None:
    r = cli("world-map", "--plan", plan_dir, "--out", tmp_path)
    assert r.exit_code == 0, r.output
    for name in FILES:
        assert (tmp_path / name).stat().st_size > 1_000, name
        assert str(tmp_path / name) in r.stdout
    assert "0 recognised, 2 declared" in r.stderr
    checks = json.loads((tmp_path / "world-map-checks.json").read_text())
    (us,) = checks["countries"]
    assert us["country"] == "United States of America" and us["relative_error"] < 1e-6
    assert us["kept_km2"] + us["given_km2"] == pytest.approx(us["original_km2"], rel=1e-6)
    assert {p["name"] for p in checks["peoples"]} == {
        "New country cascadia-or",
        "New country cascadia-wa",
    }
    # the document written beside the map draws the same map again
    again = tmp_path / "again"
    r = cli("world-map", "--peoples", tmp_path / "world-map.json", "--out", again)
    assert r.exit_code == 0, r.output
    redrawn = json.loads((again / "world-map-checks.json").read_text())
    assert redrawn["peoples"] == checks["peoples"]
    assert (again / "world-map.html").read_text() == (tmp_path / "world-map.html").read_text()


def test_document_on_the_world(cli, tmp_path: Path) -> None:
    r = cli("world-map", "--peoples", EXAMPLE, "--out", tmp_path, "--title", "Test title")
    assert r.exit_code == 0, r.output
    assert "1 recognised, 5 declared, 1 contested" in r.stderr
    assert "Test title" in (tmp_path / "world-map.html").read_text()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("--plan", "{plan}", "--peoples", str(EXAMPLE)), 2, "give one of --plan DIR or --pe"),
        (("--plan", "{plan}", "--as", "north"), 2, "--database-url and --as read the registry"),
        (("--left", "Canada"), 2, "--left applies to --plan only"),
        (("--peoples", "{tmp}/none.json"), 3, "none.json: no such file"),
        (("--plan", "{tmp}"), 3, "assignment.csv: missing"),
        (("--peoples", str(EXAMPLE), "--left", "Canada"), 2, "--left applies to --plan only"),
        (("--plan", "{plan}", "--left", "Atlantis"), 2, "no country 'Atlantis'"),
    ],
)
def test_errors_are_clear(cli, plan_dir, tmp_path, args, code, message) -> None:
    args = [a.format(plan=plan_dir, tmp=tmp_path) for a in args]
    r = cli("world-map", "--out", tmp_path / "out", *args)
    assert r.exit_code == code, r.output
    assert message in r.stderr and "Traceback" not in r.output


def test_bad_rows_name_the_file_and_the_people(cli, tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text())
    doc["peoples"][2]["status"] = "independent"
    bad = tmp_path / "peoples.json"
    bad.write_text(json.dumps(doc))
    r = cli("world-map", "--peoples", bad, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert f"{bad}: peoples[2] (Example Ridge).status: 'independent'" in r.stderr
    doc = json.loads(EXAMPLE.read_text())
    doc["peoples"][0]["left"] = "Brazil"  # a box in Australia
    bad.write_text(json.dumps(doc))
    r = cli("world-map", "--peoples", bad, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "Example Northland (northland): its territory does not overlap Brazil" in r.stderr
    bad.write_text('{"peoples": [')
    r = cli("world-map", "--peoples", bad, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "not valid JSON" in r.stderr and "line 1" in r.stderr
    assert not (tmp_path / "out" / "world-map.png").exists()


def test_unwritable_out_is_a_clear_error(cli, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    r = cli("world-map", "--peoples", EXAMPLE, "--out", tmp_path / "file" / "out")
    assert r.exit_code == 2 and "cannot write the output folder" in r.stderr
