"""``secession scenario --lang es|fr``: the comparison page and each scenario's report in the
chosen language."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest

from secession.cli.app import run

NBSP = "\u00a0"
#: language -> (the page's headings, texts it shows, "Summary", the states scenario's label)
WORDS = {
    "es": (("Escenarios", "Mapas", "Configuración"),
           ("Comparación de escenarios: se separan los votantes de", "Estados enteros",
            "Condados, un solo país nuevo", "proporción satisfecha", "país restante contiguo"),
           "Resumen", "Estados enteros:"),
    "fr": (("Scénarios", "Cartes", "Paramètres"),
           (f"Comparaison de scénarios{NBSP}: les électeurs de", "États entiers",
            "Comtés, un seul nouveau pays", "part satisfaite", "pays restant d'un seul tenant"),
           "Résumé", f"États entiers{NBSP}:"),
}  # fmt: skip


@pytest.fixture(scope="module", params=sorted(WORDS))
def comparison(request, tmp_path_factory, data_dir) -> tuple[str, Path]:
    lang = request.param
    out = tmp_path_factory.mktemp(f"scenario-{lang}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECESSION_DATA", str(data_dir))
        code = run(
            ["scenario", "states", "counties", "--state", "OR", "--state", "ID", "--solver",
             "fast", "--swing", "none", "--monte-carlo", "0", "--quiet", "--lang", lang,
             "--out", str(out)]
        )  # fmt: skip
    assert code == 0
    return lang, out


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', " ", html)))


def test_comparison_page_is_in_its_language(comparison: tuple[str, Path]) -> None:
    lang, out = comparison
    headings, texts, _summary, _label = WORDS[lang]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    for heading in headings:
        assert f"<h2>{heading}</h2>" in html
    text = _text(html)
    for words in texts:
        assert words in text, words
    for english in ("Scenario comparison", "Whole states", "satisfied share", "Settings",
                    "What if the places", "remaining country contiguous"):  # fmt: skip
        assert english not in text


def test_each_scenario_report_is_in_its_language(comparison: tuple[str, Path]) -> None:
    lang, out = comparison
    _headings, _texts, summary, label = WORDS[lang]
    html = (out / "states" / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert f"<h2>{summary}</h2>" in html and label in _text(html)
    assert "Summary" not in _text(html)


def test_scenario_lang_xx_fails_before_any_work(tmp_path: Path) -> None:
    assert run(["scenario", "states", "--state", "OR", "--lang", "xx", "--out", str(tmp_path)]) != 0
    assert not (tmp_path / "report.html").exists()
