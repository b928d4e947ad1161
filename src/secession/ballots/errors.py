"""Errors of the ballots package: each names the element that fails (a ballot's tracker, a
trustee, a proof), so the command line can say exactly what is wrong."""

from __future__ import annotations

from secession.exceptions import DataError, SecessionError


class BallotFormatError(DataError):
    """A board, ballot or trustee file does not parse or has a malformed value.

    The message names the element and the field (``ballot 3 (tracker 1f0c…): selection 2:
    alpha is not a ristretto255 point``)."""


class ProofError(SecessionError):
    """A proof, share or decryption does not verify; the message names which one."""

    exit_code = 8


class BoardInvalidError(SecessionError):
    """``ballots verify`` found problems on a board (the message lists them)."""

    exit_code = 8


class TrusteeError(SecessionError):
    """A trustee step cannot go on (a share from another trustee fails its check, a key
    file belongs to another election, the board is not in the right phase)."""

    exit_code = 9
