"""``render_plan_outputs``: the files of one plan, with and without geometry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mapcheck import as_number, hand_plan, html_table

from secession.maps import render_plan_outputs


def test_writes_static_interactive_and_report(ia_plan, tmp_path: Path) -> None:
    written = render_plan_outputs(ia_plan, tmp_path, title="Iowa in three")
    names = ["map.png", "map.svg", "map.html", "report.html", "units.json"]
    assert [p.name for p in written] == names
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "map.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "Iowa in three" in svg
    report = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64," in report and 'href="map.html"' in report
    # the headline table: stranded voters are counted one by one from the votes
    g = ia_plan.graph
    leaves = ia_plan.country > 0
    rows = dict((r[0], r[1]) for r in html_table(report, "countries")[1:])
    assert rows  # country rows present
    body = html_table(report, "countries")
    total = dict(zip(body[0], body[-1], strict=True))
    assert as_number(total["stranded voters"]) == round(
        g.leave[~leaves].sum() + g.stay[leaves].sum()
    )
    assert as_number(total["units"]) == 99
    # each new country is placed by its most populous county (2010 census, TOTPOP)
    assert "largest: Linn, Iowa" in report and "largest: Woodbury, Iowa" in report


def test_without_geometry_only_the_report(ia_graph, tmp_path: Path) -> None:
    bare = replace(ia_graph, geometry=None)
    plan = hand_plan(bare, (bare.leave > bare.stay).astype(int), ["stay", "dem"])
    (tmp_path / "map.png").write_bytes(b"stale")
    written = render_plan_outputs(plan, tmp_path)
    assert [p.name for p in written] == ["report.html", "units.json"]
    assert not (tmp_path / "map.png").exists()
    assert "no geometry" in (tmp_path / "report.html").read_text()


def test_given_map_data_is_used_not_recomputed(ia_plan, tmp_path: Path, monkeypatch) -> None:
    import secession.maps.render as render
    from secession.maps import map_data

    data = map_data(ia_plan, title="Iowa in three")

    def fail(*args, **kwargs):
        raise AssertionError("map_data recomputed although data was given")

    monkeypatch.setattr(render, "map_data", fail)
    written = render_plan_outputs(ia_plan, tmp_path, title="Iowa in three", data=data)
    assert [p.name for p in written][:3] == ["map.png", "map.svg", "map.html"]


def test_unwritable_out_is_a_clear_error(ia_plan, tmp_path: Path) -> None:
    import pytest

    from secession.exceptions import DataError

    (tmp_path / "file").write_text("x")
    with pytest.raises(DataError, match="cannot write the output folder"):
        render_plan_outputs(ia_plan, tmp_path / "file" / "out")
