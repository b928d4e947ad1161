"""The registry's static snapshot: `secession publish registry` writes its pages, data files
(Popolo validated against the local schemas), the world map and the audit entries behind
every declaration and recognition; the same database gives the same bytes; `audit verify
--snapshot` checks it alone and names the file and element of any tampering."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from secession.cli.app import run
from secession.snapshot.verify import verify_snapshot

from .test_opendata import SCHEMA_OF, validators  # noqa: F401 (fixture)
from .test_registry import recognise, registry, withdraw  # noqa: F401 (fixture)
from .test_snapshots import _edit, _rewrite_manifest


@pytest.fixture
def recognised(registry):  # noqa: F811
    """Riverland and Lakeland recognise Northland; Riverland withdraws, then recognises it
    again; the Hill Nation recognises Riverland."""
    recognise(registry, "river", "north")
    recognise(registry, "lake", "north")
    withdraw(registry, "river", "north")
    recognise(registry, "river", "north")
    recognise(registry, "hill", "river")
    return registry


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _publish(out: Path, *extra: str) -> int:
    return run(["publish", "registry", "--out", str(out), *extra])


def test_registry_snapshot_is_complete_and_verifies(recognised, tmp_path, capsys):
    out = tmp_path / "registry"
    assert _publish(out) == 0
    names = set(_files(out))
    north = recognised["north"][0]
    for page in (
        "index.html",
        "declarations.html",
        "recognitions.html",
        "graph.html",
        "audit.html",
        f"people-{north.slug}.html",
        "world-map.html",
        "world-map.svg",
        "world-map.png",
        "world-map.json",
    ):
        assert page in names, page
    for data in ("peoples", "declarations", "recognitions", "audit"):
        assert {f"data/{data}.json", f"data/{data}.csv"} <= names
    assert {"data/rule.json", "data/world.json", "data/popolo.json", "audit/head.json"} <= names
    index = (out / "index.html").read_text()
    assert "Northland" in index and "Hill Nation" in index
    recognitions = json.loads((out / "data/recognitions.json").read_text())["rows"]
    assert len(recognitions) == 4 and sum(r["withdrawn_at"] is not None for r in recognitions) == 1
    people = (out / f"people-{north.slug}.html").read_text()
    assert "Riverland" in people and "Lakeland" in people
    world = (out / "world-map.html").read_text()
    assert 'aria-label="Northland:' in world and "http://" not in world.replace(
        "http://www.w3.org", ""
    )
    result = verify_snapshot(out)
    assert result.ok, [p.describe() for p in result.problems]
    assert {"declarations", "recognitions"} <= set(result.replayed)
    # every declaration and recognition is backed by its entry, and each vote's closing one
    entries = {e["seq"]: e for e in json.loads((out / "data/audit.json").read_text())["rows"]}
    for d in json.loads((out / "data/declarations.json").read_text())["rows"]:
        assert entries[d["vote_entry"]]["action"] == "proposal.closed"
    for r in recognitions:
        assert entries[r["audit_seq"]]["action"] == "registry.recognised"
    capsys.readouterr()
    assert run(["audit", "verify", "--snapshot", str(out)]) == 0
    assert "is ok" in capsys.readouterr().out


def test_same_database_same_bytes(recognised, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert _publish(first) == 0
    assert _publish(second) == 0
    assert _files(first) == _files(second)
    world = json.loads((first / "data/world.json").read_text())
    assert "as of" not in world["source"]  # no time of publishing in the map


def test_popolo_of_the_registry_validates_against_the_local_schemas(
    recognised,
    tmp_path,
    validators,  # noqa: F811
):
    out = tmp_path / "registry"
    assert _publish(out) == 0
    doc = json.loads((out / "data/popolo.json").read_text())
    assert "copy" in doc["notice"]
    checked = 0
    for key in ("organizations", "persons", "areas", "motions", "vote_events"):
        assert doc[key], key
        for obj in doc[key]:
            errors = list(validators[SCHEMA_OF[key]].iter_errors(obj))
            assert not errors, (key, obj, [e.message for e in errors])
            checked += 1
    names = {o["name"] for o in doc["organizations"]}
    assert {"Northland", "Riverland", "Lakeland", "Hill Nation"} <= names
    kinds = sorted(m["classification"] for m in doc["motions"])
    assert kinds.count("recognise") == 4 and kinds.count("withdraw_recognition") == 1
    assert checked >= 20


def _first(match, **values):
    def change(doc):
        row = next(r for r in doc["rows"] if match(r))
        row.update(values)

    return change


def _drop(match):
    def change(doc):
        doc["rows"] = [r for r in doc["rows"] if not match(r)]

    return change


TAMPERING = {
    "declaration text": (
        "data/declarations.json",
        _first(lambda r: True, title="Declaration of conquest"),
        "data/declarations.json, declaration",
    ),
    "declaration vote": (
        "data/declarations.json",
        _first(lambda r: True, yes=99),
        "data/declarations.json, declaration",
    ),
    "recogniser": (
        "data/recognitions.json",
        _first(lambda r: r["withdrawn_at"] is None, recogniser="Someone Else"),
        "data/recognitions.json, recognition",
    ),
    "withdrawal hidden": (
        "data/recognitions.json",
        _first(lambda r: r["withdrawn_at"] is not None, withdrawn_at=None),
        "data/recognitions.json, recognition",
    ),
    "recognition dropped": (
        "data/recognitions.json",
        _drop(lambda r: r["recogniser"] == "Lakeland"),
        "data/recognitions.json, entry",
    ),
    "entry": (
        "data/audit.json",
        _first(lambda r: r["action"] == "registry.recognised", data={"recogniser": "X"}),
        "data/audit.json, entry",
    ),
}


def test_tampering_is_reported_with_file_and_element(recognised, tmp_path, capsys):
    """One snapshot (drawing the map takes seconds), a fresh copy of it for each case."""
    published = tmp_path / "registry"
    assert _publish(published) == 0
    for case, (name, change, where) in sorted(TAMPERING.items()):
        out = tmp_path / case.replace(" ", "-")
        shutil.copytree(published, out)
        _edit(out / name, change)
        plain = verify_snapshot(out)
        assert not plain.ok and plain.problems[0].describe().startswith(name), case
        _rewrite_manifest(out)  # even with the manifest redone, the facts do not replay
        redone = [p.describe() for p in verify_snapshot(out).problems]
        assert any(d.startswith(where) for d in redone), (case, redone)
        capsys.readouterr()
        assert run(["audit", "verify", "--snapshot", str(out)]) == 6, case
        err = capsys.readouterr().err
        assert "does not verify" in err and name in err and "Traceback" not in err, case
