"""Constitutions: starter text, amendment by whole text with its diff, two thirds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secession.web.apps.communities.models import Community
from secession.web.apps.constitutions.diff import diff_lines
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal
from secession.web.apps.proposals.present import proposal_data

from .factories import CommunityFactory, UserFactory, add_member, expire


@pytest.fixture
def three(community, founder):
    return [
        founder,
        add_member(community, UserFactory(username="b")),
        add_member(community, UserFactory(username="c")),
    ]


def amendment(community, person, text="Article 1. All are free.\n"):
    return make_proposal(
        community, person=person, kind="amend_constitution", title="Rewrite", payload={"text": text}
    )


def test_starter_constitution_on_founding(community):
    v = community.constitution_versions.get()
    assert v.number == 1 and v.proposal is None
    assert v.text.startswith("Constitution of Riverside") and "may leave at any time" in v.text


def test_two_thirds_adopts_amendment_with_diff(community, three):
    old = community.constitution_versions.get().text
    new = old.replace("Anyone may join Riverside.", "Anyone may join Riverside, no questions.")
    p = amendment(community, three[1], new)
    data = proposal_data(p)
    changed = [d for d in data["diff"] if d["kind"] in ("added", "removed")]
    tail = " Any member may leave at any time, and nothing may prevent a member from leaving."
    assert changed == [
        {"kind": "removed", "text": "1. Membership. Anyone may join Riverside." + tail},
        {"kind": "added", "text": "1. Membership. Anyone may join Riverside, no questions." + tail},
    ]
    assert not any(d["text"].startswith("@@") for d in data["diff"])
    for person, choice in zip(three, ["yes", "yes", "no"], strict=True):
        cast_vote(p, person=person, choice=choice)
    p.refresh_from_db()
    assert p.passed is True  # 2 of 3 = exactly two thirds: at least 2/3 passes
    versions = list(community.constitution_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].text == new.strip() + "\n" and versions[1].proposal == p


def test_below_two_thirds_keeps_old_text(community, three):
    p = amendment(community, three[1])
    cast_vote(p, person=three[0], choice="yes")
    cast_vote(p, person=three[1], choice="no")
    expire(p)
    assert close_proposal(p).passed is False
    assert community.constitution_versions.count() == 1


def test_amend_needs_a_constitution_and_a_change(founder):
    bare = CommunityFactory(name="Bare", founder=founder, constitution_text="")
    with pytest.raises(ValidationError, match="no constitution to amend"):
        amendment(bare, founder)
    p = make_proposal(
        bare,
        person=founder,
        kind="adopt_constitution",
        title="First",
        payload={"text": "We agree."},
    )
    cast_vote(p, person=founder, choice="yes")
    assert bare.constitution_versions.get().text == "We agree.\n"
    with pytest.raises(ValidationError, match="same as the constitution"):
        amendment(bare, founder, "We agree.")


def test_diff_lines():
    rows = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(r.kind, r.text) for r in rows] == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]


def test_diff_marks_left_out_lines_in_words():
    old = "\n".join(f"line {i}" for i in range(1, 21))
    new = old.replace("line 15", "line fifteen")
    rows = diff_lines(old, new)
    # lines 1-11 are left out: one gap row saying where the shown text starts (line 12)
    assert (rows[0].kind, rows[0].text) == ("gap", "… unchanged lines left out; line 12:")
    assert [r.text for r in rows[1:4]] == ["line 12", "line 13", "line 14"]
    assert [(r.kind, r.text) for r in rows[4:6]] == [
        ("removed", "line 15"),
        ("added", "line fifteen"),
    ]
    assert len(rows) == 9  # gap, 3 before, removed, added, 3 after


@pytest.mark.parametrize(
    ("governance", "phrase"),
    [
        ("assembly", "an assembly of all its members, with no leader and no capital."),
        ("council", "an elected council."),
    ],
)
def test_starter_names_the_chosen_governance(founder, client, governance, phrase):
    client.force_login(founder)
    starter = client.get("/communities/new/").context["form"].initial["constitution_text"]
    r = client.post(
        "/communities/new/",
        {
            "name": "Oak Hollow",
            "kind": "town",
            "governance": governance,
            "constitution_text": starter,
        },
    )
    assert r.status_code == 302, r.content
    oak = Community.objects.get(name="Oak Hollow")
    text = oak.constitution_versions.get()
    assert f"4. Government. Oak Hollow governs itself as {phrase}" in text.text
    assert "[name]" not in text.text and "[governance]" not in text.text


def test_constitution_page_shows_its_own_rule_and_closes_due_votes(community, three, client):
    p = amendment(community, three[1])
    cast_vote(p, person=three[0], choice="yes")
    expire(p)
    html = client.get(f"/constitutions/{community.slug}/").content.decode()
    assert "Rule for amending it:</strong> Passes when at least two thirds of the valid" in html
    assert "Voting lasts 14 days, public ballot." in html
    p.refresh_from_db()
    assert p.status == "closed" and p.passed is True  # 1 yes of 1 valid vote, on first read
