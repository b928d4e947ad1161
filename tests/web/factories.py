"""factory-boy factories; communities are founded through the real action."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from secession.web.apps.communities.actions import found_community, join_community
from secession.web.apps.communities.models import Community
from secession.web.apps.communities.starter import STARTER_CONSTITUTION
from secession.web.apps.proposals.models import Proposal

PASSWORD = "correct-horse-battery-7"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    display_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password(PASSWORD)


class CommunityFactory(factory.Factory):
    """Found a community with :func:`found_community` (audit rows, rules, constitution)."""

    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    kind = "town"
    governance = "assembly"
    capital = ""
    parent = None
    founder = factory.SubFactory(UserFactory)
    constitution_text = factory.LazyAttribute(
        lambda o: STARTER_CONSTITUTION.format(name=o.name, governance=o.governance)
    )

    @classmethod
    def _create(cls, model_class, *, founder, **kwargs):
        return found_community(person=founder, **kwargs)

    _build = _create


def add_member(community, user=None):
    """Join ``user`` (a new person by default) to ``community``; returns the user."""
    user = user or UserFactory()
    join_community(community, person=user)
    return user


def expire(proposal: Proposal) -> None:
    """Move the end of ``proposal``'s voting window into the past (as time passing would)."""
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    proposal.refresh_from_db()


# ---------------------------------------------------------------- alliances
MAJORITY = {"name": "simple-majority", "threshold": "1/2", "strict": True}


def pass_by_vote(community, person, kind: str, payload: dict | None = None, title: str = ""):
    """Make ``person``'s proposal of ``kind`` in ``community`` and have its whole electorate
    vote yes (it closes at once and, passed, takes effect); returns it closed."""
    from secession.web.apps.proposals.actions import cast_vote, make_proposal

    p = make_proposal(
        community, person=person, kind=kind, title=title or kind, payload=payload or {}
    )
    for e in p.eligible.select_related("person"):
        cast_vote(p, person=e.person, choice="yes")
    p.refresh_from_db()
    assert p.status == "closed", p.result
    return p


def found_alliance_by_vote(community, person, name: str = "Mutual Aid League", **terms):
    """``community`` founds an alliance by its members' unanimous vote; returns it."""
    from secession.web.apps.alliances.models import Alliance
    from secession.web.apps.alliances.starter import STARTER_CHARTER

    payload = {
        "name": name,
        "purpose": "Mutual aid and independence.",
        "charter": STARTER_CHARTER,
        "method": terms.pop("method", "equal"),
        "rule": terms.pop("rule", MAJORITY),
        "window_minutes": terms.pop("window_minutes", 60),
        **terms,
    }
    p = pass_by_vote(community, person, "found_alliance", payload)
    assert p.passed, p.result
    return Alliance.objects.get(founding_proposal=p)


def admit(child, parent=None):
    """The parent's members admit ``child`` (which asked to join): an ``admit_community``
    proposal that every member of the parent votes for. Returns the child, refreshed."""
    from secession.web.apps.proposals.actions import cast_vote, make_proposal

    parent = parent or child.requested_parent
    voters = [m.person for m in parent.active_members().select_related("person")]
    p = make_proposal(
        parent,
        person=voters[0],
        kind="admit_community",
        title=f"Admit {child.name}",
        payload={"community": child.slug},
    )
    for person in voters:
        cast_vote(p, person=person, choice="yes")
    child.refresh_from_db()
    assert child.parent_id == parent.pk, "the admission did not pass"
    return child
