"""The verifiable vote in Spanish (issue 18): its election, vote and board pages, the
proposal page's section, the vote script's sentences (a JSON element of the page) and its
messages, on real elections made through the actions, read in Spanish with
Accept-Language: es and not in English; its refusals reach the API's JSON detail in
Spanish."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.proposals.actions import close_proposal, make_proposal

from .factories import UserFactory, expire
from .test_verifiable import RULE, key_ceremony, verifiable_town

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture
def vote(db):
    """A verifiable resolution of a community of 7, 3 of 5 trustees, in its setup phase."""
    community, people = verifiable_town()
    proposal = make_proposal(community, person=people[1], kind="resolution", title="Leave?")
    return proposal, people


def page(user, path: str) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path, **ES)
    assert response.status_code == 200, path
    return response.content.decode()


def api_es(user, path: str, body) -> dict:
    response = Client().post(
        f"/api/verifiable/{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + create_token(user),
        **ES,
    )
    assert 400 <= response.status_code < 500, response.status_code
    return response.json()


def test_the_setup_pages_read_in_spanish(vote) -> None:
    proposal, people = vote
    election = page(people[0], f"/verifiable/{proposal.pk}/")
    for spanish in (
        "Votación verificable: Leave?",
        "Los custodios están preparando la clave de la votación",
        "Qué protege",
        "Custodios (se necesitan 3 de 5 para descifrar)",
        "Su tarea como custodio 1",
        "Subir el registro público",
        "Descargar el tablón completo",
    ):
        assert spanish in election, spanish
    for english in ("What this protects", "Your part as trustee", "The trustees are setting"):
        assert english not in election, english
    board = page(None, f"/verifiable/{proposal.pk}/board/?tracker=abc")
    assert "Tablón público" in board and "pregunta" in board
    assert "No hay en el tablón ninguna papeleta" in board
    assert "Bulletin board" not in board and "No ballot with this tracker" not in board
    section = page(None, f"/proposals/{proposal.pk}/")
    assert "Voto secreto verificable" in section and "La votación y sus custodios" in section
    assert "Verifiable secret ballot" not in section
    waiting = page(people[5], f"/verifiable/{proposal.pk}/vote/")
    assert "Los custodios están preparando" in waiting and "vote page" not in waiting


def test_the_vote_page_and_its_script_texts_read_in_spanish(vote) -> None:
    proposal, people = vote
    key_ceremony(proposal, people)
    text = page(people[5], f"/verifiable/{proposal.pk}/vote/")
    for spanish in ("Cifrar mi papeleta", "Su papeleta cifrada", "Depositar esta papeleta"):
        assert spanish in text, spanish
    assert '<label for="choice-0">Sí</label>' in text and "Abstención" in text
    assert "Encrypt my ballot" not in text and ">Yes<" not in text
    found = re.search(
        r'<script id="verifiable-texts" type="application/json">(.*?)</script>', text, re.S
    )
    assert found, "the vote script's texts are in the page"
    texts = json.loads(found.group(1))
    assert texts["loading"] == "Cargando la clave de la votación…"
    assert texts["options"] == {"yes": "sí", "no": "no", "abstain": "abstención"}
    assert "{position}" in texts["castDone"] and "{board}" in texts["castDone"]
    assert not any("ballot" in v for v in texts.values() if isinstance(v, str))
    script = Client().get("/verifiable/assets/vote.js").content.decode()
    assert "Loading the election key" not in script  # every sentence comes from the page
    outsider = page(UserFactory(username="olga"), f"/verifiable/{proposal.pk}/vote/")
    assert "No forma parte del electorado de esta propuesta" in outsider
    anonymous = page(None, f"/verifiable/{proposal.pk}/vote/")
    assert "Inicie sesión</a> para votar." in anonymous
    board = page(None, f"/verifiable/{proposal.pk}/board/")
    assert "custodio 5 (eli)" in board and "registro de custodio" in board
    assert "clave de la votación" in board and "trustee 5 (eli)" not in board
    assert "La votación está abierta: 0 papeletas depositadas hasta ahora." in board or (
        "La votación está abierta: 0 papeletas depositadas hasta ahora."
        in page(None, f"/verifiable/{proposal.pk}/")
    )


def test_refusals_reach_the_api_and_the_page_in_spanish(vote) -> None:
    proposal, people = vote
    outsider = UserFactory(username="olga")
    refused = api_es(outsider, f"{proposal.pk}/trustee-record", {"type": "trustee"})
    assert refused["detail"] == "solo los custodios de esta votación pueden hacerlo"
    early = api_es(people[5], f"{proposal.pk}/ballots", {"type": "ballot"})
    assert early["detail"].startswith("los custodios no han terminado de preparar la clave")
    client = Client()
    client.force_login(people[0])
    r = client.post(
        f"/verifiable/{proposal.pk}/upload/record/", {"text": "not json"}, follow=True, **ES
    )
    assert "Ese archivo no es JSON" in r.content.decode()
    assert "That file is not JSON" not in r.content.decode()


def test_a_decided_vote_reads_in_spanish(vote) -> None:
    proposal, _people = vote
    expire(proposal)
    close_proposal(proposal)  # the key was never set up: decided with no votes
    text = page(None, f"/verifiable/{proposal.pk}/")
    assert "Decidida sin votos: los custodios no terminaron de preparar la clave" in text
    assert "Decided" not in text


# --- the proposals app's kinds -------------------------------------------------------------

KIND_LABELS = {
    "resolution": ("Resolución", "Resolution"),
    "change_governance": ("Cambiar el gobierno", "Change governance"),
    "declare_independence": ("Declarar la independencia", "Declare independence"),
    "change_territory": ("Cambiar el territorio", "Change the territory"),
    "admit_community": ("Admitir una comunidad", "Admit a community"),
    "change_rule": ("Cambiar una regla de votación", "Change a voting rule"),
}


def test_the_kinds_are_named_in_spanish_in_the_api_and_the_chooser(vote) -> None:
    proposal, people = vote
    listed = {k["name"]: k for k in Client().get("/api/proposals/kinds", **ES).json()}
    english = {k["name"]: k for k in Client().get("/api/proposals/kinds").json()}
    for name, (es, en) in KIND_LABELS.items():
        assert listed[name]["label"] == es and english[name]["label"] == en
    assert listed["declare_independence"]["help"].startswith("Salir de la comunidad")
    rules = Client().get(f"/api/communities/{proposal.community.slug}/rules", **ES).json()
    assert {r["kind"]: r["kind_label"] for r in rules}["resolution"] == "Resolución"
    chooser = page(people[0], f"/proposals/new/{proposal.community.slug}/")
    for es, en in KIND_LABELS.values():
        assert es in chooser and en not in chooser, en
    form = page(people[0], f"/proposals/new/{proposal.community.slug}/?kind=change_rule")
    assert "Regla para las propuestas del tipo" in form and "Custodios necesarios" in form
    assert "Rule for proposals of kind" not in form


def test_the_kinds_sentences_and_refusals_are_in_spanish(vote) -> None:
    proposal, people = vote
    community = proposal.community
    payload = {
        "target_kind": "resolution",
        "rule": RULE,
        "window_minutes": 60,
        "verifiable": True,
        "trustees": [people[0].pk, people[1].pk],
        "threshold": 2,
    }
    p = make_proposal(community, person=people[0], kind="change_rule", title="T", payload=payload)
    text = page(None, f"/proposals/{p.pk}/")
    assert "Nueva regla para las propuestas del tipo «resolución»" in text
    assert "Voto secreto verificable, descifrado por cualesquiera 2 de los 2 custodios" in text
    assert "New rule for proposals" not in text
    g = make_proposal(
        community,
        person=people[0],
        kind="change_governance",
        title="G",
        payload={"governance": "council", "office_holders": [people[1].pk]},
    )
    assert "se gobernará como un consejo electo; consejo: ben." in page(None, f"/proposals/{g.pk}/")
    refused = Client().post(
        "/api/proposals",
        json.dumps({"community": community.slug, "kind": "declare_independence", "title": "x"}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + create_token(people[0]),
        **ES,
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["detail"] == "indique el país o la comunidad de la que sale esta"


# --- leftovers: a skipped effect, plain refusals, bad input, a tampered choice -----------


def test_a_skipped_effect_is_introduced_in_spanish(db) -> None:
    from secession.web.apps.proposals.actions import cast_vote

    from .factories import CommunityFactory, admit

    founder = UserFactory(username="ana")
    parent = CommunityFactory(name="Big Land", founder=founder)
    child = admit(CommunityFactory(name="Shire", parent=parent, founder=founder))
    first = make_proposal(child, person=founder, kind="declare_independence", title="One")
    second = make_proposal(child, person=founder, kind="declare_independence", title="Two")
    cast_vote(first, person=founder, choice="yes")
    cast_vote(second, person=founder, choice="yes")
    text = page(None, f"/proposals/{second.pk}/")
    assert "No se llevó a cabo: nothing to do: Shire was already independent." in text
    assert "Not carried out" not in text  # the note itself is a record, kept as stored


def test_a_refused_permission_is_said_in_plain_words(vote) -> None:
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from secession.web.apiauth import require

    outsider = UserFactory(username="olga")
    for lang, sentence in (
        ("es", "Solo los custodios de esta votación, elegidos por la comunidad"),
        ("en", "Only this vote's trustees, chosen by the community"),
    ):
        with translation.override(lang), pytest.raises(PermissionDenied) as refused:
            require(outsider, "verifiable.act_as_trustee", vote[0].election)
        assert str(refused.value).startswith(sentence) and "verifiable." not in str(refused.value)
    with translation.override("es"), pytest.raises(PermissionDenied) as refused:
        require(outsider, "nothing.listed")
    assert str(refused.value) == "No puede hacer esto."


@pytest.mark.parametrize(
    ("body", "spanish", "english"),
    [
        ("{", "body no es JSON válido: se esperaba un nombre de campo entre comillas", "not valid"),
        ("[1]", "body debe ser un objeto JSON ({...}), no una lista", "must be a JSON object"),
        ('{"a": NaN}', "NaN no es un número JSON (use un número finito)", "not a JSON number"),
    ],
)
def test_bad_json_is_refused_in_spanish(db, body, spanish, english) -> None:
    r = Client().post("/api/accounts/token", body, content_type="application/json", **ES)
    assert r.status_code == 400 and spanish in r.json()["detail"]
    assert english not in r.json()["detail"]


def test_bad_text_in_a_form_is_refused_in_spanish(db) -> None:
    r = Client().get("/communities/", {"q": "a\x00b"}, **ES)
    text = r.content.decode()
    assert r.status_code == 400
    assert "Petición incorrecta: el parámetro de la consulta &#x27;q&#x27; contiene" in text
    assert "Bad request" not in text
    api = Client().get("/api/communities", {"q": "a\x00b"}, **ES)
    assert api.json()["detail"].startswith("Petición incorrecta: el parámetro de la consulta")


def test_a_tampered_choice_is_named_at_its_field(vote) -> None:
    proposal, people = vote
    client = Client()
    client.force_login(people[0])
    url = f"/proposals/new/{proposal.community.slug}/?kind=change_rule"
    es = client.post(url, {"title": "T", "target_kind": "no-such-kind"}, **ES).content.decode()
    assert "Elija una de las opciones ofrecidas para «Regla para las propuestas del tipo»." in es
    assert "Escoja una opción válida" not in es
    en = client.post(url, {"title": "T", "target_kind": "no-such-kind"}).content.decode()
    assert "Choose one of the options offered for “Rule for proposals of kind”." in en
    assert "Select a valid choice" not in en
    plain = make_proposal(  # not a verifiable kind here: the plain vote form
        proposal.community,
        person=people[0],
        kind="change_governance",
        title="G",
        payload={"governance": "assembly"},
    )
    r = client.post(f"/proposals/{plain.pk}/vote/", {"choice": "maybe"}, follow=True, **ES)
    assert "Elija una de las opciones ofrecidas para «Su voto»." in r.content.decode()


def test_a_bad_ballot_is_refused_in_the_requests_language(vote) -> None:
    """The ballots package's refusals (``secession.ballots``, no Django) carry a
    :class:`secession.i18n.Message`; the API's ``detail`` puts it into the request's words,
    the place inside the ballot included."""
    from secession.ballots.ballot import encrypt_ballot

    from .test_verifiable import election_key

    proposal, people = vote
    key_ceremony(proposal, people)
    made = encrypt_ballot(election_key(proposal), [0])
    tracker = made.ballot.tracker.hex()[:16]
    tampered = json.loads(json.dumps(made.ballot.to_json()))
    tampered["selections"][0]["proof"][0]["c"] = tampered["selections"][1]["proof"][0]["c"]
    malformed = json.loads(json.dumps(made.ballot.to_json()))
    malformed["selections"][1]["alpha"] = "zz"
    nbsp = "\u00a0"
    expected = {
        "en": (f"ballot {tracker}: the tracker is not the hash of this ballot",
               f"ballot (tracker {tracker}): selection 2: alpha: expected 64 lower-case "
               "hexadecimal digits"),
        "es": (f"papeleta {tracker}: el código de seguimiento no es el hash de esta papeleta",
               f"papeleta (código de seguimiento {tracker}): selección 2: alpha: se esperaban "
               "64 dígitos hexadecimales en minúscula"),
        "fr": (f"bulletin {tracker}{nbsp}: le code de suivi n'est pas le hachage de ce bulletin",
               f"bulletin (code de suivi {tracker}){nbsp}: sélection 2{nbsp}: alpha{nbsp}: 64 "
               "chiffres hexadécimaux en minuscules étaient attendus"),
    }  # fmt: skip
    token = "Bearer " + create_token(people[5])
    for lang, (proof, form) in expected.items():
        answers = [
            Client().post(
                f"/api/verifiable/{proposal.pk}/ballots",
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=token,
                HTTP_ACCEPT_LANGUAGE=lang,
            )
            for body in (tampered, malformed)
        ]
        assert [r.status_code for r in answers] == [400, 400], lang
        assert [r.json()["detail"] for r in answers] == [proof, form], lang
    # nothing was counted: the real ballot is still accepted
    r = Client().post(
        f"/api/verifiable/{proposal.pk}/ballots",
        json.dumps(made.ballot.to_json()),
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    assert r.status_code == 201, r.json()


def test_a_bad_trustee_record_is_refused_in_french(vote) -> None:
    """A trustee record whose proof fails (a TrusteeError of the ballots package)."""
    from secession.ballots import trustees as ceremony
    from secession.ballots.manifest import Manifest

    from .test_verifiable import board_of

    proposal, people = vote
    manifest = Manifest.from_json(board_of(proposal).entries[0])
    record = ceremony.generate(manifest, "cy").public(manifest).to_json()
    bad = {**record, "commitments": list(reversed(record["commitments"]))}
    r = Client().post(
        f"/api/verifiable/{proposal.pk}/trustee-record",
        json.dumps(bad),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + create_token(people[2]),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert r.status_code == 400
    assert r.json()["detail"] == (
        "dépositaire 3 (cy)\u00a0: la preuve de connaissance du coefficient 0 ne se vérifie pas"
    )
    # and on the page, as the upload's message
    client = Client()
    client.force_login(people[2])
    page = client.post(
        f"/verifiable/{proposal.pk}/upload/record/",
        {"text": json.dumps(bad)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "la preuve de connaissance du coefficient 0 ne se vérifie pas" in page
    assert "does not verify" not in page
