"""Issue 20, plain words: rules and results as sentences, audit events described for people
(codes kept as data, no account ids), display names wherever a person is named."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

import secession.web.apps as web_apps
from secession.referendum.rules import PRESETS
from secession.web.apps.accounts.actions import register_person
from secession.web.apps.audit.descriptions import (
    Event,
    describe,
    public_details,
    registered,
)
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.result_words import result_sentence
from secession.web.apps.proposals.rule_words import rule_sentence

from .factories import PASSWORD, CommunityFactory, add_member

MAJORITY = {"name": "simple-majority", "threshold": "1/2", "strict": True}
OLD_CODES = ("valid = yes + no", "votes to spare", "yes needs", "&quot;eligible&quot;")


# ------------------------------------------------------------------ rules
@pytest.mark.parametrize(
    ("preset", "sentence"),
    [
        (
            "simple-majority",
            "Passes when more than half of the valid votes (yes and no) are yes. A tie fails.",
        ),
        ("supermajority-55", "Passes when at least 55% of the valid votes (yes and no) are yes."),
        ("two-thirds", "Passes when at least two thirds of the valid votes (yes and no) are yes."),
        (
            "double-majority",
            "Passes when more than half of the valid votes (yes and no) are yes, and it also "
            "passes in more than half of the areas. A tie fails.",
        ),
        (
            "double-majority-population",
            "Passes when more than half of the valid votes (yes and no) are yes, and the areas "
            "where it passes hold more than half of the people. A tie fails.",
        ),
        (
            "opt-in",
            "Passes when more than half of the valid votes (yes and no) are yes. Each area "
            "follows its own result. A tie fails.",
        ),
    ],
)
def test_every_preset_reads_as_a_sentence(preset, sentence):
    assert rule_sentence(PRESETS[preset]) == sentence


def test_rule_with_quorum_abstentions_and_window():
    rule = {**MAJORITY, "quorum": "1/2", "count_abstentions_as_valid": True}
    assert rule_sentence(rule, window_minutes=7 * 24 * 60) == (
        "Passes when more than half of the valid votes (yes, no and abstentions) are yes, and "
        "at least half of the members vote. A tie fails. Voting lasts 7 days."
    )
    assert "at least 40% of the member communities vote" in rule_sentence(
        {**MAJORITY, "quorum": "2/5"}, voters="member communities"
    )


# ------------------------------------------------------------------ results
def test_result_passed():
    totals = {"yes": 2, "no": 0, "valid": 2, "turnout": 2, "eligible": 2}
    assert result_sentence(MAJORITY, totals) == (
        "Passed: 2 of 2 voted yes; more than half was needed."
    )


def test_result_failed_threshold():
    rule = {"name": "two-thirds", "threshold": "2/3", "strict": False}
    totals = {"yes": 1, "no": 2, "valid": 3, "turnout": 3, "eligible": 3}
    assert result_sentence(rule, totals) == (
        "Failed: 1 of 3 voted yes; at least two thirds was needed."
    )


def test_result_quorum_missed():
    rule = {**MAJORITY, "quorum": "1/2"}
    totals = {"yes": 1, "no": 0, "valid": 1, "turnout": 1, "eligible": 10}
    assert result_sentence(rule, totals) == (
        "Failed: only 1 of 10 members voted; at least half had to vote."
    )


def test_result_tie_and_abstentions():
    totals = {"yes": 2, "no": 2, "abstain": 1, "valid": 4, "turnout": 5, "eligible": 6}
    assert result_sentence(MAJORITY, totals) == (
        "Failed: 2 of 4 voted yes, exactly half (1 abstained, not counted); "
        "more than half was needed."
    )
    at_least = {**MAJORITY, "strict": False}
    assert result_sentence(at_least, totals).startswith("Passed: 2 of 4 voted yes, exactly half")


def test_result_nobody_voted():
    totals = {"yes": 0, "no": 0, "valid": 0, "turnout": 0, "eligible": 3}
    assert result_sentence(MAJORITY, totals) == (
        "Failed: nobody voted yes or no; more than half was needed."
    )


# ------------------------------------------------------------------ audit descriptions
def _event_names() -> dict[str, str]:
    """Every event name constant in every app's events.py (``MODULE.NAME`` -> value)."""
    names = {}
    for info in pkgutil.iter_modules(web_apps.__path__):
        try:
            module = importlib.import_module(f"secession.web.apps.{info.name}.events")
        except ModuleNotFoundError:
            continue
        for attr, value in vars(module).items():
            if attr.isupper() and isinstance(value, str):
                names[f"{info.name}.{attr}"] = value
    return names


def test_every_event_has_a_description(db):
    names = _event_names()
    assert len(names) > 50  # all the apps' events were found
    descriptions = registered()
    missing = sorted(k for k, v in names.items() if v not in descriptions)
    assert not missing, f"events with no description: {missing}"
    event = Event(actor="Ada", community="Hill Town", target="“Plant trees”", data={})
    for name in names.values():
        text = describe(name, event)
        assert text and (text[0].isupper() or text[0] == "“") and "{" not in text, (name, text)
        assert name not in text  # a sentence, not the code


def test_details_show_counts_never_account_ids():
    shown = dict(public_details({"eligible": [1, 2], "person": 7, "rule": {"quorum": None}}))
    assert shown == {"eligible": "2 people", "rule quorum": ""}


# ------------------------------------------------------------------ pages
@pytest.fixture
def town(db):
    ada = register_person(username="ada", password=PASSWORD, display_name="Ada Lovelace")
    town = CommunityFactory(name="Hill Town", founder=ada)
    bob = register_person(username="bob", password=PASSWORD, display_name="Bob Marley")
    add_member(town, bob)
    p = make_proposal(
        town, person=ada, kind="resolution", title="Plant trees", payload={"text": "Trees."}
    )
    cast_vote(p, person=ada, choice="yes")
    cast_vote(p, person=bob, choice="yes")
    p.refresh_from_db()
    assert p.status == "closed" and p.passed
    return {"ada": ada, "bob": bob, "town": town, "proposal": p}


def _page(client: Client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, url
    return r.content.decode()


def _no_codes(html: str) -> None:
    for code in OLD_CODES:
        assert code not in html, code


def test_closed_proposal_page_speaks_plainly(town):
    html = _page(Client(), town["proposal"].get_absolute_url())
    assert "Passed: 2 of 2 voted yes; more than half was needed." in html
    assert "Passes when more than half of the valid votes (yes and no) are yes." in html
    assert "<strong>What it did:</strong>" in html and "If it passes:" not in html
    assert "Proposed by Ada Lovelace." in html
    assert "<td>Bob Marley</td>" in html  # the public vote names the display name
    _no_codes(html)


def test_failed_proposal_says_what_it_would_have_done(town):
    ada, bob, t = town["ada"], town["bob"], town["town"]
    p = make_proposal(t, person=ada, kind="resolution", title="Pave it", payload={"text": "X."})
    assert "<strong>If it passes:</strong>" in _page(Client(), p.get_absolute_url())
    cast_vote(p, person=ada, choice="yes")
    cast_vote(p, person=bob, choice="no")
    html = _page(Client(), p.get_absolute_url())
    assert "Failed: 1 of 2 voted yes, exactly half; more than half was needed." in html
    assert "<strong>It would have:</strong>" in html and "If it passes:" not in html


def test_rules_and_members_pages(town):
    client = Client()
    html = _page(client, town["town"].get_absolute_url())
    assert re.search(r"<dd>Passes when more than half of the valid votes \(yes and no\)", html)
    _no_codes(html)
    members = _page(client, f"/communities/{town['town'].slug}/members/")
    assert "Ada Lovelace" in members and "Bob Marley" in members


def test_audit_page_describes_events_for_people(town, client):
    client.force_login(town["bob"])
    html = _page(client, "/audit/")
    assert "Bob Marley cast a vote on “Plant trees”" in html
    assert "The voting rules of Hill Town were installed" in html
    assert "Ada Lovelace proposed “Plant trees” in Hill Town" in html
    assert 'data-action="vote.cast"' in html and "<code>vote.cast</code>" in html
    assert "Bob Marley joined the platform" in html  # his own private event, to him
    assert "Ada Lovelace joined the platform" not in html  # not another's
    _no_codes(html)
    assert not re.search(r"&quot;\w+&quot;:\s*\[\d", html)  # no raw JSON lists of ids


def test_anonymous_audit_page_shows_no_account_events(town):
    html = _page(Client(), "/audit/")
    assert "joined the platform" not in html
    assert "account.registered" not in html
    assert "cast a vote on “Plant trees”" in html


# ------------------------------------------------------------------ in Spanish
ENGLISH_WORDS = re.compile(r"\b(Passed|Failed|Passes|votes?|voted|more than|half|yes|needed)\b")


def test_rule_sentence_in_spanish():
    with translation.override("es"):
        said = rule_sentence({**MAJORITY, "quorum": "2/5"}, window_minutes=7 * 24 * 60)
    assert said == (
        "Se aprueba cuando más de la mitad de los votos válidos (sí y no) son sí, y vota al "
        "menos el 40% de los miembros. Un empate la rechaza. La votación dura 7 días."
    )
    assert not ENGLISH_WORDS.search(said), said


def test_result_sentences_in_spanish():
    passed = {"yes": 2, "no": 0, "valid": 2, "turnout": 2, "eligible": 2}
    failed = {"yes": 1, "no": 2, "valid": 3, "turnout": 3, "eligible": 3}
    quorum = {"yes": 1, "no": 0, "valid": 1, "turnout": 1, "eligible": 10}
    two_thirds = {"name": "two-thirds", "threshold": "2/3", "strict": False}
    with translation.override("es"):
        said = [
            result_sentence(MAJORITY, passed),
            result_sentence(two_thirds, failed),
            result_sentence({**MAJORITY, "quorum": "1/2"}, quorum),
        ]
    assert said == [
        "Aprobada: 2 de 2 votaron sí; se necesitaba más de la mitad.",
        "Rechazada: 1 de 3 votó sí; se necesitaba al menos dos tercios.",
        "Rechazada: solo votó 1 de 10 miembros; tenía que votar al menos la mitad.",
    ]
    for text in said:
        assert not ENGLISH_WORDS.search(text), text
    with translation.override("en"):
        assert result_sentence(MAJORITY, passed).startswith("Passed: 2 of 2 voted yes")


def test_audit_descriptions_in_spanish(db):
    event = Event(actor="Ada", community="Hill Town", target="“Plant trees”", data={"passed": True})
    with translation.override("es"):
        assert describe("vote.cast", event) == "Ada votó sobre “Plant trees”"
        assert describe("proposal.closed", event) == (
            "La votación sobre “Plant trees” se cerró: se aprobó"
        )
        assert dict(public_details({"eligible": [1, 2]})) == {"eligible": "2 personas"}
    with translation.override("en"):
        assert describe("vote.cast", event) == "Ada cast a vote on “Plant trees”"


def test_405_page_purpose_in_spanish(town, client):
    client.cookies["django_language"] = "es"
    page = client.get(reverse("communities:join", args=[town["town"].slug]))
    assert page.status_code == 405
    text = page.content.decode()
    assert "Esta dirección le hace miembro de la comunidad." in text
    assert "This address" not in text
