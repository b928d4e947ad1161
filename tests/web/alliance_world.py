"""A small world of communities in an alliance, shared by the alliance tests."""

from __future__ import annotations

from secession.web.apps.alliances.models import AllianceProposal
from secession.web.apps.proposals.actions import cast_vote
from secession.web.apps.proposals.models import Proposal

from .factories import (
    CommunityFactory,
    UserFactory,
    add_member,
    found_alliance_by_vote,
    pass_by_vote,
)


def internal(proposal: AllianceProposal, community) -> Proposal:
    """The community's own vote on an alliance proposal."""
    return proposal.eligible.get(community=community).internal


def vote(proposal: Proposal, choices: dict | str = "yes") -> None:
    """Everyone in the electorate votes ``choices`` (or a person -> choice mapping)."""
    if isinstance(choices, str):
        choices = {e.person: choices for e in proposal.eligible.select_related("person")}
    for person, choice in choices.items():
        cast_vote(proposal, person=person, choice=choice)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def make_people() -> dict:
    names = ("ann", "amy", "abe", "bea", "bob", "cal", "cat", "dan", "oz", "nobody")
    return {n: UserFactory(username=n) for n in names}


def make_league(p: dict) -> dict:
    """The Valley League: Ashford (an assembly of 3: ann, amy, abe) founded it; Brook (a
    council: bea holds office, bob does not) and Cliff (cal leads, cat does not) were
    admitted by vote. Dale (dan alone) and Out (oz) are outside; nobody is in no community."""
    ashford = CommunityFactory(name="Ashford", founder=p["ann"])
    add_member(ashford, p["amy"])
    add_member(ashford, p["abe"])
    brook = CommunityFactory(name="Brook", governance="council", founder=p["bea"])
    add_member(brook, p["bob"])
    cliff = CommunityFactory(name="Cliff", governance="leader", capital="Hall", founder=p["cal"])
    add_member(cliff, p["cat"])
    dale = CommunityFactory(name="Dale", founder=p["dan"])
    out = CommunityFactory(name="Out", founder=p["oz"])
    league = found_alliance_by_vote(ashford, p["ann"], name="Valley League")
    for community, who in ((brook, p["bea"]), (cliff, p["cal"])):
        pass_by_vote(community, who, "join_alliance", {"alliance": league.slug})
        admission = AllianceProposal.objects.get(subject=community, kind="admit_member")
        for e in admission.eligible.all():
            vote(e.internal)
        assert fresh(admission).passed, admission.result
    return {
        "league": league,
        "ashford": ashford,
        "brook": brook,
        "cliff": cliff,
        "dale": dale,
        "out": out,
        **p,
    }
