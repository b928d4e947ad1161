"""Any single change anywhere on a decided board, to any JSON value, is either refused
when the board is read or reported as a problem by the verifier: never an exception,
never a board that still verifies."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secession.ballots.board import Board
from secession.ballots.errors import BallotFormatError
from secession.ballots.verify import verify_board

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=70),
    st.sampled_from(["0" * 64, "f" * 64, "ab" * 32, "e2f2ae0a" * 8]),
    st.just([]),
    st.just({}),
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _set(root, path, value):
    target = root
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(st.data())
def test_any_change_is_refused_or_reported(decided, data) -> None:
    original = decided.board.to_json()
    paths = [p for p in _paths(original) if len(p) >= 3]  # inside an entry
    path = data.draw(st.sampled_from(paths))
    value = data.draw(VALUES)
    changed = json.loads(json.dumps(original))
    old = changed
    for step in path:
        old = old[step]
    if old == value and type(old) is type(value):
        return
    _set(changed, path, value)
    try:
        board = Board.from_json(changed)
    except BallotFormatError:
        return
    report = verify_board(board)
    assert report.problems, f"changing {path} to {value!r} went unnoticed"
