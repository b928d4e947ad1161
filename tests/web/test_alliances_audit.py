"""``audit verify`` checks the alliances' tables against the log: each table edited behind
the platform's back is named, and a result rewritten in the log (with every hash
recomputed) is found by recomputing the result from the ballots the log recorded."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from secession.web.apps.alliances.actions import post_pledge
from secession.web.apps.alliances.decisions import make_alliance_proposal
from secession.web.apps.alliances.models import (
    AllianceMembership,
    AllianceProposal,
    CharterVersion,
    CommunityBallot,
    Pledge,
)
from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry

from .alliance_world import internal, make_league, make_people, vote
from .test_audit_attacks import _rebuild_tree, _sql


@pytest.fixture
def story(db):
    w = make_league(make_people())
    p = make_alliance_proposal(
        w["league"], person=w["ann"], community=w["ashford"], kind="resolution", title="Pact"
    )
    vote(internal(p, w["ashford"]), "yes")
    vote(internal(p, w["brook"]), "yes")
    vote(internal(p, w["cliff"]), "no")
    w["proposal"] = p
    w["pledge"] = post_pledge(
        w["league"], person=w["bea"], community=w["brook"], kind="offer", title="Grain"
    )
    return w


def problems(result) -> str:
    return "\n".join(p.describe() for p in result.problems)


def test_the_story_verifies_with_the_alliance_check(story):
    result = verify()
    assert result.ok, problems(result)
    assert "alliances" in result.checks
    assert AllianceProposal.objects.get(pk=story["proposal"].pk).passed is True


@pytest.mark.parametrize(
    ("model", "column", "value", "expected"),
    [
        (CommunityBallot, "choice", "'no'", "choice 'no' in the table, 'yes' in the log"),
        (AllianceProposal, "passed", "FALSE", "passed False in the table, True in the log"),
        (CharterVersion, "text", "'We obey.'", "SHA-256 differs"),
        (Pledge, "title", "'Gold'", "title 'Gold' in the table, 'Grain' in the log"),
        (AllianceMembership, "founder", "TRUE", "founder True in the table, False in the log"),
    ],
)
def test_an_edited_table_is_named(story, model, column, value, expected):
    table = model._meta.db_table
    row = model.objects.order_by("-id").first()
    if model is CommunityBallot:
        row = CommunityBallot.objects.filter(choice="yes").first()
    _sql(f"UPDATE {table} SET {column} = {value} WHERE id = %s", [row.pk])
    result = verify()
    assert not result.ok
    text = problems(result)
    assert f"{table} row {row.pk}" in text and expected in text, text


def test_a_deleted_membership_row_is_named(story):
    row = AllianceMembership.objects.get(community=story["cliff"])
    _sql(f"DELETE FROM {AllianceMembership._meta.db_table} WHERE id = %s", [row.pk])
    text = problems(verify())
    assert f"row {row.pk}" in text and "joined in the log; not in the table" in text


def test_a_result_rewritten_in_the_log_and_the_table_is_found_from_the_ballots(story):
    """An attacker turns the passed vote into a failed one in the table and in the log,
    and recomputes every hash: the log's own ballots still give 'passed'."""
    p = story["proposal"]
    _sql(f"UPDATE {AllianceProposal._meta.db_table} SET passed = FALSE WHERE id = %s", [p.pk])
    entry = AuditEntry.objects.get(action="alliance.proposal_closed", target_id=str(p.pk))
    data = json.loads(entry.data)
    data["passed"] = False
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET data = %s WHERE id = %s",
            [json.dumps(data, sort_keys=True, separators=(",", ":")), entry.pk],
        )
    _rebuild_tree()
    text = problems(verify())
    assert f"allianceproposal row {p.pk}" in text
    assert "the ballots in the log give passed under its rule" in text, text
