"""Verifiable secret ballots: encrypted in the voter's browser, counted while encrypted,
decrypted only as a total by any ``k`` of ``n`` trustees, checkable by anyone.

Follows the ElectionGuard Design Specification 2.0.0 (August 2023) on the ristretto255
group, with the sections cited in each module:

- :mod:`~secession.ballots.group` the group (libsodium), :mod:`~secession.ballots.hashing`
  the hash and its domains (§5), :mod:`~secession.ballots.manifest` the manifest and base
  hashes (§3.1);
- :mod:`~secession.ballots.elgamal` exponential ElGamal (§3.3.1),
  :mod:`~secession.ballots.proofs` the zero-knowledge proofs (§3.2.2, §3.3.5, §3.6.3);
- :mod:`~secession.ballots.trustees` the dealerless key generation (§3.2),
  :mod:`~secession.ballots.election` the joint key (§3.2.3);
- :mod:`~secession.ballots.ballot` ballots, trackers, the Benaloh audit (§3.3, §3.4),
  :mod:`~secession.ballots.tally` tally and threshold decryption (§3.5, §3.6);
- :mod:`~secession.ballots.board` the board format, :mod:`~secession.ballots.coordinator`
  the server's steps, :mod:`~secession.ballots.verify` the independent verifier.

No Django here: the platform and the command line are thin layers over these functions.
Guide and format: ``docs/ballots.md``.
"""

from secession.ballots.ballot import Ballot, Encrypted, check_audit, check_ballot, encrypt_ballot
from secession.ballots.board import Board
from secession.ballots.election import ElectionKey
from secession.ballots.manifest import Manifest
from secession.ballots.verify import Inclusion, Report, verify_board

__all__ = [
    "Ballot",
    "Board",
    "ElectionKey",
    "Encrypted",
    "Inclusion",
    "Manifest",
    "Report",
    "check_audit",
    "check_ballot",
    "encrypt_ballot",
    "verify_board",
]
