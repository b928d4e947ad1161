"""Fixtures: a decided election and an opened one (see elections.py)."""

from __future__ import annotations

import copy

import pytest

from secession.ballots.ballot import Encrypted

from .elections import Election, decided_election, keyed_election


@pytest.fixture(scope="session")
def _decided() -> tuple[Election, Encrypted]:
    return decided_election([0, 1, 0, 0, 1, 0])


@pytest.fixture
def decided(_decided) -> Election:
    """A decided election (4 yes, 2 no, one audited ballot); its board may be changed."""
    election, _ = _decided
    return Election(
        election.manifest, election.secrets, election.key, copy.deepcopy(election.board)
    )


@pytest.fixture(scope="session")
def election() -> Election:
    """An opened election (read-only: do not cast on its board)."""
    return keyed_election()
