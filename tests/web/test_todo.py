"""A person's to-do: votes waiting (home page, navigation count, votes page) and results,
for each kind of person; counted in SQL (the query count does not grow with members)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from secession.web.apps.accounts import todo
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals.actions import cast_vote, make_proposal

from .factories import CommunityFactory, UserFactory, add_member, expire


@pytest.fixture
def world(db):
    founder = UserFactory(username="founder")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    former = UserFactory(username="former")
    late = UserFactory(username="late")
    town = CommunityFactory(name="Oak Town", founder=founder)
    for person in (member, former):
        add_member(town, person)
    first = make_proposal(town, person=founder, kind="resolution", title="Plant trees")
    second = make_proposal(town, person=founder, kind="resolution", title="Fix the bridge")
    done = make_proposal(town, person=founder, kind="resolution", title="Name the square")
    for person in (founder, member, former):
        cast_vote(done, person=person, choice="yes")  # everyone voted: closed, passed
    leave_community(town, person=former)
    add_member(town, late)  # after voting opened on all three
    cast_vote(second, person=founder, choice="no")
    people = {
        "founder": founder,
        "member": member,
        "outsider": outsider,
        "former member": former,
        "late joiner": late,
    }
    return {"town": town, "people": people, "first": first, "second": second, "done": done}


def client(world, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(world["people"][who])
    return c


# Waiting votes and results of each kind of person (the former member stays in the
# electorate fixed when voting opened, so can still vote).
EXPECTED = {
    "founder": (["Plant trees"], ["Name the square"]),
    "member": (["Plant trees", "Fix the bridge"], ["Name the square"]),
    "former member": (["Plant trees", "Fix the bridge"], ["Name the square"]),
    "late joiner": ([], []),
    "outsider": ([], []),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_waiting_and_results_for_each_person(world, who):
    waiting, results = EXPECTED[who]
    person = world["people"][who]
    assert sorted(i.title for i in todo.waiting(person, limit=10)) == sorted(waiting)
    assert [i.title for i in todo.results(person, limit=10)] == results
    assert todo.waiting_count(person) == len(waiting)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_home_page_and_navigation(world, who):
    waiting, results = EXPECTED[who]
    html = client(world, who).get("/").content.decode()
    section = html.split('id="todo"')[1].split("</section>")[0]
    for title in waiting + results:
        assert title in section, title
    for title in {"Plant trees", "Fix the bridge", "Name the square"} - set(waiting + results):
        assert title not in section, title
    if waiting:
        assert f'id="votes-waiting">{len(waiting)} waiting<' in html
        assert "closes in 6\xa0days, 23\xa0hours" in section  # 7 days, less the test run
        assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">', section)
    else:
        assert 'id="votes-waiting"' not in html
        assert "Nothing is waiting for your vote." in section
    if results:
        assert '<span class="passed">passed</span>' in section


def test_anonymous_home_has_no_todo(world):
    html = client(world, "anonymous").get("/").content.decode()
    assert 'id="todo"' not in html and "votes-waiting" not in html
    r = client(world, "anonymous").get("/accounts/me/votes/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_a_vote_leaves_the_todo_and_an_ended_window_too(world):
    member = world["people"]["member"]
    cast_vote(world["first"], person=member, choice="yes")
    assert [i.title for i in todo.waiting(member, limit=10)] == ["Fix the bridge"]
    expire(world["second"])  # window over, not yet closed: nothing left to cast
    assert todo.waiting(member, limit=10) == [] and todo.waiting_count(member) == 0


def test_votes_page_paginates(world, monkeypatch):
    from secession.web.apps.accounts import views

    monkeypatch.setattr(views, "TODO_PAGE_SIZE", 1)
    c = client(world, "member")
    first = c.get("/accounts/me/votes/").content.decode()
    assert "Waiting for your vote (2)" in first and "Page 1 of 2" in first
    # soonest-closing first: "Plant trees" opened first, so closes first
    assert "Plant trees" in first and "Fix the bridge" not in first
    second = c.get("/accounts/me/votes/?page=2").content.decode()
    assert "Fix the bridge" in second and "Plant trees" not in second
    assert "Results of votes you took part in (1)" in second


def test_queries_do_not_grow_with_the_community(world):
    """Home page and votes page: the same number of queries with 3 or 40 more members
    and 10 more waiting proposals."""
    c = client(world, "member")

    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(path).status_code == 200
        return len(ctx.captured_queries)

    before = {p: queries(p) for p in ("/", "/accounts/me/votes/")}
    town = world["town"]
    for n in range(40):
        add_member(town, UserFactory(username=f"extra{n}"))
    for n in range(10):
        make_proposal(town, person=world["people"]["founder"], kind="resolution", title=f"P{n}")
    after = {p: queries(p) for p in ("/", "/accounts/me/votes/")}
    assert after == before
