"""`secession publish TARGET --lang es|fr`: the pages of a snapshot in that language, the
data and audit files the same bytes as in English (they are data), two publishes in one
language the same bytes, and `audit verify --snapshot` passing on each."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format

from secession.cli.app import run
from secession.snapshot.verify import verify_snapshot

from .test_registry import registry  # noqa: F401 (fixture)
from .test_registry_snapshot import recognised  # noqa: F401 (fixture)
from .test_snapshots import town  # noqa: F401 (fixture)

# sentences and labels the English templates and publishers write: none may remain on a
# page in another language (data, such as a name or a proposal's title, stays as written)
ENGLISH = (
    "a static copy, published from a secession platform",
    "Pages of this copy",
    "Every fact here is backed by an entry of the audit log",
    "Check this copy with",
    "Governance:",
    "Status:",
    "Founded",
    "Map of the territory of",
    "The territory as GeoJSON",
    "In this copy",
    "memberships in all",
    "Proposals and results",
    "Audit log entries",
    "Open data",
    "Public data of",
    "Anyone may copy",
    "Every membership, past and present",
    "still a member",
    "Members of",
    "Proposals of",
    "Constitution of",
    "Audit log of",
    "Every proposal, oldest first",
    "eligible members voted",
    "Passes when",
    "No constitution has been adopted",
    "Leaf hash",
    "inclusion proof",
    "oldest first",
    "Memberships, past and present, with their dates",
    "Registry of free peoples",
    "Every people with a declaration in force",
    "shown as recognised once",
    "recognised by at least",
    "registered peoples",
    "members together",
    "Still missing",
    "Recognition graph",
    "World map",
    "Who recognises",
    "Whom",
    "Every declaration ever published",
    "A declaration of",
    "It is in force",
    "The vote",
    "yes,",
    "abstaining",
    "Recorded in audit entry",
    "This declaration as data",
    "Every recognition ever made",
    "An arrow from each recogniser",
    "sees it",
    "Earlier declarations",
    "indigenous nation",
    "Territory of",
)
# a word every page in that language shows (the footer's)
FOOTER = {"es": "registro de auditoría", "fr": "journal d'audit"}
MONTHS = {
    "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
           "diciembre"),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}  # fmt: skip


def _files(root: Path, *folders: str) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and (not folders or p.relative_to(root).parts[0] in folders)
    }


def _text(page: Path) -> str:
    """The words a reader sees (and hears: alt, aria-label, title) on ``page``, but for
    texts written by people (a constitution, a declaration: shown as written)."""
    source = re.sub(r'<div class="text">.*?</div>', " ", page.read_text(), flags=re.S)
    labels = " ".join(re.findall(r'(?:alt|aria-label)="([^"]*)"', source))
    body = re.sub(r"<[^>]+>", " ", source)
    return html.unescape(f"{body} {labels}")


def _publish(target: str, out: Path, *extra: str) -> int:
    return run(["publish", target, "--out", str(out), *extra])


@pytest.fixture
def targets(request):
    """``community``: the town; ``registry``: the recognised peoples."""

    def target(kind: str) -> str:
        if kind == "registry":
            request.getfixturevalue("recognised")
            return "registry"
        return request.getfixturevalue("town").slug

    return target


@pytest.mark.parametrize("kind", ["community", "registry"])
def test_pages_in_the_language_data_and_audit_the_same(targets, tmp_path, capsys, kind):
    target = targets(kind)
    english = tmp_path / "en"
    assert _publish(target, english) == 0
    en_data = _files(english, "data", "audit")
    assert en_data and all(name.startswith(("data/", "audit/")) for name in en_data)
    for name in sorted(english.glob("*.html")):  # the list is of English sentences
        if name.name.startswith("world-map"):
            continue
        assert '<html lang="en">' in name.read_text()
    assert "Every fact here is backed" in _text(english / "index.html")
    for lang in ("es", "fr"):
        out, again = tmp_path / lang, tmp_path / f"{lang}-again"
        assert _publish(target, out, "--lang", lang) == 0
        assert _publish(target, again, "--lang", lang) == 0
        assert _files(out) == _files(again), "two publishes in one language differ"
        assert _files(out, "data", "audit") == en_data, "the data must not depend on --lang"
        manifest = json.loads((out / "snapshot.json").read_text())
        assert manifest["lang"] == lang
        pages = sorted(p for p in out.glob("*.html") if not p.name.startswith("world-map"))
        assert len(pages) >= (5 if kind == "community" else 10)
        for page in pages:
            assert f'<html lang="{lang}">' in page.read_text(), page.name
            text = _text(page)
            left = [s for s in ENGLISH if s in text]
            assert left == [], (lang, page.name, left)
            assert FOOTER[lang] in text, (lang, page.name)
        # days as the web pages write them, in the language's month names
        index = _text(out / "index.html")
        assert any(month in index for month in MONTHS[lang].split()), index
        result = verify_snapshot(out)
        assert result.ok, [p.describe() for p in result.problems]
        capsys.readouterr()
        assert run(["audit", "verify", "--snapshot", str(out)]) == 0
        assert "is ok" in capsys.readouterr().out


def test_community_pages_say_it_in_spanish(town, tmp_path):  # noqa: F811
    out = tmp_path / "es"
    assert _publish(town.slug, out, "--lang", "es") == 0
    index = _text(out / "index.html")
    founded = datetime.fromisoformat(
        json.loads((out / "data/community.json").read_text())["rows"][0]["created_at"]
    )
    with translation.override("es"):
        day = date_format(founded, "j F Y")
    assert f"Fundada el {day}" in index
    assert "Gobierno: Asamblea de todos los miembros" in index
    assert "Datos públicos publicados por la comunidad Hill Town" in index
    members = _text(out / "members.html")
    assert "Miembros de Hill Town" in members and "sigue siendo miembro" in members
    proposals = _text(out / "proposals.html")
    assert "Public question" in proposals  # the title is the community's own words
    assert "Rechazada" in proposals or "Aprobada" in proposals
    assert "1 sí, 1 no, 0 abstenciones" in proposals
    # the data file keeps the notice in English
    data = json.loads((out / "data/community.json").read_text())
    assert data["notice"].startswith("Public data of the community Hill Town")


def test_registry_pages_say_it_in_french(recognised, tmp_path):  # noqa: F811
    out = tmp_path / "fr"
    assert _publish("registry", out, "--lang", "fr") == 0
    index = _text(out / "index.html")
    assert "Registre des peuples libres" in index
    assert "reconnu par au moins 3" in index  # the rule in French
    peoples = json.loads((out / "data/peoples.json").read_text())["rows"]
    assert any("registered peoples" in p["missing"] for p in peoples)  # data: in English
    assert "(nation autochtone)" in index
    north = recognised["north"][0]
    people = _text(out / f"people-{north.slug}.html")
    assert "Reconnu par" in people and "Qui reconnaît Northland" in people
    world = (out / "world-map.html").read_text()
    assert 'lang="fr"' in world


def test_unknown_language_is_a_clean_error(town, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "xx"
    assert _publish(town.slug, out, "--lang", "xx") == 2
    err = capsys.readouterr().err
    assert "--lang must be one of en (English), es (Español), fr (Français), not 'xx'" in err
    assert "Traceback" not in err
    assert not out.exists()  # nothing written
