"""Forms that help (issue 20): every error at its field (aria-invalid, aria-describedby
naming the field's own error list), a summary at the top linking to each field, plain
words instead of library text, and a 405 page with words on POST-only addresses."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from secession.web.apps.proposals.actions import make_proposal

from .factories import CommunityFactory, UserFactory, add_member


def _input(html: str, name: str) -> str:
    """The opening tag of the input (or textarea/select) named ``name``."""
    match = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def assert_error_at_field(html: str, name: str, message: str) -> None:
    """The field is marked invalid, described by its own error list holding ``message``,
    and the summary at the top links to it."""
    tag = _input(html, name)
    field_id = re.search(r'\sid="([^"]+)"', tag).group(1)
    assert 'aria-invalid="true"' in tag, tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
    assert f"{field_id}_error" in described, tag
    own = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', html, re.S)
    assert own and message in own.group(1)
    summary = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert summary and "There is a problem" in summary.group(1)
    assert f'<a href="#{field_id}">' in summary.group(1)
    # the summary comes first, the field's own error right after its input
    assert html.index("error-summary") < html.index(tag) < own.start()


def valid_fields_are_not_marked(html: str, *names: str) -> None:
    for name in names:
        assert "aria-invalid" not in _input(html, name), name


@pytest.mark.django_db
def test_register_errors_are_at_their_fields():
    r = Client().post(
        "/accounts/register/", {"username": "", "password": "x", "password_again": "y"}
    )
    html = r.content.decode()
    assert_error_at_field(html, "username", "Choose a username.")
    assert_error_at_field(html, "password_again", "The two passwords are not the same")
    valid_fields_are_not_marked(html, "display_name")
    assert "<title>Error: " in html


@pytest.mark.django_db
def test_a_blank_second_password_gets_one_plain_error():
    r = Client().post(
        "/accounts/register/",
        {"username": "ann", "password": "correct-horse-battery", "password_again": ""},
    )
    html = r.content.decode()
    assert r.context["form"].errors == {
        "password_again": ["Type the same password again, to be sure of it."]
    }
    assert_error_at_field(html, "password_again", "Type the same password again")
    assert "differ" not in html and "not the same" not in html
    assert "This field is required." not in html


@pytest.mark.django_db
def test_login_errors_are_at_their_fields():
    html = Client().post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert_error_at_field(html, "username", "Type your username.")
    assert_error_at_field(html, "password", "Type your password.")
    assert "This field is required." not in html


@pytest.mark.django_db
def test_a_wrong_password_is_said_in_the_summary():
    UserFactory(username="ann")
    r = Client().post("/accounts/login/", {"username": "ann", "password": "wrong-one-1"})
    summary = r.content.decode().split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Wrong username or password." in summary


@pytest.mark.django_db
def test_found_community_errors_are_at_their_fields():
    client = Client()
    client.force_login(UserFactory())
    r = client.post("/communities/new/", {"name": "", "kind": "town", "governance": "moon"})
    html = r.content.decode()
    assert_error_at_field(html, "name", "Give the community a name.")
    assert_error_at_field(html, "governance", "Select a valid choice.")
    valid_fields_are_not_marked(html, "description", "capital")


@pytest.mark.django_db
def test_propose_errors_are_at_their_fields():
    ann = UserFactory()
    town = CommunityFactory(name="Form Town", founder=ann)
    client = Client()
    client.force_login(ann)
    r = client.post(f"/proposals/new/{town.slug}/?kind=resolution", {"title": ""})
    html = r.content.decode()
    assert_error_at_field(html, "title", "Give the proposal a title.")
    valid_fields_are_not_marked(html, "body")


@pytest.mark.django_db
def test_a_vote_without_a_choice_is_refused_at_the_radios():
    ann = UserFactory()
    town = CommunityFactory(name="Radio Town", founder=ann)
    add_member(town, UserFactory())
    proposal = make_proposal(town, person=ann, kind="resolution", title="Plant trees")
    client = Client()
    client.force_login(ann)
    r = client.post(f"/proposals/{proposal.pk}/vote/", {})
    html = r.content.decode()
    assert r.status_code == 400 and not proposal.ballots.exists()
    fieldset = re.search(r'<fieldset class="field invalid" aria-describedby="([^"]+)">', html)
    assert fieldset and fieldset.group(1) == "id_choice_error"
    assert 'aria-invalid="true"' in _input(html, "choice")
    assert '<a href="#id_choice_0">Your vote: Choose yes, no or abstain.</a>' in html


POST_ONLY = [
    ("/accounts/logout/", "This address logs you out", "/"),
    ("/accounts/me/delete/", "This address deletes your account.", "/accounts/me/"),
    ("/communities/{slug}/leave/", "ends your membership", "/communities/{slug}/"),
    ("/communities/{slug}/join/", "makes you a member", "/communities/{slug}/"),
    ("/proposals/{pk}/vote/", "records your vote", "/proposals/{pk}/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "words", "back"), POST_ONLY)
def test_get_on_a_post_only_address_is_a_page_with_words(address, words, back):
    ann = UserFactory()
    town = CommunityFactory(name="Get Town", founder=ann)
    proposal = make_proposal(town, person=ann, kind="resolution", title="Plant trees")
    client = Client()
    client.force_login(ann)
    fill = {"slug": town.slug, "pk": proposal.pk}
    r = client.get(address.format(**fill))
    html = r.content.decode()
    assert r.status_code == 405 and r["Allow"] == "POST"
    assert words in html and "Nothing was changed." in html
    assert f'<a href="{back.format(**fill)}" id="back">' in html
    assert "_auth_user_id" in client.session and town.active_members().count() == 1
