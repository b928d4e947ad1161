"""The alliances pages in Spanish (issue 18): every page of the alliances app, signed out
and as a member, on real objects made through the actions, reads in Spanish with
Accept-Language: es and not in English; refusals reach the API's JSON detail in Spanish."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from secession.web.apps.alliances.actions import post_pledge
from secession.web.apps.alliances.decisions import make_alliance_proposal

from .alliance_world import make_league, make_people

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture
def world(db):
    w = make_league(make_people())
    w["proposal"] = make_alliance_proposal(
        w["league"],
        person=w["ann"],
        community=w["ashford"],
        kind="amend_charter",
        title="Harvests",
        payload={"text": "We share harvests.\n", "admission": "open"},
    )
    w["pledge"] = post_pledge(
        w["league"], person=w["bea"], community=w["brook"], kind="request", title="Seed"
    )
    return w


def client_for(world, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world[who])
    return client


# (page, Spanish sentences that must be there, the English ones that must not)
PAGES = [
    (
        "/alliances/",
        ["Las comunidades se unen en alianzas", "3 comunidades miembro"],
        ["Communities stand together", "member communities"],
    ),
    (
        "/alliances/valley-league/",
        [
            "3 comunidades miembro.",
            "Tablón de ayuda mutua",
            "Cómo deciden las comunidades miembro",
            "Una comunidad, un voto",
            "abierta hasta el",
            "Petición",
        ],
        ["Board of mutual aid", "How the member communities decide", "open until", "Request"],
    ),
    (
        "/alliances/valley-league/members/",
        ["Historial de miembros de", "fundadora", "admitida por votación"],
        ["Membership history of", "admitted by vote"],
    ),
    (
        "/alliances/valley-league/charter/",
        ["Carta de", "Versión 1, vigente desde el", "(texto fundacional)", "Condiciones:"],
        ["in force since", "Terms:", "Votes on the charter"],
    ),
    (
        "/alliances/valley-league/charter/v/1/",
        ["versión 1", "Adoptada el", "Todas las versiones"],
        ["Adopted", "All versions"],
    ),
    (
        "/alliances/proposals/{p}/",
        [
            "Enmendar la carta",
            "Propuesta por",
            "Votación abierta hasta el",
            "votan 3 comunidades miembro",
            "Si se aprueba:",
            "El texto siguiente pasa a ser la carta de Valley League",
            "Cómo votó cada comunidad",
            "Su propia votación está abierta",
            "todavía no",
        ],
        ["Proposed by", "If it passes:", "How each community voted", "not yet"],
    ),
    (
        "/communities/brook/",
        ["miembro desde el", "Emite sus votos sobre las propuestas de la alianza a través de"],
        ["member since", "It casts its votes"],
    ),
]


@pytest.mark.parametrize("who", ["anonymous", "bea"])
@pytest.mark.parametrize(("path", "spanish", "english"), PAGES)
def test_alliance_pages_read_in_spanish(world, who, path, spanish, english):
    page = client_for(world, who).get(path.format(p=world["proposal"].pk), **ES)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<html lang="es">' in text
    for sentence in spanish:
        assert sentence in text, sentence
    for sentence in english:
        assert sentence not in text, sentence


def test_member_sees_actions_in_spanish(world):
    client = client_for(world, "bea")
    text = client.get("/alliances/valley-league/", **ES).content.decode()
    assert "Hacer una propuesta de la alianza" in text and "Ofrecer o pedir ayuda" in text
    assert "Cerrar «Seed»" in text and "Make an alliance proposal" not in text
    chooser = client.get("/alliances/valley-league/propose/", **ES).content.decode()
    assert "¿Qué tipo de propuesta?" in chooser and "Cambiar una regla de decisión" in chooser
    assert "Change a decision rule" not in chooser
    form = client.get("/alliances/valley-league/propose/?kind=amend_charter", **ES)
    text = form.content.decode()
    assert "El texto completo nuevo de la carta" in text and "Admisión de nuevos miembros" in text
    assert "Hacer la propuesta" in text and "Make the proposal" not in text
    pledge = client.get("/alliances/valley-league/pledges/new/", **ES).content.decode()
    assert "Oferta o petición" in pledge and "Todo lo que hay en el tablón es público." in pledge


def test_flash_messages_in_spanish(world):
    client = client_for(world, "bea")
    page = client.post(
        "/alliances/valley-league/pledges/new/",
        {"community": "brook", "kind": "offer", "title": "Tools", "details": ""},
        follow=True,
        **ES,
    )
    assert "Publicado en el tablón." in page.content.decode()
    page = client.post(
        f"/alliances/pledges/{world['pledge'].pk}/close/",
        {"status": "fulfilled", "note": ""},
        follow=True,
        **ES,
    )
    assert "El compromiso está cerrado." in page.content.decode()


def test_a_refusal_reaches_the_page_in_spanish(world):
    page = client_for(world, "oz").get("/alliances/valley-league/propose/", **ES)
    assert page.status_code == 403
    text = page.content.decode()
    assert "Solo los miembros de las comunidades miembro de la alianza" in text
    assert "Only members" not in text


def test_refusals_reach_the_api_in_spanish(world):
    client = client_for(world, "bea")
    slug = world["league"].slug

    def post(body):
        return client.post(
            f"/api/alliances/{slug}/proposals",
            json.dumps(body),
            content_type="application/json",
            **ES,
        )

    unknown = post({"community": "brook", "kind": "x", "title": "t"})
    assert unknown.status_code == 400
    assert "tipo de propuesta de la alianza desconocido" in unknown.json()["detail"]
    same = post(
        {
            "community": "brook",
            "kind": "amend_charter",
            "title": "t",
            "payload": {"text": "Same.\n", "admission": "bogus"},
        }
    )
    assert same.status_code == 400
    assert "admission debe ser uno de estos valores" in same.json()["detail"]
    english = client.post(
        f"/api/alliances/{slug}/proposals",
        json.dumps({"community": "brook", "kind": "x", "title": "t"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "unknown alliance proposal kind" in english.json()["detail"]


def test_a_community_kind_refusal_in_spanish(world):
    """Joining an alliance Brook is already in: the community proposal is refused in
    Spanish (a kind the alliances app adds to communities)."""
    client = client_for(world, "bea")
    answer = client.post(
        "/api/proposals",
        json.dumps(
            {
                "community": "brook",
                "kind": "join_alliance",
                "title": "Again",
                "payload": {"alliance": "valley-league"},
            }
        ),
        content_type="application/json",
        **ES,
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["detail"] == "Brook ya es miembro de Valley League"
