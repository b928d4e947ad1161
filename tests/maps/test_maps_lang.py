"""``--lang``: the plan report and maps in Spanish, and the analysis catalogue complete."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from secession.cli.app import run
from secession.i18n import LANGUAGES, LOCALE_DIR, gettext_for

PO = LOCALE_DIR / "es" / "LC_MESSAGES" / "secession.po"
MO = PO.with_suffix(".mo")
HEADINGS = ["Resumen", "Países", "Contigüidad", "Mapa", "Restricciones", "Datos"]


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = _catalogue()
    assert len(po) > 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_mo_says_what_po_says():
    po = _catalogue()
    mo = polib.mofile(str(MO))
    compiled = {(e.msgid, e.msgid_plural): (e.msgstr, e.msgstr_plural) for e in mo}
    for e in po:
        assert compiled[(e.msgid, e.msgid_plural)] == (e.msgstr, e.msgstr_plural), e.msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="Debian's gettext is not installed")
def test_msgfmt_check_format_passes(tmp_path):
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "x.mo"), str(PO)], check=True)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="Debian's gettext is not installed")
def test_catalogue_lists_exactly_the_marked_strings(tmp_path):
    """``scripts/i18n-analysis.sh``'s extraction would neither add nor drop an entry."""
    pot = tmp_path / "secession.pot"
    subprocess.run(
        ["bash", "scripts/i18n-analysis.sh", "--pot", str(pot)],
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    marked = {(e.msgid, e.msgid_plural) for e in polib.pofile(str(pot))}
    assert marked == {(e.msgid, e.msgid_plural) for e in _catalogue()}


def test_unknown_language_names_the_languages():
    with pytest.raises(Exception, match=r"`lang` must be one of en \(English\), es \(Español\)"):
        gettext_for("xx")
    assert set(LANGUAGES) == {"en", "es"}


def test_cli_lang_xx_exits_nonzero_with_one_message(capsys, tmp_path):
    code = run(["map", str(tmp_path), "--lang", "xx"])
    assert code != 0
    err = capsys.readouterr().err
    assert "--lang must be one of en (English), es (Español), not 'xx'" in err
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def spanish_plan(tmp_path_factory, data_dir):
    out = tmp_path_factory.mktemp("es")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECESSION_DATA", str(data_dir))
        code = run(
            [
                "plan",
                "--state",
                "OR",
                "--leave",
                "gop",
                "--solver",
                "fast",
                "--lang",
                "es",
                "--out",
                str(out),
            ]
        )
    assert code == 0
    return out


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_spanish_report_has_spanish_headings_and_no_english_leftovers(spanish_plan):
    html = (spanish_plan / "report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert [h for h in HEADINGS if f"<h2>{h}</h2>" not in html] == []
    text = _visible_text(html)
    leftovers = [
        e.msgid
        for e in _catalogue()
        if e.msgid != e.msgstr
        and "{" not in e.msgid
        and re.search(rf"(?<![\w-]){re.escape(e.msgid)}(?![\w-])", text)
    ]
    assert leftovers == []
    for english in ("Summary", "satisfied voters", "Remaining country", "Constraints"):
        assert english not in text
    assert "votantes satisfechos" in text and "País restante" in text


def test_spanish_interactive_map_legend_and_tooltips(spanish_plan):
    html = (spanish_plan / "map.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert "varada: la mayoría de la unidad votó por el otro lado" in html
    assert '"tie":"empate"' in html
    assert "stranded: the unit" not in html and "Hover a unit" not in html
