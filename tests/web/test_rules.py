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
from secession.web.apps.constitutions.actions import adopt_version
from secession.web.apps.proposals.actions import (
    cast_vote,
    close_proposal,
    make_proposal,
    set_rule,
)

from .factories import (
    CommunityFactory,
    UserFactory,
    add_member,
    found_alliance_by_vote,
    pass_by_vote,
)


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
    constitution = adopt_version(assembly, "We govern ourselves.", person=founder)
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
    # plans of the founder: one private, one shared, one running (private)
    private_plan = _plan_job(founder, status="done")
    shared_plan = _plan_job(founder, status="done", shared=True)
    running_plan = _plan_job(founder, status="running")
    from secession.web.apps.planner.models import DataUpload

    upload = DataUpload.objects.create(
        owner=founder, title="wards", kind="units", files={}, names={}, ready=True
    )
    # opt-in referendums on a territory: made by a member under a council, by the founder
    # of the assembly, and one whose border repair has started (its plan is shared)
    council_optin = _optin(council, plain)
    assembly_optin = _optin(assembly, founder)
    started_optin = _optin(assembly, founder)
    counted_optin = _optin(assembly, founder, results_source="platform")
    optin_plan = _plan_job(founder, status="done", shared=True, edits={"opt_in": {"units": []}})
    from secession.web.apps.planner.models import OptInRepair

    OptInRepair.objects.create(proposal=started_optin, job=optin_plan)
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
        "assembly's constitution": constitution,
        "open proposal": open_proposal,
        "closed proposal": closed,
        "verifiable election": verifiable.election,
        "private plan": private_plan,
        "shared plan": shared_plan,
        "running plan": running_plan,
        "uploaded dataset": upload,
        "council's opt-in referendum": council_optin,
        "assembly's opt-in referendum": assembly_optin,
        "started opt-in referendum": started_optin,
        "counted opt-in referendum": counted_optin,
        "opt-in repair plan": optin_plan,
        None: None,
    }
    return people, objects


def _optin(community, author, **payload):
    from secession.web.apps.proposals.actions import open_proposal

    return open_proposal(
        community, actor=author, author=author, kind="optin_territory", title="Opt in",
        payload={"units": ["41001"], **payload},
    )  # fmt: skip


def _plan_job(owner, **fields):
    from secession.web.apps.planner.models import PlanJob

    return PlanJob.objects.create(
        owner=owner, dataset={"kind": "us-counties", "year": 2020}, constraints={}, **fields
    )


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
    # translations: anyone reads them; the community's current members add them (the
    # declarations' rows, on the declaring community, are in test_translations.py)
    ("translations.view_translation", "assembly's constitution", _only(*EVERYONE)),
    (
        "translations.add_translation",
        "assembly's constitution",
        _only("member", "late joiner", "founder"),
    ),
    ("translations.add_translation", None, _only()),
    ("translations.add_translation", "assembly", _only()),  # not a text
    ("audit.view_log", None, _only(*EVERYONE)),
    ("verifiable.view_election", "verifiable election", _only(*EVERYONE)),
    # the trustees the community chose, whatever their other roles
    ("verifiable.act_as_trustee", "verifiable election", _only("founder", "member")),
    # the electorate fixed when the verifiable vote opened (the late joiner was a member by
    # then; the former member had left)
    ("verifiable.vote", "verifiable election", _only("member", "late joiner", "founder")),
    # the registry is public; its rule is set by the site's administrators only (none of
    # these people: see test_registry.py for an administrator)
    ("registry.view_registry", None, _only(*EVERYONE)),
    ("registry.set_recognition_rule", None, _only()),
    # each person sets their own notices (the view acts on request.user only)
    ("notifications.change_preferences", None, _only(*LOGGED_IN)),
    # plans are the founder's here: private until shared, then seen by everyone (the shared
    # plan's viewers: anonymous readers and every other person)
    ("planner.start_plan", None, _only(*LOGGED_IN)),
    ("planner.map_place", None, _only(*LOGGED_IN)),
    ("planner.map_region", None, _only(*LOGGED_IN)),
    ("planner.view_plan", "private plan", _only("founder")),
    ("planner.view_plan", "shared plan", _only(*EVERYONE)),
    ("planner.view_plan", "running plan", _only("founder")),
    ("planner.stop_plan", "running plan", _only("founder")),
    ("planner.stop_plan", "shared plan", _only()),  # done: nothing to stop
    ("planner.share_plan", "private plan", _only("founder")),
    ("planner.share_plan", "shared plan", _only("founder")),
    ("planner.delete_plan", "shared plan", _only("founder")),
    ("planner.delete_plan", "running plan", _only()),  # stop it first
    ("planner.check_plan", "private plan", _only("founder")),
    ("planner.check_plan", "shared plan", _only(*EVERYONE)),
    ("planner.check_plan", "running plan", _only()),  # no result to edit yet
    ("planner.repair_plan", "private plan", _only("founder")),
    ("planner.repair_plan", "shared plan", _only("founder")),
    ("planner.repair_plan", "running plan", _only()),
    # the border repair of a referendum is not edited by hand (its votes are the referendum's)
    ("planner.check_plan", "opt-in repair plan", _only()),
    ("planner.repair_plan", "opt-in repair plan", _only()),
    # the official results of an opt-in referendum: its author or those who act for the
    # community (a council's members; every member of an assembly), until the repair starts
    (
        "planner.upload_optin_results",
        "council's opt-in referendum",
        _only("council member", "member under a council"),
    ),
    (
        "planner.upload_optin_results",
        "assembly's opt-in referendum",
        _only("founder", "member", "late joiner"),
    ),
    ("planner.upload_optin_results", "started opt-in referendum", _only()),
    ("planner.upload_optin_results", "open proposal", _only()),
    # one counted from its own ballots takes no file; its electorate votes, naming a county
    ("planner.upload_optin_results", "counted opt-in referendum", _only()),
    ("proposals.vote", "counted opt-in referendum", _only("founder", "member", "late joiner")),
    # uploaded datasets are the founder's here, and never shared
    ("planner.upload_dataset", None, _only(*LOGGED_IN)),
    ("planner.use_upload", "uploaded dataset", _only("founder")),
    ("planner.delete_upload", "uploaded dataset", _only("founder")),
]

# Account permissions: a person acts on their own account only.
ACCOUNT_PERMISSIONS = (
    "accounts.view_own_data",
    "accounts.delete_account",
    "accounts.change_password",
    "accounts.manage_tokens",
)


@pytest.fixture
def alliance_world(db):
    """People in every relation to an alliance: members of its member communities (an
    assembly, a council, a leader), their office holders, a community outside it, one that
    left it, and people in no community."""
    from secession.web.apps.alliances.actions import post_pledge
    from secession.web.apps.alliances.decisions import make_alliance_proposal

    def person(name):
        return UserFactory(username=name)

    a_founder, a_member = person("a-founder"), person("a-member")
    councillor, c_member = person("councillor"), person("c-member")
    leader, l_member = person("leader"), person("l-member")
    outsider, f_member, nobody = person("outside-member"), person("f-member"), person("nobody")
    assembly = CommunityFactory(name="Assembly Member", founder=a_founder)
    add_member(assembly, a_member)
    council = CommunityFactory(name="Council Member", governance="council", founder=councillor)
    add_member(council, c_member)
    ruled = CommunityFactory(
        name="Leader Member", governance="leader", capital="Hall", founder=leader
    )
    add_member(ruled, l_member)
    CommunityFactory(name="Outside", founder=outsider)
    former = CommunityFactory(name="Former Member", founder=f_member)
    alliance = found_alliance_by_vote(assembly, a_founder, name="The League", admission="open")
    for community, who in ((council, councillor), (ruled, leader), (former, f_member)):
        pass_by_vote(community, who, "join_alliance", {"alliance": alliance.slug})
    pass_by_vote(former, f_member, "leave_alliance", {"alliance": alliance.slug})
    vote = make_alliance_proposal(
        alliance, person=c_member, community=council, kind="resolution", title="Together"
    )
    internal = {e.community_id: e.internal for e in vote.eligible.all()}
    people = {
        "anonymous": AnonymousUser(),
        "non-member": nobody,
        "assembly founder": a_founder,
        "member of a member assembly": a_member,
        "council member of a member": councillor,
        "member under a member council": c_member,
        "leader of a member": leader,
        "member under a member leader": l_member,
        "member of a community outside": outsider,
        "member of a former member": f_member,
    }
    objects = {
        "alliance": alliance,
        "council's pledge": post_pledge(
            alliance, person=councillor, community=council, kind="offer", title="Grain"
        ),
        "assembly's pledge": post_pledge(
            alliance, person=a_member, community=assembly, kind="request", title="Tools"
        ),
        "council's alliance vote": internal[council.pk],
        "assembly's alliance vote": internal[assembly.pk],
        "leader's alliance vote": internal[ruled.pk],
        "charter": alliance.charter.first(),
        None: None,
    }
    return people, objects


ALLIANCE_PEOPLE = (
    "anonymous",
    "non-member",
    "assembly founder",
    "member of a member assembly",
    "council member of a member",
    "member under a member council",
    "leader of a member",
    "member under a member leader",
    "member of a community outside",
    "member of a former member",
)
IN_MEMBERS = ALLIANCE_PEOPLE[2:8]
SPEAK_FOR_MEMBERS = (
    "assembly founder",
    "member of a member assembly",
    "council member of a member",
    "leader of a member",
)


def _only_of(*allowed: str) -> dict[str, bool]:
    return {who: who in allowed for who in ALLIANCE_PEOPLE}


ALLIANCE_TABLE: list[tuple[str, str | None, dict[str, bool]]] = [
    ("alliances.view_alliance", "alliance", _only_of(*ALLIANCE_PEOPLE)),
    ("alliances.view_alliance", None, _only_of(*ALLIANCE_PEOPLE)),
    # any member of a member community may propose (as in a community)
    ("alliances.add_proposal", "alliance", _only_of(*IN_MEMBERS)),
    # a charter's translators: members of its member communities (as for proposals)
    ("translations.add_translation", "charter", _only_of(*IN_MEMBERS)),
    ("translations.view_translation", "charter", _only_of(*ALLIANCE_PEOPLE)),
    # the board speaks for a community: its office holders (every member of an assembly)
    ("alliances.post_pledge", "alliance", _only_of(*SPEAK_FOR_MEMBERS)),
    ("alliances.close_pledge", "council's pledge", _only_of("council member of a member")),
    (
        "alliances.close_pledge",
        "assembly's pledge",
        _only_of("assembly founder", "member of a member assembly"),
    ),
    # how a community casts its alliance vote is its own rule: by default its office
    # holders decide (the council, the leader; all members of an assembly)
    ("proposals.vote", "council's alliance vote", _only_of("council member of a member")),
    ("proposals.vote", "leader's alliance vote", _only_of("leader of a member")),
    (
        "proposals.vote",
        "assembly's alliance vote",
        _only_of("assembly founder", "member of a member assembly"),
    ),
]


@pytest.mark.parametrize(("perm", "target", "expected"), ALLIANCE_TABLE, ids=lambda v: str(v)[:40])
def test_alliance_permission_for_each_kind_of_user(alliance_world, perm, target, expected):
    people, objects = alliance_world
    got = {who: people[who].has_perm(perm, objects[target]) for who in ALLIANCE_PEOPLE}
    assert got == expected


def test_every_permission_has_a_row():
    covered = {perm for perm, _, _ in TABLE + ALLIANCE_TABLE} | set(ACCOUNT_PERMISSIONS)
    declared = set(rules.permissions.permissions.keys())
    assert declared - covered == set(), "add these permissions to TABLE"
    assert covered - declared == set(), "these rows name no declared permission"


@pytest.mark.parametrize(("perm", "target", "expected"), TABLE, ids=lambda v: str(v)[:40])
def test_permission_for_each_kind_of_user(world, perm, target, expected):
    people, objects = world
    got = {who: people[who].has_perm(perm, objects[target]) for who in EVERYONE}
    assert got == expected


def test_the_query_of_where_one_may_propose_agrees_with_the_rule(world):
    """The plan page lists communities by a query, not the rule: for each kind of user the
    two agree on both communities (and no other community is listed)."""
    from secession.web.apps.proposals.rules import communities_where_may_propose

    people, objects = world
    for who in EVERYONE:
        listed = set(communities_where_may_propose(people[who]))
        for name in ("assembly", "council"):
            community = objects[name]
            assert (community in listed) == people[who].has_perm(
                "proposals.add_proposal", community
            ), (who, name)
        assert listed <= {objects["assembly"], objects["council"]}, who


@pytest.mark.parametrize("perm", ACCOUNT_PERMISSIONS)
def test_account_permissions_are_for_oneself(world, perm):
    people, _ = world
    member, outsider = people["member"], people["outsider"]
    assert member.has_perm(perm, member)
    assert not member.has_perm(perm, outsider)
    assert not people["anonymous"].has_perm(perm, member)
