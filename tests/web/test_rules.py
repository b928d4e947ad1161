"""Every permission, for each kind of user (as adhocracy+ tests its rules).

The table below names, for each permission declared in an app's ``rules.py``, the object it
is asked about and who may and may not. A permission added without a row here fails
``test_every_permission_has_a_row``.
"""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals.actions import (
    cast_vote,
    close_proposal,
    make_proposal,
    set_rule,
)

from .factories import CommunityFactory, UserFactory, add_member


@pytest.fixture
def world(db):
    """People in every relation to two communities and their proposals."""
    founder = UserFactory(username="founder")
    member = UserFactory(username="member")
    former = UserFactory(username="former")
    outsider = UserFactory(username="outsider")
    councillor = UserFactory(username="councillor")
    plain = UserFactory(username="plain")
    late = UserFactory(username="late")
    assembly = CommunityFactory(name="Assembly Town", founder=founder)
    add_member(assembly, member)
    add_member(assembly, former)
    council = CommunityFactory(name="Council Town", governance="council", founder=councillor)
    add_member(council, plain)
    open_proposal = make_proposal(assembly, person=founder, kind="resolution", title="Open")
    leave_community(assembly, person=former)
    add_member(assembly, late)  # after voting opened: not in the electorate
    closed = make_proposal(assembly, person=founder, kind="resolution", title="Closed")
    cast_vote(closed, person=founder, choice="yes")
    closed = close_proposal(closed, force=True)
    # a verifiable vote whose trustees are the founder and the member (2 of 2)
    set_rule(
        assembly,
        "change_governance",
        rule={"name": "simple-majority", "threshold": "1/2", "strict": True},
        window_minutes=60,
        secret=True,
        verifiable=True,
        trustees=[founder.pk, member.pk],
        trustee_threshold=2,
    )
    verifiable = make_proposal(
        assembly,
        person=founder,
        kind="change_governance",
        title="Verifiable",
        payload={"governance": "council", "office_holders": [founder.pk]},
    )
    people = {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "member": member,
        "former member": former,
        "late joiner": late,
        "founder": founder,
        "council member": councillor,
        "member under a council": plain,
    }
    objects = {
        "assembly": assembly,
        "council": council,
        "open proposal": open_proposal,
        "closed proposal": closed,
        "verifiable election": verifiable.election,
        None: None,
    }
    return people, objects


EVERYONE = (
    "anonymous",
    "outsider",
    "member",
    "former member",
    "late joiner",
    "founder",
    "council member",
    "member under a council",
)


def _only(*allowed: str) -> dict[str, bool]:
    return {who: who in allowed for who in EVERYONE}


LOGGED_IN = tuple(w for w in EVERYONE if w != "anonymous")

# (permission, object, who may) -- everyone else may not
TABLE: list[tuple[str, str | None, dict[str, bool]]] = [
    ("communities.view_community", "assembly", _only(*EVERYONE)),
    ("communities.found_community", None, _only(*LOGGED_IN)),
    (
        "communities.join_community",
        "assembly",
        _only("outsider", "former member", "council member", "member under a council"),
    ),
    ("communities.leave_community", "assembly", _only("member", "late joiner", "founder")),
    ("communities.leave_community", "council", _only("council member", "member under a council")),
    ("communities.edit_community", "assembly", _only("member", "late joiner", "founder")),
    ("communities.edit_community", "council", _only("council member")),
    # asking to join a parent, withdrawing, leaving the parent: who acts for the community
    ("communities.request_parent", "assembly", _only("member", "late joiner", "founder")),
    ("communities.request_parent", "council", _only("council member")),
    ("proposals.view_proposal", "open proposal", _only(*EVERYONE)),
    ("proposals.add_proposal", "assembly", _only("member", "late joiner", "founder")),
    ("proposals.add_proposal", "council", _only("council member", "member under a council")),
    # the electorate is fixed when voting opens: the late joiner has no vote on it, and
    # the member who left after it opened keeps the vote they had
    ("proposals.vote", "open proposal", _only("member", "founder", "former member")),
    ("proposals.vote", "closed proposal", _only()),
    ("constitutions.view_constitution", "assembly", _only(*EVERYONE)),
    ("audit.view_log", None, _only(*EVERYONE)),
    ("verifiable.view_election", "verifiable election", _only(*EVERYONE)),
    # the trustees the community chose, whatever their other roles
    ("verifiable.act_as_trustee", "verifiable election", _only("founder", "member")),
    # the electorate fixed when the verifiable vote opened (the late joiner was a member by
    # then; the former member had left)
    ("verifiable.vote", "verifiable election", _only("member", "late joiner", "founder")),
    # each person sets their own notices (the view acts on request.user only)
    ("notifications.change_preferences", None, _only(*LOGGED_IN)),
]

# Account permissions: a person acts on their own account only.
ACCOUNT_PERMISSIONS = (
    "accounts.view_own_data",
    "accounts.delete_account",
    "accounts.change_password",
    "accounts.manage_tokens",
)


def test_every_permission_has_a_row():
    covered = {perm for perm, _, _ in TABLE} | set(ACCOUNT_PERMISSIONS)
    declared = set(rules.permissions.permissions.keys())
    assert declared - covered == set(), "add these permissions to TABLE"
    assert covered - declared == set(), "these rows name no declared permission"


@pytest.mark.parametrize(("perm", "target", "expected"), TABLE, ids=lambda v: str(v)[:40])
def test_permission_for_each_kind_of_user(world, perm, target, expected):
    people, objects = world
    got = {who: people[who].has_perm(perm, objects[target]) for who in EVERYONE}
    assert got == expected


@pytest.mark.parametrize("perm", ACCOUNT_PERMISSIONS)
def test_account_permissions_are_for_oneself(world, perm):
    people, _ = world
    member, outsider = people["member"], people["outsider"]
    assert member.has_perm(perm, member)
    assert not member.has_perm(perm, outsider)
    assert not people["anonymous"].has_perm(perm, member)
