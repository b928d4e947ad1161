"""``secession scenario --lang es``: the comparison page and each scenario's report in Spanish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secession.cli.app import run


@pytest.fixture(scope="module")
def spanish_comparison(tmp_path_factory, data_dir) -> Path:
    out = tmp_path_factory.mktemp("scenario-es")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECESSION_DATA", str(data_dir))
        code = run(
            ["scenario", "states", "counties", "--state", "OR", "--state", "ID", "--solver",
             "fast", "--swing", "none", "--monte-carlo", "0", "--quiet", "--lang", "es",
             "--out", str(out)]
        )  # fmt: skip
    assert code == 0
    return out


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', " ", html))


def test_comparison_page_is_in_spanish(spanish_comparison: Path) -> None:
    html = (spanish_comparison / "report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    for heading in ("Escenarios", "Mapas", "Configuración"):
        assert f"<h2>{heading}</h2>" in html
    text = _text(html)
    assert "Comparación de escenarios: se separan los votantes de" in text
    assert "Estados enteros" in text and "Condados, un solo país nuevo" in text
    assert "proporción satisfecha" in text and "país restante contiguo" in text
    for english in ("Scenario comparison", "Whole states", "satisfied share", "Settings",
                    "What if the places", "remaining country contiguous"):  # fmt: skip
        assert english not in text


def test_each_scenario_report_is_in_spanish(spanish_comparison: Path) -> None:
    html = (spanish_comparison / "states" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert "<h2>Resumen</h2>" in html and "Estados enteros:" in html
    assert "Summary" not in _text(html)


def test_scenario_lang_xx_fails_before_any_work(tmp_path: Path) -> None:
    assert run(["scenario", "states", "--state", "OR", "--lang", "xx", "--out", str(tmp_path)]) != 0
    assert not (tmp_path / "report.html").exists()
