"""The manifest: what a malformed one says, and that its hashes bind every field."""

from __future__ import annotations

import dataclasses
import re

import pytest

from secession.ballots.board import Board
from secession.ballots.errors import BallotFormatError
from secession.ballots.manifest import Manifest

GOOD = {
    "election": "e1",
    "question": "Leave?",
    "options": ("yes", "no"),
    "trustees": ("ana", "ben", "cy"),
    "threshold": 2,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"threshold": 4}, "threshold must be a whole number from 1 to the number of trustees (3)"),
        ({"threshold": True}, "threshold must be a whole number"),
        ({"options": ("yes",)}, "give 2 to 64 options"),
        ({"options": ("yes", "yes")}, "two options have the same name"),
        ({"trustees": ("ana", "ana")}, "two trustees have the same name"),
        ({"question": " "}, "question: must be a non-empty text"),
        ({"options": ("yes", "\ud800")}, "option 2: not valid text (a lone surrogate)"),
        ({"max_choices": 3}, "choices must satisfy 0 <= min_choices <= max_choices <= 2"),
        ({"eligible": -1}, "eligible must be a whole number"),
    ],
)
def test_a_malformed_manifest_is_refused_naming_the_field(change, message) -> None:
    with pytest.raises(BallotFormatError, match=f"^manifest: {re.escape(message)}"):
        Manifest(**{**GOOD, **change})


def test_every_field_changes_the_base_hash() -> None:
    base = Manifest(**GOOD)
    variants = [
        {"election": "e2"},
        {"question": "Stay?"},
        {"options": ("yes", "no", "blank")},
        {"trustees": ("ana", "ben", "dee")},
        {"threshold": 3},
        {"eligible": 10},
    ]
    hashes = {dataclasses.replace(base, **v).base_hash for v in variants}
    assert len(hashes) == len(variants) and base.base_hash not in hashes


def test_manifest_json_round_trips_and_refuses_unknown_fields() -> None:
    manifest = Manifest(**GOOD)
    assert Manifest.from_json(manifest.to_json()) == manifest
    with pytest.raises(BallotFormatError, match=r"unknown field\(s\) \['colour'\]"):
        Manifest.from_json({**manifest.to_json(), "colour": "red"})
    with pytest.raises(BallotFormatError, match="spec 'other/9' is not 'secession-ballots/1'"):
        Manifest.from_json({**manifest.to_json(), "spec": "other/9"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "x"}, "not a ballot board"),
        ({"format": "secession-ballot-board", "version": 2, "entries": []}, "board version 2"),
        (
            {"format": "secession-ballot-board", "version": 1, "entries": [{"type": "vote"}]},
            "entry 0 has no known type",
        ),
        (
            {"format": "secession-ballot-board", "version": 1, "entries": [{"type": "ballot"}]},
            "entry 0 must be the manifest",
        ),
    ],
)
def test_a_malformed_board_is_refused(data, message) -> None:
    with pytest.raises(BallotFormatError, match=message):
        Board.from_json(data, "board.json")
