"""Real small elections built with the package's own steps: 3 of 5 trustees, a few
ballots, one audited, the tally decrypted by trustees 1, 3 and 5."""

from __future__ import annotations

from dataclasses import dataclass

from secession.ballots import coordinator, trustees
from secession.ballots.ballot import Encrypted, encrypt_ballot
from secession.ballots.board import Board
from secession.ballots.election import ElectionKey
from secession.ballots.manifest import Manifest
from secession.ballots.tally import decryption_share
from secession.ballots.trustees import TrusteeSecret

NAMES = ("ana", "ben", "cy", "dee", "eli")


@dataclass
class Election:
    manifest: Manifest
    secrets: list[TrusteeSecret]
    key: ElectionKey
    board: Board


def keyed_election(options=("yes", "no"), threshold=3, **extra) -> Election:
    """Manifest, trustees with checked key shares, and an opened board."""
    manifest = Manifest("test-election", "Shall we leave?", options, NAMES, threshold, **extra)
    board = coordinator.new_board(manifest)
    secrets = [trustees.generate(manifest, name) for name in NAMES]
    publics = [s.public(manifest) for s in secrets]
    key = coordinator.open_voting(board, [p.to_json() for p in publics])
    files = [trustees.seal_shares(s, manifest, publics) for s in secrets]
    for s in secrets:
        trustees.open_shares(s, manifest, publics, files)
    return Election(manifest, secrets, key, board)


def decided_election(choices: list[int], decrypt_by=(1, 3, 5)) -> tuple[Election, Encrypted]:
    election = keyed_election()
    casting = coordinator.Casting(election.board)
    for n, choice in enumerate(choices):
        casting.cast(encrypt_ballot(election.key, [choice]).ballot.to_json(), f"voter-{n}")
    audited = encrypt_ballot(election.key, [1])
    casting.audit(audited.audit_json())
    tally = coordinator.close(election.board)
    for index in decrypt_by:
        share = decryption_share(election.secrets[index - 1], election.key, tally)
        coordinator.add_decryption(election.board, share.to_json())
    coordinator.publish(election.board)
    return election, audited
