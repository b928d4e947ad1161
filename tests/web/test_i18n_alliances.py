"""The alliances pages in Spanish (issue 18): every page of the alliances app, signed out
and as a member, on real objects made through the actions, reads in Spanish with
Accept-Language: es and not in English; refusals reach the API's JSON detail in Spanish."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from .test_alliances_pages import league_world

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture
def world(db):
    return league_world()


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


@pytest.fixture
def town(db):
    from secession.web.apps.constitutions.actions import adopt_version
    from secession.web.apps.proposals.actions import make_proposal
    from secession.web.apps.translations.actions import add_translation

    from .factories import CommunityFactory, UserFactory, add_member

    founder = UserFactory(username="founder")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    community = CommunityFactory(name="Ash", founder=founder)
    add_member(community, member)
    v1 = adopt_version(community, "Article 1. We are free.", person=founder)
    amendment = make_proposal(
        community,
        person=member,
        kind="amend_constitution",
        title="Article 2",
        payload={"text": "Article 1. We are free.\nArticle 2. We share."},
    )
    t = add_translation(v1, person=member, language="es", text="Artículo 1. Somos libres.")
    return {
        "c": community,
        "member": member,
        "outsider": outsider,
        "v1": v1,
        "amendment": amendment,
        "t": t,
    }


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_constitution_pages_read_in_spanish(town, who):
    client = client_for(town, who)
    current = client.get("/constitutions/ash/", **ES).content.decode()
    assert "Constitución de" in current and "(texto fundacional)" in current
    assert "Regla para enmendarla:" in current and "Votaciones sobre la constitución" in current
    assert "Constitution of" not in current and "Votes on the constitution" not in current
    version = client.get("/constitutions/ash/v/1/", **ES).content.decode()
    assert "versión 1" in version and "Todas las versiones" in version
    assert "All versions" not in version
    community = client.get("/communities/ash/", **ES).content.decode()
    assert ", adoptada el" in community and "Léala junto con su historial" in community
    proposal = client.get(town["amendment"].get_absolute_url(), **ES).content.decode()
    assert "El texto siguiente pasa a ser la constitución de Ash" in proposal
    assert "The text below becomes" not in proposal


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider"])
def test_translation_pages_read_in_spanish(town, who):
    client = client_for(town, who)
    listing = client.get(f"/translations/constitution/{town['v1'].pk}/", **ES).content.decode()
    assert "Traducciones de" in listing and "El original es el texto votado." in listing
    assert "Translations of" not in listing and "The original is the voted text" not in listing
    if who == "member":
        assert "Añadir la traducción" in listing and "Idiomas de este sitio:" in listing
        assert "Una etiqueta de idioma (BCP 47)" in listing
    else:
        assert "Solo los miembros de la comunidad a la que pertenece el texto" in listing
    detail = client.get(f"/translations/{town['t'].pk}/", **ES).content.decode()
    assert "Original (el texto votado)" in detail and "Traducida por member el" in detail
    assert "Translated by" not in detail
    panel = client.get("/constitutions/ash/", **ES).content.decode()
    assert "Traducciones (no son el texto votado)" in panel


def test_translation_refusals_in_spanish(town):
    client = client_for(town, "member")
    url = f"/translations/constitution/{town['v1'].pk}/"
    bad = client.post(url, {"language": "not a tag!", "text": "x"}, **ES).content.decode()
    assert "no es una etiqueta de idioma" in bad and "is not a language tag" not in bad
    added = client.post(url, {"language": "fr", "text": "Nous sommes libres."}, follow=True, **ES)
    assert "Traducción añadida." in added.content.decode()
    outsider = client_for(town, "outsider")
    answer = outsider.post(
        f"/api/translations/constitution/{town['v1'].pk}",
        json.dumps({"language": "es", "text": "x"}),
        content_type="application/json",
        **ES,
    )
    assert answer.status_code == 403
    assert answer.json()["detail"].startswith("solo los miembros de la comunidad")
    empty = client.post(
        f"/api/translations/constitution/{town['v1'].pk}",
        json.dumps({"language": "es", "text": " "}),
        content_type="application/json",
        **ES,
    )
    assert empty.status_code in (400, 422) and "la traducción está vacía" in json.dumps(
        empty.json(), ensure_ascii=False
    )


def test_a_constitution_refusal_reaches_the_api_in_spanish(town):
    same = client_for(town, "member").post(
        "/api/proposals",
        json.dumps(
            {
                "community": "ash",
                "kind": "amend_constitution",
                "title": "Same",
                "payload": {"text": "Article 1. We are free."},
            }
        ),
        content_type="application/json",
        **ES,
    )
    assert same.status_code == 400
    assert same.json()["detail"] == "el texto nuevo es igual que la constitución vigente"
