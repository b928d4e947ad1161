"""The accounts and notifications apps in Spanish (issue 18): the account page, the votes
page, password and delete messages, the notices section and the unsubscribe page read in
Spanish with ``Accept-Language: es``; the API's refusals of these apps answer in the
request's language; a person's chosen language is kept (switcher, notices form) and their
email notices are written in it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.notifications.tokens import make_token
from secession.web.apps.proposals.actions import cast_vote, make_proposal

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture(autouse=True)
def back_to_english():
    """LocaleMiddleware leaves the last request's language active in the thread: the
    tests after these run in English, as the site's default."""
    yield
    translation.deactivate()


def spanish(client: Client, url: str, *, status: int = 200, **kw) -> str:
    r = client.get(url, **ES, **kw)
    assert r.status_code == status, (url, r.status_code)
    html = r.content.decode()
    assert '<html lang="es"' in html
    return html


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_account_page_and_notices_section_in_spanish(db):
    person = UserFactory(username="ana")
    town = CommunityFactory(name="Pinar", founder=person)
    assert town.pk
    html = spanish(logged_in(person), "/accounts/me/")
    for es in [
        "Su cuenta: ana",
        "Membresías",
        "Descargar todos sus datos (JSON)",
        "Crear un token de la API",
        "Eliminar su cuenta",
        "Saldrá de todas las comunidades.",
        "Avisos por correo electrónico",
        "Cuando se abra una votación en la que puedo votar",
        "Guardar mis avisos",
        "Su contraseña, para confirmar",
    ]:
        assert es in html, es
    for en in ["Your account", "Memberships", "Delete my account", "Save my notices", "Email"]:
        assert en not in html, en


def test_votes_page_lists_a_waiting_vote_in_spanish(db):
    founder = UserFactory(username="ana")
    town = CommunityFactory(name="Pinar", founder=founder)
    make_proposal(town, person=founder, kind="resolution", title="Campanas")
    html = spanish(logged_in(founder), "/accounts/me/votes/")
    assert "Esperan su voto (1)" in html and "Campanas" in html and "cierra en" in html
    assert "Aún no hay resultados de votaciones en las que haya participado." in html
    assert "Waiting for your vote" not in html and "closes in" not in html


def test_password_and_delete_messages_in_spanish(db):
    person = UserFactory(username="ana")
    c = logged_in(person)
    assert "Contraseña actual" in spanish(c, "/accounts/me/password/")
    r = c.post(
        "/accounts/me/password/",
        {"old_password": "wrong-one-entirely", "new_password": "a-new-long-password-9"},
        **ES,
    )
    assert "la contraseña actual no es correcta" in r.content.decode()
    r = c.post("/accounts/me/delete/", {"password": "not it"}, follow=True, **ES)
    html = r.content.decode()
    assert "La contraseña no es correcta; la cuenta no se ha eliminado." in html
    assert "account was not deleted" not in html


def test_notices_form_errors_and_saved_message_in_spanish(db):
    person = UserFactory(username="ana")
    c = logged_in(person)
    r = c.post("/notices/preferences/", {"on_open": "on"}, **ES)
    assert r.status_code == 400
    assert "indique una dirección de correo para recibir avisos" in r.content.decode()
    r = c.post("/notices/preferences/", {"email": "no es una dirección"}, **ES)
    assert "Escriba una dirección de correo completa" in r.content.decode()
    r = c.post(
        "/notices/preferences/", {"email": "ana@example.org", "on_open": "on"}, follow=True, **ES
    )
    assert "Se ha guardado su elección de avisos por correo." in r.content.decode()
    person.refresh_from_db()
    assert person.language == "es"  # saved with the notices: emails follow it


def test_unsubscribe_page_in_spanish(db):
    person = UserFactory(username="ana", email="ana@example.org")
    url = f"/notices/stop/{make_token(person)}/"
    anonymous = Client()
    assert "Dejar de recibir todos los avisos" in spanish(anonymous, url)
    r = anonymous.post(url, **ES)
    assert "Hecho: Ana no recibirá más avisos por correo." in r.content.decode()
    html = spanish(anonymous, "/notices/stop/1:forged/", status=404)
    assert "Este enlace no es válido" in html and "This link is not valid" not in html


def test_switching_language_while_logged_in_is_kept_and_audited(db):
    person = UserFactory(username="ana")
    c = logged_in(person)
    r = c.post("/i18n/setlang/", {"language": "es", "next": "/accounts/me/"})
    assert r.status_code == 302 and r.cookies["django_language"].value == "es"
    person.refresh_from_db()
    assert person.language == "es"
    assert AuditEntry.objects.filter(action="account.language_chosen").count() == 1
    c.post("/i18n/setlang/", {"language": "es", "next": "/"})  # the same again: no new row
    assert AuditEntry.objects.filter(action="account.language_chosen").count() == 1
    # an unknown code changes nothing (Django's view ignores it too)
    c.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    person.refresh_from_db()
    assert person.language == "es"
    # logging in again elsewhere brings the pages back in Spanish
    fresh = Client()
    r = fresh.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert r.status_code == 302 and r.cookies["django_language"].value == "es"
    assert '<html lang="es"' in fresh.get("/accounts/me/").content.decode()


def test_anonymous_switch_stores_nothing(db):
    r = Client().post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert r.status_code == 302 and r.cookies["django_language"].value == "es"
    assert not AuditEntry.objects.filter(action="account.language_chosen").exists()


def test_email_notices_in_each_recipients_language(
    db, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SECESSION_SITE_URL = "http://testserver"
    founder = UserFactory(username="founder", email="founder@example.org")
    town = CommunityFactory(name="Pinar", founder=founder)
    ana = add_member(town, UserFactory(username="ana"))
    c = logged_in(ana)
    c.post(  # Ana chooses her notices from a Spanish page: her emails are Spanish
        "/notices/preferences/",
        {"email": "ana@example.org", "on_open": "on", "on_result": "on"},
        **ES,
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal = make_proposal(town, person=founder, kind="resolution", title="Campanas")
    by_address = {m.to[0]: m for m in mailoutbox}
    spanish_notice, english_notice = (
        by_address["ana@example.org"],
        by_address["founder@example.org"],
    )
    assert spanish_notice.subject == "Votación abierta en Pinar: Campanas"
    assert "Hola, Ana:" in spanish_notice.body
    assert "usted forma parte de su electorado" in spanish_notice.body
    assert "La votación cierra el" in spanish_notice.body
    assert "Dejar de recibir todos los correos" in spanish_notice.body
    assert "Voting" not in spanish_notice.body and "Hello" not in spanish_notice.body
    assert english_notice.subject == "Vote open in Pinar: Campanas"  # no choice: English
    assert "Hello Founder," in english_notice.body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for voter in (founder, ana):
            cast_vote(proposal, person=voter, choice="yes")  # the last closes it
    result = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    assert result.subject == "Aprobada en Pinar: Campanas"
    assert "Resultado: aprobada (cerrada el" in result.body
    assert "Result:" not in result.body and "closed on" not in result.body


def test_api_refusals_of_accounts_follow_the_request_language(db):
    UserFactory(username="ana")
    wrong = {"username": "ana", "password": "not the password"}
    es = Client().post(
        "/api/accounts/token", wrong, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert es.status_code == 401
    assert es.json() == {"detail": "nombre de usuario o contraseña incorrectos"}
    en = Client().post("/api/accounts/token", wrong, content_type="application/json")
    assert en.status_code == 401 and en.json() == {"detail": "wrong username or password"}
    taken = {"username": "ana", "password": "another-long-password-1"}
    es = Client().post("/api/accounts/register", taken, content_type="application/json", **ES)
    assert (
        es.status_code == 400 and es.json()["detail"] == "el nombre de usuario 'ana' ya está en uso"
    )
    cookie = Client()
    cookie.cookies["django_language"] = "es"  # the switcher's cookie works as well
    r = cookie.post("/api/accounts/register", taken, content_type="application/json")
    assert r.json()["detail"] == "el nombre de usuario 'ana' ya está en uso"
