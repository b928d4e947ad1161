"""``--lang``: the plan report and maps in Spanish and French, and the analysis catalogues
complete (every language of :data:`secession.i18n.LANGUAGES` but English)."""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from secession.cli.app import run
from secession.i18n import LANGUAGES, LOCALE_DIR, gettext_for

#: The translated languages: each is held to the same checks.
TRANSLATED = [code for code in LANGUAGES if code != "en"]
NBSP = "\u00a0"
#: language -> the report's section headings
HEADINGS = {
    "es": ["Resumen", "Países", "Contigüidad", "Mapa", "Restricciones", "Datos"],
    "fr": ["Résumé", "Pays", "Contiguïté", "Carte", "Contraintes", "Données"],
}


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "secession.po"


def _catalogue(lang: str = "es") -> polib.POFile:
    return polib.pofile(str(_po(lang)))


def test_every_language_has_a_catalogue_and_headings():
    assert TRANSLATED == ["es", "fr"]
    assert sorted(HEADINGS) == TRANSLATED


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(lang):
    po = _catalogue(lang)
    assert len(po) > 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.metadata["Language"] == lang


@pytest.mark.parametrize("lang", TRANSLATED)
def test_mo_says_what_po_says(lang):
    po = _catalogue(lang)
    mo = polib.mofile(str(_po(lang).with_suffix(".mo")))
    compiled = {(e.msgid, e.msgid_plural): (e.msgstr, e.msgstr_plural) for e in mo}
    for e in po:
        assert compiled[(e.msgid, e.msgid_plural)] == (e.msgstr, e.msgstr_plural), e.msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="Debian's gettext is not installed")
@pytest.mark.parametrize("lang", TRANSLATED)
def test_msgfmt_check_format_passes(tmp_path, lang):
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(tmp_path / "x.mo"), str(_po(lang))], check=True
    )


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> set[tuple[str, str]]:
    """The strings ``scripts/i18n-analysis.sh`` extracts from the analysis packages."""
    pot = tmp_path_factory.mktemp("pot") / "secession.pot"
    subprocess.run(
        ["bash", "scripts/i18n-analysis.sh", "--pot", str(pot)],
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return {(e.msgid, e.msgid_plural) for e in polib.pofile(str(pot))}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="Debian's gettext is not installed")
@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_lists_exactly_the_marked_strings(marked, lang):
    """The extraction would neither add nor drop an entry of the catalogue."""
    assert marked == {(e.msgid, e.msgid_plural) for e in _catalogue(lang)}


def test_french_catalogue_uses_french_typography():
    """A no-break space before ``: ; ? !`` (as the web catalogue), never a plain one."""
    po = _catalogue("fr")
    texts = [t for e in po for t in (e.msgstr, *e.msgstr_plural.values()) if t]
    assert [t for t in texts if re.search(r" [:;?!]", t)] == []
    assert any(f"{NBSP}:" in t for t in texts)


def test_french_words_match_the_web_catalogue():
    """The same words as the platform's French pages: camp (side), comté, pays restant."""
    _ = gettext_for("fr")
    assert _("side") == "camp"
    assert _("Remaining country ({side} side)").format(side="GOP") == "Pays restant (camp GOP)"
    assert _("Counties, one new country") == "Comtés, un seul nouveau pays"
    assert _("solver") == "solveur" and _("seed") == "graine"


def test_unknown_language_names_the_languages():
    with pytest.raises(
        Exception, match=r"`lang` must be one of en \(English\), es \(Español\), fr \(Français\)"
    ):
        gettext_for("xx")
    assert set(LANGUAGES) == {"en", "es", "fr"}


def test_cli_lang_xx_exits_nonzero_with_one_message(capsys, tmp_path):
    code = run(["map", str(tmp_path), "--lang", "xx"])
    assert code != 0
    err = capsys.readouterr().err
    assert "--lang must be one of en (English), es (Español), fr (Français), not 'xx'" in err
    assert "Traceback" not in err


#: language -> (texts the plan report shows, texts its interactive map shows)
PLAN_TEXTS = {
    "es": (["votantes satisfechos", "País restante"],
           ["varada: la mayoría de la unidad votó por el otro lado", '"tie":"empate"']),
    "fr": (["électeurs satisfaits", "Pays restant (camp", "nouveau pays pour les électeurs de gop"],
           ["laissée de l'autre côté : la majorité de l'unité a voté pour l'autre camp".replace(
               " :", NBSP + ":"), '"tie":' + json.dumps("égalité"),
            '"margin":' + json.dumps(f"Écart{NBSP}:")]),
}  # fmt: skip


@pytest.fixture(scope="module", params=TRANSLATED)
def translated_plan(request, tmp_path_factory, data_dir) -> tuple[str, Path]:
    lang = request.param
    out = tmp_path_factory.mktemp(lang)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECESSION_DATA", str(data_dir))
        code = run(
            ["plan", "--state", "OR", "--leave", "gop", "--solver", "fast", "--lang", lang,
             "--out", str(out)]
        )  # fmt: skip
    assert code == 0
    return lang, out


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', " ", html)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", html))


def test_translated_report_has_its_headings_and_no_english_leftovers(translated_plan):
    lang, out = translated_plan
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert [h for h in HEADINGS[lang] if f"<h2>{h}</h2>" not in html] == []
    text = _visible_text(html)
    leftovers = [
        e.msgid
        for e in _catalogue(lang)
        if e.msgid != e.msgstr
        and "{" not in e.msgid
        and re.search(rf"(?<![\w-]){re.escape(e.msgid)}(?![\w-])", text)
    ]
    assert leftovers == []
    for english in ("Summary", "satisfied voters", "Remaining country", "Constraints"):
        assert english not in text
    for words in PLAN_TEXTS[lang][0]:
        assert words in text, words


def test_translated_interactive_map_legend_and_tooltips(translated_plan):
    lang, out = translated_plan
    html = (out / "map.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    for words in PLAN_TEXTS[lang][1]:
        assert words in html_module.unescape(html), words
    assert "stranded: the unit" not in html and "Hover a unit" not in html


EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture(scope="module")
def spanish_world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world-es")
    code = run(
        ["world-map", "--peoples", str(EXAMPLES / "world-peoples.json"), "--lang", "es",
         "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    return out


def test_spanish_world_map_has_spanish_title_legend_and_tooltips(spanish_world):
    html = (spanish_world / "world-map.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    text = _visible_text(html)
    assert "Regla de reconocimiento:" in text and "Pueblos en este mapa" in text
    assert "Países tal como los dibuja Natural Earth" in text  # the legend
    assert "reconocido por" in text and "superficie (km²)" in text  # the table's head
    assert '"recognised_by":"Reconocido por:"' in html  # the tooltip's words
    assert re.search(r"\d+ reconocidos?, \d+ declarados?", text)  # the line under the title
    for english in ("Recognition rule", "Peoples on this map", "Countries as Natural Earth",
                    "Hover or focus", " recognised, ", "no one yet"):  # fmt: skip
        assert english not in text


def test_world_map_default_title_in_spanish(tmp_path):
    """A document without a title gets the map's own title in the map's language."""
    from dataclasses import replace

    from secession.maps.world.doc import read_world_doc
    from secession.maps.world.render import render_world_map

    doc = replace(read_world_doc(EXAMPLES / "world-peoples.json"), title=None)
    _, wm = render_world_map(doc, tmp_path, base_dir=EXAMPLES, lang="es")
    assert wm.title == "Pueblos libres en el mapa del mundo"
    html = (tmp_path / "world-map.html").read_text(encoding="utf-8")
    assert "<h1>Pueblos libres en el mapa del mundo</h1>" in html


def test_french_world_map_has_french_title_legend_and_tooltips(tmp_path):
    code = run(
        ["world-map", "--peoples", str(EXAMPLES / "world-peoples.json"), "--lang", "fr",
         "--out", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    html = (tmp_path / "world-map.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    text = _visible_text(html)
    assert f"Règle de reconnaissance{NBSP}:" in text and "Peuples sur cette carte" in text
    assert "Les pays tels que les dessine Natural Earth" in text  # the legend
    assert "reconnu par" in text and "superficie (km²)" in text  # the table's head
    assert f'"recognised_by":"Reconnu par{NBSP}:"' in html  # the tooltip's words
    assert re.search(r"\d+ reconnus?, \d+ déclarés?", text)  # the line under the title
    for english in ("Recognition rule", "Peoples on this map", "Countries as Natural Earth",
                    "Hover or focus", " recognised, ", "no one yet"):  # fmt: skip
        assert english not in text
