"""Constitutions: starter text, amendment by whole text with its diff, two thirds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

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
    tail = " Any member may leave at any time, and nothing may"
    assert changed == [
        {"kind": "removed", "text": "1. Membership. Anyone may join Riverside." + tail},
        {"kind": "added", "text": "1. Membership. Anyone may join Riverside, no questions." + tail},
    ]
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
        ("gap", "@@ -1,3 +1,4 @@"),
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]
