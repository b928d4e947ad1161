"""Static snapshots: `secession publish` writes a self-contained folder; the same database
gives the same bytes; `audit verify --snapshot` checks it with no database and names the
file and element of any tampering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from secession.cli.app import run
from secession.snapshot.verify import verify_snapshot
from secession.transparency.checkpoint import Signer
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal

from .factories import CommunityFactory, UserFactory, add_member

SQUARE = json.dumps(
    {"type": "Polygon", "coordinates": [[[-90, 40], [-89, 40], [-89, 41], [-90, 41], [-90, 40]]]}
)


@pytest.fixture
def town(founder):
    """A town with a territory, a member who left, and a closed public vote."""
    c = CommunityFactory(
        name="Hill Town", founder=founder, territory_geojson=SQUARE, territory_crs="EPSG:4326"
    )
    voter, former = add_member(c, UserFactory(username="voter")), add_member(c)
    p = make_proposal(c, person=founder, kind="resolution", title="Public question")
    cast_vote(p, person=founder, choice="yes")
    cast_vote(p, person=voter, choice="no")
    close_proposal(p, force=True)
    leave_community(c, person=former)
    return c


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _publish(target: str, out: Path, *extra: str) -> int:
    return run(["publish", target, "--out", str(out), *extra])


def test_community_snapshot_is_complete_and_verifies(town, tmp_path, capsys):
    out = tmp_path / "town"
    assert _publish(town.slug, out) == 0
    names = set(_files(out))
    for page in ("index.html", "members.html", "proposals.html", "constitution.html", "audit.html"):
        assert page in names
    for data in (
        "memberships.json",
        "memberships.csv",
        "territory.geojson",
        "proposals.json",
        "votes.csv",
        "constitution.json",
        "popolo.json",
        "audit.json",
    ):
        assert f"data/{data}" in names
    assert {"territory.svg", "snapshot.css", "audit/head.json", "audit/proofs.json"} <= names
    members = (out / "members.html").read_text()
    assert "voter" in members and "still a member" in members
    assert "Public question" in (out / "proposals.html").read_text()
    for html in out.glob("*.html"):
        text = html.read_text()
        assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")
    result = verify_snapshot(out)
    assert result.ok, [p.describe() for p in result.problems]
    assert result.entries >= 8
    # every replay runs; the registry's two find no registry file here and pass empty
    assert result.replayed == [
        "memberships", "proposals", "votes", "declarations", "recognitions"
    ]  # fmt: skip
    capsys.readouterr()
    assert run(["audit", "verify", "--snapshot", str(out)]) == 0
    assert "is ok" in capsys.readouterr().out


def test_same_database_same_bytes_and_out_must_be_empty(town, tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    assert _publish(town.slug, first) == 0
    assert _publish(town.slug, second) == 0
    assert _files(first) == _files(second)
    assert _publish(town.slug, first) == 2
    assert "not empty" in capsys.readouterr().err
    assert _publish(town.slug, first, "--force") == 0
    assert _files(first) == _files(second)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    assert _publish(town.slug, other, "--force") == 2
    assert (other / "keep.txt").read_text() == "mine"


def test_site_snapshot_lists_every_community(town, community, tmp_path):
    out = tmp_path / "site"
    assert _publish("site", out) == 0
    index = (out / "index.html").read_text()
    assert "Hill Town" in index and "Riverside" in index
    assert verify_snapshot(out).ok


def test_unknown_target_is_a_clean_error(db, tmp_path, capsys):
    assert _publish("no-such-town", tmp_path / "r") == 1
    err = capsys.readouterr().err
    assert "no-such-town" in err and "registry" in err and "Traceback" not in err


def _edit(path: Path, change) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def _rewrite_manifest(out: Path) -> None:
    """What a careful forger does: recompute the manifest after the edit."""
    import hashlib

    manifest = json.loads((out / "snapshot.json").read_text())
    for name in manifest["files"]:
        manifest["files"][name] = hashlib.sha256((out / name).read_bytes()).hexdigest()
    (out / "snapshot.json").write_text(json.dumps(manifest))


def _set_row(name: str, match, **values):
    def change(doc):
        for row in doc["rows"]:
            if match(row):
                row.update(values)

    return change


TAMPERING = {
    "result": (
        "data/proposals.json",
        _set_row("proposals", lambda r: True, passed=True, yes=2, no=0),
        "data/proposals.json, proposal",
    ),
    "membership": (
        "data/memberships.json",
        _set_row("memberships", lambda r: r["left_at"] is not None, left_at=None),
        "data/memberships.json, person",
    ),
    "vote": (
        "data/votes.json",
        _set_row("votes", lambda r: r["voter"] == "voter", choice="yes"),
        "data/votes.json, proposal",
    ),
    "entry": (
        "data/audit.json",
        _set_row("audit", lambda r: r["action"] == "vote.cast", data={"choice": "abstain"}),
        "data/audit.json, entry",
    ),
    "proof": (
        "audit/proofs.json",
        lambda doc: doc["proofs"][0].update(path=["00" * 32, *doc["proofs"][0]["path"][1:]]),
        "audit/proofs.json, entry 1",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampering_is_reported_with_file_and_element(town, tmp_path, capsys, case):
    out = tmp_path / "town"
    assert _publish(town.slug, out) == 0
    name, change, where = TAMPERING[case]
    _edit(out / name, change)
    plain = verify_snapshot(out)
    assert not plain.ok and plain.problems[0].describe().startswith(name)
    _rewrite_manifest(out)  # even with the manifest redone, the facts do not replay
    redone = [p.describe() for p in verify_snapshot(out).problems]
    assert any(d.startswith(where) for d in redone), redone
    capsys.readouterr()
    assert run(["audit", "verify", "--snapshot", str(out)]) == 6
    err = capsys.readouterr().err
    assert "does not verify" in err and "Traceback" not in err


def test_head_signature_and_pinned_key(town, tmp_path, capsys):
    out = tmp_path / "town"
    assert _publish(town.slug, out) == 0
    head = json.loads((out / "audit/head.json").read_text())
    assert run(["audit", "verify", "--snapshot", str(out), "--key", head["verifier_key"]]) == 0
    other = Signer(head["origin"], Ed25519PrivateKey.generate()).verifier().key_text()
    capsys.readouterr()
    assert run(["audit", "verify", "--snapshot", str(out), "--key", other]) == 6
    assert "audit/head.json, signature" in capsys.readouterr().err
    _edit(
        out / "audit/head.json",
        lambda d: d.update(checkpoint=d["checkpoint"].replace("\n1", "\n9", 1)),
    )
    _rewrite_manifest(out)
    problems = verify_snapshot(out).problems
    assert problems and problems[0].file == "audit/head.json"


def test_not_a_snapshot_is_a_clean_error(tmp_path, capsys):
    assert run(["audit", "verify", "--snapshot", str(tmp_path)]) == 6
    assert "not a snapshot" in capsys.readouterr().err
