"""Verifiable ballots on the platform, through the API as trustees and voters use it: the
key ceremony (each trustee's material made off the server, with ``secession.ballots``),
encrypted ballots checked before they are accepted, one counted ballot per voter, the
audit, the tally at close, the trustees' decryption, the decided proposal, and a board
that ``verify_board`` accepts; then every refusal, for each kind of user."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from secession.ballots import trustees as ceremony
from secession.ballots.ballot import encrypt_ballot
from secession.ballots.board import Board
from secession.ballots.election import ElectionKey
from secession.ballots.manifest import Manifest
from secession.ballots.tally import decryption_share
from secession.ballots.trustees import TrusteePublic
from secession.ballots.verify import verify_board
from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.proposals.actions import close_proposal, make_proposal, set_rule
from secession.web.apps.proposals.models import Status
from secession.web.apps.verifiable.models import Election

from .factories import CommunityFactory, UserFactory, add_member, expire

RULE = {"name": "simple-majority", "threshold": "1/2", "strict": True}


def api(user, method: str, path: str, body=None):
    headers = {"HTTP_AUTHORIZATION": "Bearer " + create_token(user)} if user else {}
    fn = getattr(Client(), method)
    url = f"/api/verifiable/{path}"
    if body is None:
        return fn(url, **headers)
    return fn(url, json.dumps(body), content_type="application/json", **headers)


def verifiable_town():
    """A community of 7 whose resolutions are verifiable, 3 of 5 trustees."""
    founder = UserFactory(username="ana")
    community = CommunityFactory(name="Free Valley", founder=founder)
    people = [founder] + [
        add_member(community, UserFactory(username=n))
        for n in ("ben", "cy", "dee", "eli", "fay", "gus")
    ]
    set_rule(
        community,
        "resolution",
        rule=RULE,
        window_minutes=60,
        secret=True,
        verifiable=True,
        trustees=[p.pk for p in people[:5]],
        trustee_threshold=3,
    )
    return community, people


@pytest.fixture
def town(db):
    """A community of 7 whose resolutions are verifiable, 3 of 5 trustees."""
    return verifiable_town()


def board_of(proposal) -> Board:
    data = json.loads(
        b"".join(Client().get(f"/verifiable/{proposal.pk}/board.json").streaming_content)
    )
    return Board.from_json(data)


def key_ceremony(proposal, people):
    """Every trustee makes its key material, posts its record and shares, checks the
    shares received: returns the trustees' secrets."""
    manifest = Manifest.from_json(api(None, "get", f"{proposal.pk}/board").json()["entries"][0])
    secrets = [ceremony.generate(manifest, p.username) for p in people[:5]]
    for person, secret in zip(people, secrets, strict=False):
        r = api(person, "post", f"{proposal.pk}/trustee-record", secret.public(manifest).to_json())
        assert r.status_code == 201, r.json()
    board = board_of(proposal)
    publics = [TrusteePublic.from_json(e, manifest) for _, e in board.of_type("trustee")]
    for person, secret in zip(people, secrets, strict=False):
        r = api(
            person, "post", f"{proposal.pk}/shares", ceremony.seal_shares(secret, manifest, publics)
        )
        assert r.status_code == 201, r.json()
    files = [s["data"] for s in api(None, "get", f"{proposal.pk}/shares").json()]
    for secret in secrets:
        ceremony.open_shares(secret, manifest, publics, files)
    return secrets


def election_key(proposal) -> ElectionKey:
    ctx = api(None, "get", f"{proposal.pk}/context").json()
    manifest = Manifest.from_json(ctx["manifest"])
    return ElectionKey(
        manifest, tuple(TrusteePublic.from_json(t, manifest) for t in ctx["trustees"])
    )


def test_a_verifiable_vote_from_opening_to_a_verified_result(town) -> None:
    community, people = town
    proposal = make_proposal(community, person=people[1], kind="resolution", title="Leave?")
    assert proposal.verifiable and proposal.secret
    assert api(None, "get", str(proposal.pk)).json()["phase"] == "setup"
    secrets = key_ceremony(proposal, people)
    assert api(None, "get", str(proposal.pk)).json()["phase"] == "voting"
    key = election_key(proposal)
    choices = {"ana": 0, "ben": 0, "cy": 1, "dee": 0, "eli": 2, "fay": 1}  # gus does not vote
    trackers = {}
    for person in people[:6]:
        made = encrypt_ballot(key, [choices[person.username]])
        r = api(person, "post", f"{proposal.pk}/ballots", made.ballot.to_json())
        assert r.status_code == 201, r.json()
        trackers[person.username] = r.json()["tracker"]
        assert trackers[person.username] == made.ballot.tracker.hex()
    audited = encrypt_ballot(key, [1])
    r = api(people[6], "post", f"{proposal.pk}/audits", audited.audit_json())
    assert r.status_code == 201 and r.json()["choices"] == ["no"]
    for name, tracker in trackers.items():  # each voter finds their ballot
        assert api(None, "get", f"{proposal.pk}/trackers/{tracker}").json()["type"] == "ballot", (
            name
        )
    expire(proposal)
    proposal = close_proposal(proposal)
    assert proposal.status == Status.COUNTING
    board = board_of(proposal)
    tally = board.of_type("tally")[0][1]
    assert tally["ballots"] == 6 and len(tally["voters"]) == 6
    assert verify_board(board).ok  # a trustee checks before decrypting
    from secession.ballots.coordinator import posted_tally

    ciphertexts = posted_tally(board, key)
    for index in (2, 4, 5):
        share = decryption_share(secrets[index - 1], key, ciphertexts)
        r = api(people[index - 1], "post", f"{proposal.pk}/decryptions", share.to_json())
        assert r.status_code == 201, r.json()
    proposal.refresh_from_db()
    assert proposal.status == Status.CLOSED and proposal.passed is True
    assert proposal.result["counts"] == {"yes": 3, "no": 2, "abstain": 1}
    report = verify_board(board_of(proposal))
    assert report.ok, report.problems
    assert report.counts == (3, 2, 1) and report.audits == 1 and report.voters == 6
    summary = api(None, "get", str(proposal.pk)).json()
    assert summary["phase"] == "decided" and summary["counts"] == {"yes": 3, "no": 2, "abstain": 1}
    page = Client().get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Verifiable secret ballot" in page and "Yes 3, no 2, abstain 1" in page
    from secession.web.apps.audit.log import verify

    checked = verify()  # the board, the proposal and its result agree with the audit log
    assert checked.ok and "verifiable" in checked.checks, checked.problems
    from django.db import connection

    from secession.web.apps.verifiable.models import Entry

    ballot = Entry.objects.filter(election__proposal=proposal, kind="ballot").first()
    with connection.cursor() as cursor:  # someone swaps a ballot on the board
        cursor.execute(
            f"UPDATE {Entry._meta.db_table} SET data = %s WHERE id = %s",
            [json.dumps({**ballot.data, "voter": "voter-0"}), ballot.pk],
        )
    found = verify().first.describe()
    assert f"verifiable_entry row {ballot.pk}" in found and "differs from what the log" in found


@pytest.fixture
def opened(town):
    community, people = town
    proposal = make_proposal(community, person=people[0], kind="resolution", title="Leave?")
    return community, people, proposal


def test_votes_wait_for_the_key_and_only_trustees_post_key_material(opened) -> None:
    _community, people, proposal = opened
    outsider = UserFactory(username="olga")
    key_free = {"type": "ballot"}
    r = api(people[5], "post", f"{proposal.pk}/ballots", key_free)
    assert r.status_code == 409 and "setting up the election key" in r.json()["detail"]
    manifest = Manifest.from_json(board_of(proposal).entries[0])
    record = ceremony.generate(manifest, "ben").public(manifest).to_json()
    assert api(None, "post", f"{proposal.pk}/trustee-record", record).status_code == 401
    for who in (outsider, people[5]):  # not a trustee: an outsider, a member
        r = api(who, "post", f"{proposal.pk}/trustee-record", record)
        assert r.status_code == 403 and "trustees" in r.json()["detail"]
    r = api(people[0], "post", f"{proposal.pk}/trustee-record", record)  # ana posts ben's
    assert r.status_code == 403 and "you are trustee 1" in r.json()["detail"]
    assert api(people[1], "post", f"{proposal.pk}/trustee-record", record).status_code == 201
    again = api(people[1], "post", f"{proposal.pk}/trustee-record", record)
    assert again.status_code == 409
    bad = {**record, "commitments": list(reversed(record["commitments"]))}
    r = api(people[2], "post", f"{proposal.pk}/trustee-record", {**bad, "index": 3, "name": "cy"})
    assert r.status_code == 400 and "does not verify" in r.json()["detail"]
    r = api(people[2], "post", f"{proposal.pk}/context")
    assert r.status_code == 405
    assert api(None, "get", f"{proposal.pk}/context").status_code == 409


def test_ballots_are_checked_and_one_per_voter(opened) -> None:
    community, people, proposal = opened
    key_ceremony(proposal, people)
    key = election_key(proposal)
    made = encrypt_ballot(key, [0])
    tampered = json.loads(json.dumps(made.ballot.to_json()))
    tampered["selections"][0]["proof"][0]["c"] = tampered["selections"][1]["proof"][0]["c"]
    r = api(people[5], "post", f"{proposal.pk}/ballots", tampered)
    assert r.status_code == 400
    assert f"ballot {made.ballot.tracker.hex()[:16]}: the tracker" in r.json()["detail"]
    assert api(None, "post", f"{proposal.pk}/ballots", made.ballot.to_json()).status_code == 401
    late = add_member(community, UserFactory(username="late"))  # joined after opening
    r = api(late, "post", f"{proposal.pk}/ballots", made.ballot.to_json())
    assert r.status_code == 403 and "electorate" in r.json()["detail"]
    assert (
        api(people[5], "post", f"{proposal.pk}/ballots", made.ballot.to_json()).status_code == 201
    )
    second = encrypt_ballot(key, [1]).ballot.to_json()
    r = api(people[5], "post", f"{proposal.pk}/ballots", second)
    assert r.status_code == 409 and "already voted" in r.json()["detail"]
    r = api(people[6], "post", f"{proposal.pk}/ballots", made.ballot.to_json())  # a copy
    assert r.status_code == 409 and "already on the board" in r.json()["detail"]
    audited = encrypt_ballot(key, [1])
    assert api(people[6], "post", f"{proposal.pk}/audits", audited.audit_json()).status_code == 201
    r = api(people[6], "post", f"{proposal.pk}/ballots", audited.ballot.to_json())
    assert r.status_code == 409  # an audited ballot is never counted
    lie = {**audited.audit_json(), "choices": [0]}
    fresh = encrypt_ballot(key, [1])
    r = api(people[6], "post", f"{proposal.pk}/audits", {**fresh.audit_json(), "choices": [0]})
    assert r.status_code == 400 and "not an encryption of 1" in r.json()["detail"], lie
    r = api(UserFactory(username="stranger"), "post", f"{proposal.pk}/audits", fresh.audit_json())
    assert r.status_code == 403
    # who voted is recorded once, by the proposals app; the board holds the ballot
    assert proposal.ballots.count() == 1
    assert Election.objects.get(proposal=proposal).entries.filter(kind="ballot").count() == 1


def test_decryption_waits_for_the_close_and_comes_from_trustees_only(opened) -> None:
    _community, people, proposal = opened
    secrets = key_ceremony(proposal, people)
    key = election_key(proposal)
    api(people[5], "post", f"{proposal.pk}/ballots", encrypt_ballot(key, [0]).ballot.to_json())
    share = {"type": "decryption", "trustee": 1, "shares": []}
    r = api(people[0], "post", f"{proposal.pk}/decryptions", share)
    assert r.status_code == 409 and "once voting has closed" in r.json()["detail"]
    expire(proposal)
    close_proposal(proposal)
    from secession.ballots.coordinator import posted_tally

    tally = posted_tally(board_of(proposal), key)
    mine = decryption_share(secrets[0], key, tally).to_json()
    assert api(people[5], "post", f"{proposal.pk}/decryptions", mine).status_code == 403
    r = api(people[1], "post", f"{proposal.pk}/decryptions", mine)  # ben posts ana's
    assert r.status_code == 403 and "you are trustee 2" in r.json()["detail"]
    forged = json.loads(json.dumps(mine))
    forged["shares"][0]["M"] = forged["shares"][1]["M"]
    r = api(people[0], "post", f"{proposal.pk}/decryptions", forged)
    assert r.status_code == 400
    assert (
        "decryption by trustee 1 (ana), option 1 ('yes'): the proof does not verify"
        in (r.json()["detail"])
    )
    assert api(people[0], "post", f"{proposal.pk}/decryptions", mine).status_code == 201
    assert api(people[0], "post", f"{proposal.pk}/decryptions", mine).status_code == 409
    assert Client().get(f"/api/proposals/{proposal.pk}").json()["status"] == "counting"


def test_a_rule_change_chooses_trustees_among_the_members(town) -> None:
    community, people = town
    from django.core.exceptions import ValidationError

    outsider = UserFactory(username="olga")
    payload = {
        "target_kind": "resolution",
        "rule": RULE,
        "window_minutes": 60,
        "verifiable": True,
        "trustees": [people[0].pk, outsider.pk],
        "threshold": 1,
    }
    with pytest.raises(ValidationError, match="trustees must be members"):
        make_proposal(community, person=people[0], kind="change_rule", title="T", payload=payload)
    payload["trustees"] = [people[0].pk, people[1].pk]
    payload["threshold"] = 3
    with pytest.raises(ValidationError, match="threshold must be a whole number from 1 to 2"):
        make_proposal(community, person=people[0], kind="change_rule", title="T", payload=payload)
    payload["threshold"] = 2
    p = make_proposal(community, person=people[0], kind="change_rule", title="T", payload=payload)
    assert "Verifiable secret ballot, decrypted by any 2 of the 2 trustees ana, ben" in (
        Client().get(f"/proposals/{p.pk}/").content.decode()
    )


@pytest.mark.parametrize("who", ["anonymous", "outsider", "voter", "trustee"])
def test_the_pages_for_each_kind_of_user(opened, who) -> None:
    _community, people, proposal = opened
    key_ceremony(proposal, people)
    users = {
        "anonymous": None,
        "outsider": UserFactory(username="olga"),
        "voter": people[5],
        "trustee": people[0],
    }
    client = Client()
    if users[who]:
        client.force_login(users[who])
    vote = client.get(f"/verifiable/{proposal.pk}/vote/").content.decode()
    election = client.get(f"/verifiable/{proposal.pk}/").content.decode()
    board = client.get(f"/verifiable/{proposal.pk}/board/").content.decode()
    assert "Bulletin board" in board and "trustee 5 (eli)" in board
    if who == "anonymous":
        assert "Log in</a> to vote" in vote
    elif who == "outsider":
        assert "not in this proposal's electorate" in vote
    else:
        assert 'id="verifiable-vote"' in vote and "vote.js" in vote
    assert ("Your part as trustee 1" in election) == (who == "trustee")
    upload = client.post(f"/verifiable/{proposal.pk}/upload/record/", {"text": "{}"})
    if who == "anonymous":
        assert upload.status_code == 302 and "/accounts/login" in upload["Location"]
    elif who == "trustee":
        assert upload.status_code == 302  # back to the election page with the message
    else:
        assert upload.status_code == 403


def test_the_module_files_are_served(db) -> None:
    for name in ("ballot.js", "libsodium-wrappers.mjs", "libsodium-sumo.mjs", "vote.js"):
        r = Client().get(f"/verifiable/assets/{name}")
        assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert (
        b'from "./libsodium-wrappers.mjs"' in Client().get("/verifiable/assets/ballot.js").content
    )
    assert Client().get("/verifiable/assets/secret.txt").status_code == 404


def test_a_vote_whose_key_was_never_set_up_is_decided_with_no_votes(opened) -> None:
    _community, _people, proposal = opened
    expire(proposal)
    proposal = close_proposal(proposal)
    assert proposal.status == Status.CLOSED and proposal.passed is False
    assert proposal.result["counts"] == {"yes": 0, "no": 0, "abstain": 0}
    assert api(None, "get", str(proposal.pk)).json()["phase"] == "decided"


def test_the_proposal_page_offers_the_vote_page_not_the_plain_form(opened) -> None:
    _community, people, proposal = opened
    key_ceremony(proposal, people)
    client = Client()
    client.force_login(people[5])
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Go to the vote page" in page and "Cast my vote" not in page
    r = client.post(f"/proposals/{proposal.pk}/vote/", {"choice": "yes"}, follow=True)
    assert "your ballot is encrypted on its vote page" in r.content.decode()
    assert proposal.ballots.count() == 0
