"""The planner in Spanish and French (issue 18): its pages on a real Oregon plan run by the
Dask worker (list, new, the done plan's detail with its edit section, compare, uploads),
with Accept-Language es and fr, read in that language and not in English; the texts its
scripts show come in the page's language; its refusals reach the API's JSON detail in
Spanish; the opt-in referendum kind speaks both languages."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.test import Client
from django.utils import translation

from secession.scenario.parallel import dask_client
from secession.web.apps.planner.dispatch import Dispatcher
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.proposals import kinds

from .factories import UserFactory
from .test_planner import OREGON

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"
#: language -> (sentences the pages must show, English sentences they must not)
DETAIL = {
    "es": (
        ["Estado:", "Votantes en el país que eligieron", "Editar a mano", "Unidades que mover",
         "Comprobar estos movimientos", "Llevar el plan a la plataforma", "Descargas",
         "Mapa interactivo del plan", "Solo tú puedes ver este plan.", "Borrar este plan",
         "terminado", "Países nuevos", "País restante (lado dem)", "País nuevo (lado gop)"],
        ["Edit by hand", "Units to move", "Check these moves", "Voters in the country they chose",
         "Only you can see this plan.", "Delete this plan", "Take the plan into the platform",
         "Remaining country", "every country is contiguous", "is cut off at"],
    ),
    "fr": (
        [f"Statut{NBSP}:", "Électeurs dans le pays qu'ils ont choisi", "Modifier à la main",
         "Unités à déplacer", "Vérifier ces déplacements",
         "Faire entrer le plan dans la plateforme", "Téléchargements",
         "Vous seul pouvez voir ce plan.", "Supprimer ce plan", "terminé",
         "Nouveaux pays", "Pays restant (camp dem)", "Nouveau pays (camp gop)"],
        ["Edit by hand", "Units to move", "Check these moves", "Voters in the country they chose",
         "Only you can see this plan.", "Delete this plan", "Take the plan into the platform",
         "Remaining country", "every country is contiguous", "is cut off at"],
    ),
}  # fmt: skip
PAGES = {
    "/plans/": {
        "es": ["Planes de frontera", "Tus planes", "Comparar los planes elegidos"],
        "fr": ["Plans de frontière", "Vos plans", "Comparer les plans choisis"],
        "en": ["Border plans", "Your plans", "Compare the chosen plans"],
    },
    "/plans/new/": {
        "es": ["Planificar una frontera", "Nombre de este plan", "Qué lado se va",
               "Fijar condados haciendo clic en un mapa", "Empezar el plan", "Solucionador"],
        "fr": ["Planifier une frontière", "Nom de ce plan", "Quel camp part",
               "Verrouiller des comtés en cliquant sur une carte", "Lancer le plan", "Solveur"],
        "en": ["Name of this plan", "Which side leaves", "Lock counties by clicking a map",
               "Start the plan"],
    },
    "/plans/uploads/": {
        "es": ["Tus conjuntos de datos subidos", "Subir un conjunto de datos",
               "Un archivo con geometría y votos", "Subir y luego elegir las columnas"],
        "fr": ["Vos jeux de données importés", "Importer un jeu de données",
               "Un fichier avec géométrie et votes", "Importer, puis choisir les colonnes"],
        "en": ["Your uploaded datasets", "Upload a dataset", "One file with geometry and votes",
               "Upload, then choose the columns"],
    },
}  # fmt: skip


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _page(client: Client, path: str, lang: str) -> str:
    r = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200, (path, r.status_code)
    return r.content.decode()


def _texts(html: str) -> dict:
    start = html.index('<script id="planner-texts" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_planner_pages_read_in_spanish_and_french():
    owner = UserFactory(username="planes")
    client = Client()
    client.force_login(owner)
    r = client.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert r.status_code == 201, r.content
    with dask_client(workers=1, processes=False) as dask:
        Dispatcher(dask).run_until_idle(timeout=300)
    job = PlanJob.objects.get(pk=r.json()["id"])
    assert job.status == "done", job.message
    from django.utils.html import escape

    from secession.plan.contiguity import Contiguity
    from secession.web.apps.planner import present as shown

    judged = Contiguity.from_dict(shown.summary(job)["contiguity"])
    english = _page(client, f"/plans/{job.pk}/", "en")
    assert "Remaining country (dem side)" in english and "New country (gop side)" in english
    assert escape(judged.sentence("en")) in english
    # the framed map in the page's language; the download is the file as written
    framed = {
        lang: b"".join(client.get(f"/plans/{job.pk}/files/map.html",
                                  HTTP_ACCEPT_LANGUAGE=lang).streaming_content).decode()
        for lang in ("en", "es", "fr")
    }  # fmt: skip
    assert "Remaining country (dem side)" in framed["en"]
    assert "País restante (lado dem)" in framed["es"] and "Remaining country" not in framed["es"]
    assert "Pays restant (camp dem)" in framed["fr"] and "Remaining country" not in framed["fr"]
    stored = client.get(f"/plans/{job.pk}/files/map.html?download=1", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Remaining country (dem side)" in b"".join(stored.streaming_content).decode()
    assert "Accept-Language" in stored["Vary"]
    for lang, (present, absent) in DETAIL.items():
        html = _page(client, f"/plans/{job.pk}/", lang)
        assert escape(judged.sentence(lang)) in html, lang
        for text in present:
            assert text in html, (lang, text)
        for text in absent:
            assert text not in html, (lang, text)
        compare = _page(client, f"/plans/compare/?plan={job.pk}", lang)
        assert {"es": "Comparar planes", "fr": "Comparer des plans"}[lang] in compare
        assert "Compare plans" not in compare and "Stranded voters" not in compare
    texts = _texts(_page(client, f"/plans/{job.pk}/", "es"))
    assert texts["edit_valid"] == "Todas las restricciones se siguen cumpliendo."
    assert texts["none_yet"] == "aún ninguno"
    texts = _texts(_page(client, "/plans/new/", "fr"))
    assert texts["lock_leave"] == "L'unité {id} doit partir."
    for path, words in PAGES.items():
        for lang in ("es", "fr"):
            html = _page(client, path, lang)
            for text in words[lang]:
                assert text in html, (path, lang, text)
            for text in words["en"]:
                assert text not in html, (path, lang, text)
    # a form error at its field, and a refusal of the API, in the request's language
    form = {"year": "2020", "place": "OR", "direction": "gop", "min_population": "0",
            "max_countries": "1", "solver": "fast", "time_limit": "999999", "seed": "0",
            "exclaves": "nearest"}  # fmt: skip
    page = client.post("/plans/new/", form, HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 400 and "segundos en este sitio" in page.content.decode()
    stop = client.post(f"/api/plans/{job.pk}/stop", HTTP_ACCEPT_LANGUAGE="es")
    assert stop.status_code == 409 and stop.json()["detail"] == "este plan ya ha terminado"
    bad = client.post(
        "/api/plans",
        json.dumps({**OREGON, "solver": "magic"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("solucionador desconocido 'magic'")
    other = Client()
    other.force_login(UserFactory(username="otra"))
    api = other.post(f"/api/plans/{job.pk}/check", json.dumps({"moves": {"41001": "other"}}),
                     content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr")  # fmt: skip
    assert api.status_code == 404 and "detail" in api.json()
    # the checker's sentences of an edit in the reader's language, same kinds and units
    from secession.plan.check import check_plan
    from secession.web.apps.planner import edits
    from secession.web.apps.planner.tasks import constraints_from

    done = edits.finished(job)
    lone = next(
        i
        for i in np.flatnonzero(done.country == 0)
        if not any(done.country[j] for j in done.graph.neighbors(i))
    )
    move = {"moves": {str(done.graph.ids[lone]): "leave"}}
    answers = {
        lang: client.post(f"/api/plans/{job.pk}/check", json.dumps(move),
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang).json()
        for lang in ("en", "es", "fr")
    }  # fmt: skip
    after = done.country.copy()
    after[lone] = 1
    for lang in ("en", "es", "fr"):
        expected = check_plan(done.graph, constraints_from(job.constraints), after, lang)
        got = answers[lang]["violations"]
        assert [v["message"] for v in got] == [v.message for v in expected], lang
        assert [(v["kind"], v["units"]) for v in got] == [
            (v["kind"], v["units"]) for v in answers["en"]["violations"]
        ]
    assert any("queda partido en" in v["message"] for v in answers["es"]["violations"])
    assert any("est coupé en" in v["message"] for v in answers["fr"]["violations"])
    assert any("is split into" in v["message"] for v in answers["en"]["violations"])


def test_the_opt_in_referendum_kind_speaks_spanish_and_french():
    kind = kinds.get("optin_territory")
    with translation.override("es"):
        assert kind.label == "Referéndum de adhesión sobre el territorio"
        assert isinstance(kind.label, str) and isinstance(kind.help, str)
        assert kind.help.startswith("Cada unidad del territorio")
        assert str(kind.form_fields(None)["consent"].label).startswith("No incorporar")
    with translation.override("fr"):
        assert kind.label == "Référendum d'adhésion sur le territoire"
        assert kind.help.startswith("Chaque unité du territoire")
    with translation.override("en"):
        assert kind.label == "Opt-in referendum on the territory"
