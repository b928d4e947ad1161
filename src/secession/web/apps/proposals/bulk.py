"""Set-based work on a proposal's electorate and papers, in SQL, so opening, voting and
closing cost the same in a community of ten members and of a million.

- the electorate: ``INSERT ... SELECT`` from the community's current memberships;
- its digest: SHA-256 of the eligible account numbers in ascending order, each written
  in decimal and followed by a newline (anyone holding the list recomputes it;
  :func:`electorate_digest` reads it from the table, ``GET /api/proposals/{id}/electorate``
  lists it);
- secret papers: one blank paper per eligible person, each with a random key made by the
  database; a vote fills the first blank paper at or after a random key (an index seek);
- closing a secret vote: the papers are counted in SQL and re-issued as that many fresh
  papers per choice, with new random keys, inserted in key order, so no storage detail
  (position, row version, transaction id) keeps the order in which votes came in.

Statements are plain SQL on table names from the models; the two backends differ only
in how a random key and a number series are written (:func:`_random_key`, :func:`_series`).
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import connection
from django.db.models import Count

from secession.web.apps.proposals.models import Ballot, Eligibility, Proposal, SecretBallotPaper

CHOICES = ("yes", "no", "abstain")


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _random_key() -> str:
    """SQL for a fresh random paper key in the column's storage format."""
    if _postgres():
        return "gen_random_uuid()"
    return "lower(hex(randomblob(16)))"  # SQLite: Django keeps UUIDs as 32 hex digits


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def insert_electorate(proposal: Proposal, members_sql: str, params: list) -> int:
    """Fix the electorate: one eligibility row per account ``members_sql`` selects
    (a ``SELECT person_id ...``). Returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Eligibility)} (proposal_id, person_id) "
            f"SELECT %s, m.person_id FROM ({members_sql}) AS m",
            [proposal.pk, *params],
        )
        return cursor.rowcount


def insert_blank_papers(proposal: Proposal) -> int:
    """One blank secret paper per eligible person, each with a random key."""
    with connection.cursor() as cursor:
        cursor.execute(
            # in key order: the index grows at its end, and storage order is random
            f"INSERT INTO {_table(SecretBallotPaper)} (id, proposal_id, choice) "
            f"SELECT k.id, %s, '' FROM (SELECT {_random_key()} AS id FROM "
            f"{_table(Eligibility)} WHERE proposal_id = %s) AS k ORDER BY k.id",
            [proposal.pk, proposal.pk],
        )
        return cursor.rowcount


def electorate_digest(proposal: Proposal) -> str:
    """SHA-256 (hex) of the eligible account numbers, ascending, one per line."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT encode(sha256(convert_to(coalesce(string_agg(person_id::text || "
                f"E'\\n', '' ORDER BY person_id), ''), 'UTF8')), 'hex') FROM {_table(Eligibility)} "
                "WHERE proposal_id = %s AND person_id IS NOT NULL",
                [proposal.pk],
            )
            return cursor.fetchone()[0]
    return digest_of(
        Eligibility.objects.filter(proposal=proposal, person__isnull=False)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .iterator(chunk_size=20_000)
    )


def digest_of(person_ids) -> str:
    """The electorate digest of ``person_ids`` (ascending), as anyone can recompute it."""
    digest = hashlib.sha256()
    for pid in person_ids:
        digest.update(f"{pid}\n".encode("ascii"))
    return digest.hexdigest()


def fill_random_paper(proposal: Proposal, choice: str) -> bool:
    """Fill the first blank paper at or after a random key (wrapping round); the caller
    holds the proposal's row lock, so no other vote takes the same paper. False when no
    blank paper is left."""
    blank = SecretBallotPaper.objects.filter(proposal=proposal, choice="").order_by("id")
    start = uuid.uuid4()
    pick = blank.filter(id__gte=start).values_list("id", flat=True).first()
    if pick is None:
        pick = blank.values_list("id", flat=True).first()
    if pick is None:
        return False
    return SecretBallotPaper.objects.filter(pk=pick, choice="").update(choice=choice) == 1


def paper_counts(proposal: Proposal) -> dict[str, int]:
    """Filled papers per choice, counted in SQL."""
    rows = (
        SecretBallotPaper.objects.filter(proposal=proposal)
        .exclude(choice="")
        .order_by()
        .values_list("choice")
        .annotate(n=Count("*"))
    )
    found = dict.fromkeys(CHOICES, 0)
    found.update({choice: n for choice, n in rows})
    return found


def ballot_counts(proposal: Proposal) -> dict[str, int]:
    """Public ballots per choice, counted in SQL."""
    rows = (
        Ballot.objects.filter(proposal=proposal)
        .order_by()
        .values_list("choice")
        .annotate(n=Count("*"))
    )
    found = dict.fromkeys(CHOICES, 0)
    found.update({choice: n for choice, n in rows if choice in found})
    return found


def _series(n_param: str) -> str:
    """SQL of a one-column relation ``i`` numbering 1..n."""
    if _postgres():
        return f"SELECT generate_series(1, {n_param}) AS i"
    return (
        f"WITH RECURSIVE s(i) AS (SELECT 1 WHERE {n_param} > 0 UNION ALL "
        f"SELECT i + 1 FROM s WHERE i < {n_param}) SELECT i FROM s"
    )


def reissue_papers(proposal: Proposal, counts: dict[str, int]) -> None:
    """Replace every paper by ``counts[choice]`` fresh papers per choice (new random keys,
    inserted in key order); blank papers of those who did not vote are not kept."""
    table = _table(SecretBallotPaper)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE proposal_id = %s", [proposal.pk])
        parts, params = [], []
        uses = 1 if _postgres() else 2  # the series' length appears once or twice
        for choice in CHOICES:
            if counts.get(choice):
                parts.append(f"SELECT %s AS choice, i FROM ({_series('%s')}) AS series_{choice}")
                params.extend([choice, *[counts[choice]] * uses])
        if not parts:
            return
        cursor.execute(
            f"INSERT INTO {table} (id, proposal_id, choice) "
            f"SELECT k.id, %s, k.choice FROM (SELECT {_random_key()} AS id, u.choice "
            f"FROM ({' UNION ALL '.join(parts)}) AS u) AS k ORDER BY k.id",
            [proposal.pk, *params],
        )
