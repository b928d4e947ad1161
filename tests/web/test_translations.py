"""Translations of texts people wrote: each linked to the exact version it translates,
out of date once a newer version is adopted, the original always first and labelled the
voted text; who may add one, for each kind of text; the API's refusals; the audit check."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.constitutions.actions import adopt_version
from secession.web.apps.translations.actions import MAX_TEXT, add_translation
from secession.web.apps.translations.models import Translation

from .factories import CommunityFactory, UserFactory, add_member, found_alliance_by_vote
from .test_registry import box, declare, people


@pytest.fixture
def town(db):
    founder = UserFactory(username="founder")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    community = CommunityFactory(name="Ash", founder=founder)
    add_member(community, member)
    v1 = adopt_version(community, "Article 1. We are free.", person=founder)
    return {"c": community, "founder": founder, "member": member, "outsider": outsider, "v1": v1}


def test_adding_records_the_version_language_and_an_audit_row(town):
    t = add_translation(
        town["v1"], person=town["member"], language="es", text="Artículo 1. Somos libres.\r\n"
    )
    assert (t.kind, t.object_id, t.language, t.translator) == (
        "constitution",
        town["v1"].pk,
        "es",
        town["member"],
    )
    assert t.text == "Artículo 1. Somos libres.\n"
    entry = AuditEntry.objects.get(action="translation.added")
    assert entry.target_id == str(t.pk) and json.loads(entry.data)["language"] == "es"
    assert entry.community_id == town["c"].pk
    # any valid BCP 47 tag, in its standard form
    assert (
        add_translation(town["v1"], person=town["member"], language="pt-br", text="x").language
        == "pt-BR"
    )
    result = verify()
    assert result.ok and "translations" in result.checks, result.problems


def test_refusals_store_nothing(town):
    v1, member = town["v1"], town["member"]
    with pytest.raises(ValidationError, match="not a language tag"):
        add_translation(v1, person=member, language="klingonish-xx-1", text="x")
    with pytest.raises(ValidationError, match="say which language"):
        add_translation(v1, person=member, language="", text="x")
    with pytest.raises(ValidationError, match="empty"):
        add_translation(v1, person=member, language="es", text="  \n ")
    with pytest.raises(ValidationError, match="longer than"):
        add_translation(v1, person=member, language="es", text="a" * (MAX_TEXT + 1))
    with pytest.raises(PermissionDenied):
        add_translation(v1, person=town["outsider"], language="es", text="x")
    assert not Translation.objects.exists()
    assert not AuditEntry.objects.filter(action="translation.added").exists()


def test_out_of_date_after_an_amendment_and_still_linked_to_its_version(town):
    t = add_translation(town["v1"], person=town["member"], language="es", text="Somos libres.")
    client = Client()
    page = client.get(f"/translations/{t.pk}/").content.decode()
    assert "Out of date" not in page
    # the original comes first, labelled as the voted text
    assert page.index("Original (the voted text)") < page.index("Translation (not the voted text)")
    assert 'lang="es"' in page
    v2 = adopt_version(town["c"], "Article 1. We are free and at peace.", person=None)
    page = client.get(f"/translations/{t.pk}/").content.decode()
    assert "Out of date" in page and "Article 1. We are free.\n" in page  # version 1 beside it
    listed = client.get(f"/api/translations/constitution/{town['v1'].pk}").json()
    assert [(x["id"], x["out_of_date"]) for x in listed] == [(t.pk, True)]
    assert client.get(f"/api/translations/constitution/{v2.pk}").json() == []
    # the page of version 1 lists it as out of date; the page in force lists none
    old = client.get(f"/constitutions/{town['c'].slug}/v/{town['v1'].number}/").content.decode()
    assert "Translations (not the voted text)" in old and "out of date" in old
    current = client.get(f"/constitutions/{town['c'].slug}/").content.decode()
    assert "No translations yet." in current
    assert current.index('id="constitution-text"') < current.index("Translations (not the voted")


def test_the_form_adds_one_and_shows_errors_at_their_field(town):
    client = Client()
    url = f"/translations/constitution/{town['v1'].pk}/"
    assert "Add the translation" not in client.get(url).content.decode()  # anonymous
    assert client.post(url, {"language": "es", "text": "x"}).status_code == 302  # to log in
    client.force_login(town["outsider"])
    assert "Only members of the community" in client.get(url).content.decode()
    assert client.post(url, {"language": "es", "text": "x"}).status_code == 403
    client.force_login(town["member"])
    bad = client.post(url, {"language": "not a tag!", "text": "x"}).content.decode()
    assert "is not a language tag" in bad
    response = client.post(url, {"language": "fr", "text": "Nous sommes libres."})
    t = Translation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/translations/{t.pk}/"
    listing = client.get(url).content.decode()
    assert "Français (fr)" in listing and "by member" in listing
    assert "<script>" not in listing and "style=" not in listing  # strict CSP


def test_api_lists_adds_and_answers_4xx_with_reasons(town):
    client = Client()
    url = f"/api/translations/constitution/{town['v1'].pk}"
    member = {"HTTP_AUTHORIZATION": "Bearer " + create_token(town["member"])}
    outsider = {"HTTP_AUTHORIZATION": "Bearer " + create_token(town["outsider"])}

    def post(body, headers):
        return client.post(url, json.dumps(body), content_type="application/json", **headers)

    assert post({"language": "es", "text": "x"}, {}).status_code == 401
    r = post({"language": "es", "text": "x"}, outsider)
    assert r.status_code == 403 and "members of the community" in r.json()["detail"]
    for body, reason in (
        ({"language": "zz-not-a-tag-at-all", "text": "x"}, "not a language tag"),
        ({"language": "es", "text": ""}, "empty"),
        ({"language": "es", "text": "a" * (MAX_TEXT + 1)}, "longer than"),
    ):
        r = post(body, member)
        assert r.status_code in (400, 422) and reason in json.dumps(r.json()), r.json()
    assert post({"language": "es"}, member).status_code in (400, 422)
    assert client.get("/api/translations/poem/1").status_code == 404
    assert client.get("/api/translations/constitution/999999").status_code == 404
    r = post({"language": "es", "text": "Somos libres."}, member)
    assert r.status_code == 201 and r.json()["language_name"] == "Español"
    assert [x["text"] for x in client.get(url).json()] == ["Somos libres.\n"]
    one = client.get(f"/api/translations/{r.json()['id']}").json()
    assert one["out_of_date"] is False and one["translator"] == "member"
    assert not Translation.objects.exclude(pk=r.json()["id"]).exists()


def test_audit_verify_names_a_translation_edited_behind_the_logs_back(town):
    add_translation(town["v1"], person=town["member"], language="es", text="Somos libres.")
    assert verify().ok
    Translation.objects.update(text="Otra cosa.\n")
    result = verify()
    text = " ".join(p.describe() for p in result.problems)
    assert not result.ok and "translations_translation" in text and "SHA-256" in text


def test_charter_translations_by_members_of_member_communities(db):
    founder = UserFactory(username="a-founder")
    outsider = UserFactory(username="other")
    ash = CommunityFactory(name="Ash", founder=founder)
    CommunityFactory(name="Elsewhere", founder=outsider)
    alliance = found_alliance_by_vote(ash, founder, name="The League")
    charter = alliance.charter.first()
    with pytest.raises(PermissionDenied):
        add_translation(charter, person=outsider, language="es", text="Carta")
    t = add_translation(charter, person=founder, language="es", text="Carta de la liga")
    assert t.kind == "charter" and verify().ok
    page = Client().get(f"/alliances/{alliance.slug}/charter/").content.decode()
    assert "Translations (not the voted text)" in page and f"/translations/{t.pk}/" in page
    assert "Carta de la liga" in Client().get(f"/translations/{t.pk}/").content.decode()


def test_declaration_translations_by_members_of_the_declaring_community(db):
    north, voters = people("Northland", box(0, 50, 2, 52))
    declare(north, voters, from_name="Southland")
    d = north.declarations.get()
    former, stranger = voters[1], UserFactory(username="stranger")
    may = {
        "anonymous": AnonymousUser(),
        "member": voters[0],
        "stranger": stranger,
    }
    assert {k: u.has_perm("translations.add_translation", d) for k, u in may.items()} == {
        "anonymous": False,
        "member": True,
        "stranger": False,
    }
    leave_community(north, person=former)
    assert not former.has_perm("translations.add_translation", d)
    t = add_translation(d, person=voters[0], language="de", text="Wir sind frei.")
    page = Client().get(f"/registry/declarations/{d.pk}/").content.decode()
    assert page.index('id="declaration-text"') < page.index(f"/translations/{t.pk}/")
    assert "Deutsch (de)" in page and "out of date" not in page
