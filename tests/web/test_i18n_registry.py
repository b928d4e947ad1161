"""The registry in Spanish (issue 18): its pages, made from real declarations and
recognitions passed by vote, read in Spanish with ``Accept-Language: es``; the kinds'
labels, help and descriptions; the API's refusals in the request's language (English by
default)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import translation

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.proposals.actions import make_proposal

from .factories import UserFactory
from .test_i18n_accounts import ES, back_to_english, spanish  # noqa: F401 (the fixture)
from .test_registry import four_peoples, recognise


@pytest.fixture
def registry(db):
    """The four registered peoples of ``test_registry``, declared by their votes."""
    return four_peoples()


#: texts of the registry's templates that must not show on a Spanish page
ENGLISH = [
    "Registry of free peoples",
    "Who recognises whom",
    "Recognised by",
    "Recognises",
    "Status:",
    "registered people",
    "The vote",
    "Recorded in the audit log",
    "Show the history",
    "Download the map",
    "Previous",
    "Page ",
]


def no_english(html: str) -> None:
    for en in ENGLISH:
        assert en not in html, en


def test_registry_index_in_spanish(registry):
    recognise(registry, "river", "north")
    html = spanish(Client(), "/registry/")
    assert "Registro de pueblos libres" in html
    assert "reconocido por al menos 3 pueblos registrados" in html  # the rule in words
    assert "4 pueblos declarados" in html
    assert "Declaración de independencia" in html and "Declaración de soberanía" in html
    assert "nación indígena" in html and "1 pueblo" in html
    assert "(1 de 3 pueblos registrados)" in html  # Northland's shortfall
    no_english(html)


def test_people_page_in_spanish(registry):
    recognise(registry, "river", "north")
    html = spanish(Client(), "/registry/peoples/northland/")
    assert "Estado: <strong>declarado</strong>: aún no se cumple la regla del registro" in html
    assert "Reconocido por" in html and "Quién reconoce" in html and "propuesta " in html
    assert "El mapa tal como lo ve Northland" in html
    assert "Nadie todavía." not in html and "Ningún pueblo todavía." in html
    history = spanish(Client(), "/registry/peoples/northland/?history=1")
    assert "Mostrar solo los reconocimientos vigentes" in history and "Retirado" in history
    no_english(html)


def test_declaration_page_in_spanish(registry):
    north = registry["north"][0]
    page = Client().get("/registry/", **ES)
    assert page.status_code == 200
    from secession.web.apps.registry.models import Declaration

    d = Declaration.objects.get(community=north)
    html = spanish(Client(), d.get_absolute_url())
    assert "por votación de" in html and "Se separa de" in html
    assert "votaron 2 de 2 (voto secreto; electorado: los miembros)" in html
    assert "Anotada en el registro de auditoría como entrada" in html
    assert "Esta declaración en JSON" in html
    no_english(html)
    hill = Declaration.objects.get(community=registry["hill"][0])
    html = spanish(Client(), hill.get_absolute_url())
    assert "Reclamada por el Estado" in html and "La tierra" in html


def test_graph_and_map_pages_in_spanish(registry):
    recognise(registry, "river", "north")
    graph = spanish(Client(), "/registry/graph/")
    assert "Quién reconoce a quién" in graph and "(1 reconocimiento)" in graph
    assert "Azul: reconocido según la regla del registro" in graph
    no_english(graph)
    world = spanish(Client(), "/registry/map/")
    assert (
        "Regla de reconocimiento: se muestra como reconocido una vez reconocido por al menos 3"
        in world
    )
    assert "Ver el mapa como" in world and "Pueblos de este mapa" in world
    no_english(world)
    english = Client().get("/registry/map/").content.decode()  # the map is cached per language
    assert (
        "See the map as" in english
        and "Recognition rule: shown as recognised once recognised by at least 3" in english
    )


def test_map_page_in_french_draws_the_map_in_french(registry):
    """The analysis catalogue speaks French too, so the map itself (legend, table head,
    tooltip words) follows a French page, not only the page around it."""
    from secession.web.apps.registry.worldmap import map_language

    recognise(registry, "river", "north")
    r = Client().get("/registry/map/", HTTP_ACCEPT_LANGUAGE="fr")
    assert r.status_code == 200
    world = r.content.decode()
    assert '"recognised_by":"Reconnu par\u00a0:"' in world  # the tooltip's words
    assert "Les pays tels que les dessine Natural Earth" in world
    assert "Countries as Natural Earth draws them" not in world
    with translation.override("fr"):
        assert map_language() == "fr"
    with translation.override("de"):
        assert map_language() == "en"


def test_community_page_section_in_spanish(registry):
    recognise(registry, "river", "north")
    html = spanish(Client(), registry["north"][0].get_absolute_url())
    assert "En el registro de pueblos libres" in html
    assert "reconocido por 1 pueblo" in html and "reconoce a 0 pueblos" in html
    assert "In the registry of free peoples" not in html


def test_kinds_speak_spanish(registry):
    from secession.web.apps.proposals import kinds

    with translation.override("es"):
        assert kinds.label("recognise") == "Reconocer a un pueblo"
        assert kinds.get("declare_sovereignty").help.startswith("Una nación indígena")
        river, voters = registry["river"]
        p = make_proposal(
            river, person=voters[0], kind="recognise", title="x", payload={"people": "lakeland"}
        )
        assert kinds.get("recognise").describe(p) == (
            "Riverland reconoce a Lakeland como pueblo independiente; el registro de pueblos "
            "lo publica."
        )
    html = spanish(Client(), p.get_absolute_url())
    assert "Riverland reconoce a Lakeland como pueblo independiente" in html


@pytest.mark.parametrize(
    "payload, es, en",
    [
        ({"people": "northland"}, "un pueblo no se reconoce a sí mismo", "does not recognise"),
        ({"people": "nowhere"}, "no existe la comunidad 'nowhere'", "no community 'nowhere'"),
        ({}, "indique el pueblo", "name the people"),
    ],
)
def test_api_refusals_of_the_registry_in_the_request_language(registry, payload, es, en):
    token = create_token(registry["north"][1][0])
    body = json.dumps(
        {"community": "northland", "kind": "recognise", "title": "x", "payload": payload}
    )
    for lang, said in [("es", es), (None, en)]:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if lang:
            extra["HTTP_ACCEPT_LANGUAGE"] = lang
        r = Client().post("/api/proposals", body, content_type="application/json", **extra)
        assert r.status_code == 400 and said in r.json()["detail"], (lang, r.json())


def test_api_rule_errors_in_spanish(registry):
    admin = UserFactory(username="admin", is_superuser=True)
    r = Client().put(
        "/api/registry/rule",
        json.dumps({"min_peoples": -1}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + create_token(admin),
        **ES,
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "min_peoples debe ser un número entero, 0 o mayor (se recibió -1)"
    r = Client().get("/api/registry/peoples/greater-valley", **ES)
    assert r.status_code == 404
    assert r.json()["detail"] == "Greater Valley no ha publicado ninguna declaración"


def test_error_pages_and_api_addresses_in_spanish(db):
    html = spanish(Client(), "/no/such/page/", status=404)
    assert "No encontrado" in html and "Ver las comunidades" in html
    assert "Not found" not in html and "There is no page" not in html
    r = Client().get("/api/no/such/address", **ES)
    assert r.status_code == 404 and r.json() == {"detail": "No existe esa dirección de la API."}
    r = Client().get("/api/no/such/address")
    assert r.json() == {"detail": "No such API address."}
