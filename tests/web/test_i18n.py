"""The interface in more than one language (issue 18): the Spanish catalogue is complete,
up to date with the marked sources and well-formed; pages follow Accept-Language and the
header's switcher; a person in a real browser switches to Spanish, joins and votes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from tests.web.factories import UserFactory, add_member
from tests.web.test_browser import Person, chromium_browser  # noqa: F401 (the fixture)

WEB = Path(settings.WEB_ROOT)
ENFORCED = [code for code, _name in settings.LANGUAGES if code != "en"]


def catalogue(code: str) -> Path:
    return WEB / "locale" / code / "LC_MESSAGES" / "django.po"


def needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} not found: install Debian's gettext (scripts/setup.sh --system)")


@pytest.mark.parametrize("code", ENFORCED)
def test_every_string_is_translated_and_none_fuzzy(code):
    po = polib.pofile(str(catalogue(code)))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {code}: {untranslated}"
    assert not fuzzy, f"fuzzy in {code}: {fuzzy}"
    assert len(po) > 100  # the catalogue is the real one, not an empty file


@pytest.mark.parametrize("code", ENFORCED)
def test_msgfmt_check_format_passes(code, tmp_path):
    needs("msgfmt")
    run = subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "--check-header",
            "-o",
            str(tmp_path / "x.mo"),
            str(catalogue(code)),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("code", ENFORCED)
def test_committed_mo_matches_the_po(code):
    """The compiled catalogue Django loads says what the .po says (recompile after edits:
    docs/translation.md)."""
    po = polib.pofile(str(catalogue(code)))
    mo = polib.mofile(str(catalogue(code).with_suffix(".mo")))

    def pairs(entries):
        return {
            (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in entries
            if e.msgid
        }

    assert pairs(mo) == pairs(e for e in po if not e.obsolete)


def _without_creation_date(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "POT-Creation-Date" not in line)


@pytest.mark.parametrize("code", ENFORCED)
def test_makemessages_would_change_nothing(code, tmp_path):
    """Run makemessages exactly as docs/translation.md says, on a copy of the package's
    web folder: the catalogue it writes equals the committed one."""
    needs("xgettext")
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "secession.web.config.settings_test"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            code,
            "--no-location",
            "--no-obsolete",
            "-e",
            "html,txt,py",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    fresh = (copy / "locale" / code / "LC_MESSAGES" / "django.po").read_text()
    assert _without_creation_date(fresh) == _without_creation_date(catalogue(code).read_text()), (
        "makemessages changes the catalogue: run it (docs/translation.md) and translate"
    )


def test_a_page_follows_accept_language(client, community):
    spanish = client.get(community.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    text = spanish.content.decode()
    assert '<html lang="es">' in text
    assert "Comunidades" in text and "Iniciar sesión" in text and "Miembros" in text
    assert "Inicie sesión</a> para unirse." in text
    english = client.get(community.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()
    assert "Log in</a> to join." in english.content.decode()


def test_form_labels_and_errors_in_spanish(client, db):
    page = client.post(
        reverse("accounts:register"),
        {"username": "ana", "password": "x" * 12, "password_again": "y" * 12},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    text = page.content.decode()
    assert "Nombre de usuario" in text and "Contraseña (otra vez)" in text
    assert "Las dos contraseñas no coinciden: escríbalas otra vez." in text
    login = client.post(
        reverse("accounts:login"),
        {"username": "ana", "password": "wrong-password"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "Nombre de usuario o contraseña incorrectos." in login.content.decode()


def test_dates_follow_the_language(client, community):
    from secession.web.apps.proposals.actions import make_proposal

    member = add_member(community, UserFactory(username="voter"))
    proposal = make_proposal(community, person=member, kind="resolution", title="Plaza")
    page = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    month = {
        1: "enero",
        2: "febrero",
        3: "marzo",
        4: "abril",
        5: "mayo",
        6: "junio",
        7: "julio",
        8: "agosto",
        9: "septiembre",
        10: "octubre",
        11: "noviembre",
        12: "diciembre",
    }[proposal.opened_at.month]
    assert month in page.content.decode()


def test_the_switcher_sets_the_language(client, community):
    page = client.get(reverse("home"))
    assert 'action="/i18n/setlang/"' in page.content.decode()
    back = client.post(
        reverse("set_language"), {"language": "es", "next": community.get_absolute_url()}
    )
    assert back.status_code == 302 and back["Location"] == community.get_absolute_url()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # the choice wins over the browser's Accept-Language
    text = client.get(community.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in text and "Miembros" in text


def test_join_leave_and_vote_messages_in_spanish(client, community):
    from secession.web.apps.proposals.actions import make_proposal

    person = UserFactory(username="lucia")
    client.force_login(person)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.post(reverse("communities:join", args=[community.slug]), follow=True)
    assert f"Se ha unido a {community.name}." in page.content.decode()
    proposal = make_proposal(community, person=person, kind="resolution", title="Plaza")
    page = client.post(reverse("proposals:vote", args=[proposal.pk]), {}, follow=True)
    assert "Elija sí, no o abstención." in page.content.decode()
    page = client.post(
        reverse("proposals:vote", args=[proposal.pk]), {"choice": "yes"}, follow=True
    )
    assert "Su voto ha quedado registrado." in page.content.decode()
    page = client.post(reverse("communities:leave", args=[community.slug]), follow=True)
    assert f"Ha salido de {community.name}." in page.content.decode()


@pytest.mark.browser
def test_story_in_spanish(chromium_browser, live_server, password):  # noqa: F811
    """Eva switches to Spanish, joins, makes a proposal through the form, votes and reads
    the result: every step in Spanish."""
    from tests.web.factories import CommunityFactory

    from secession.web.apps.communities.models import Community
    from secession.web.apps.proposals.actions import cast_vote
    from secession.web.apps.proposals.models import Proposal

    founder = UserFactory(username="fundadora")
    valley = CommunityFactory(name="Valle Libre", founder=founder)
    eva = Person(chromium_browser, live_server.url, "eva", phone=True)
    eva.register(password)  # in English: the browser asks for English

    eva.go(valley.get_absolute_url())
    eva.page.get_by_label("Language").select_option("es")
    eva.page.get_by_role("button", name="Change language").click()
    eva.page.get_by_role("button", name="Unirse a Valle Libre").wait_for()
    assert eva.page.locator("html").get_attribute("lang") == "es"
    eva.page.get_by_role("button", name="Unirse a Valle Libre").click()
    eva.page.get_by_text("Se ha unido a Valle Libre.").wait_for()
    eva.page.get_by_text("2 miembros.").wait_for()
    eva.shot("es-01-joined")
    assert Community.objects.get(pk=valley.pk).member_count == 2

    # the propose form, in Spanish: the kinds, the labels, an error at its field
    eva.page.get_by_role("link", name="Hacer una propuesta").click()
    eva.page.get_by_text("¿Qué tipo de propuesta?").wait_for()
    eva.page.get_by_role("link", name="Resolución").click()
    eva.page.get_by_role("heading", name="Resolución — Valle Libre").wait_for()
    eva.page.get_by_label("Explicación").fill("En el centro del valle.")
    eva.page.get_by_role("button", name="Hacer la propuesta").click()
    eva.page.get_by_role("heading", name="Hay un problema").wait_for()
    assert eva.page.title().startswith("Error:")
    eva.shot("es-02-propose-error")
    eva.page.get_by_label("Título").fill("Una plaza")
    eva.page.get_by_role("button", name="Hacer la propuesta").click()
    eva.page.get_by_text("Propuesta hecha; la votación está abierta.").wait_for()
    proposal = Proposal.objects.get(community=valley, title="Una plaza")
    assert proposal.author.username == "eva" and proposal.body == "En el centro del valle."
    eva.page.get_by_text("Propuesta de eva.").wait_for()

    eva.page.get_by_label("Sí", exact=True).check()
    eva.page.get_by_role("button", name="Emitir mi voto").click()
    eva.page.get_by_text("Su voto ha quedado registrado.").wait_for()
    eva.page.get_by_text("Ya ha votado en esta propuesta.").wait_for()
    eva.page.get_by_text("Hasta ahora: sí 1, no 0, abstención 0.").wait_for()
    eva.shot("es-03-voted")
    assert proposal.ballots.get(voter__username="eva").choice == "yes"

    # the founder votes last (in the database: the story is Eva's); the vote closes and
    # Eva reads the result in Spanish
    cast_vote(proposal, person=founder, choice="yes")
    eva.page.reload()
    assert eva.page.locator("#result").inner_text() == "aprobada"
    body = eva.page.locator("main").inner_text()
    for words in (
        "Resultado: aprobada",
        "Sí 2, no 0, abstención 0.",
        "Se cerró porque todos los miembros con derecho a voto han votado.",
    ):
        assert words in body, (words, body)
    assert "eva\tsí" in body and "Fundadora\tsí" in body  # the public votes
    words = set(re.findall(r"\w+", body))
    english = {"Result", "passed", "Proposed", "Closed", "eligible", "members", "yes", "the"}
    assert not words & english, (words & english, body)
    eva.shot("es-04-result")


def test_french_pages_messages_and_switcher(client, community):
    """The third language end to end: a page by Accept-Language, the switcher offering
    it in its own name, then join, vote and leave with their messages in French."""
    from secession.web.apps.proposals.actions import make_proposal

    page = client.get(community.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert '<html lang="fr">' in text
    assert "Communautés" in text and "Membres" in text and "Se connecter" in text
    assert "Connectez-vous</a> pour la rejoindre." in text
    assert ">Français<" in text  # the switcher names each language in its own words
    person = UserFactory(username="camille")
    client.force_login(person)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.post(reverse("communities:join", args=[community.slug]), follow=True)
    assert f"Vous avez rejoint {community.name}." in page.content.decode()
    proposal = make_proposal(community, person=person, kind="resolution", title="Place")
    page = client.post(reverse("proposals:vote", args=[proposal.pk]), {}, follow=True)
    assert "Choisissez oui, non ou abstention." in page.content.decode()
    page = client.post(
        reverse("proposals:vote", args=[proposal.pk]), {"choice": "yes"}, follow=True
    )
    text = page.content.decode()
    assert "Votre vote est enregistré." in text and "Your vote is recorded." not in text
    page = client.post(reverse("communities:leave", args=[community.slug]), follow=True)
    assert f"Vous avez quitté {community.name}." in page.content.decode()
