"""Encrypted ballots: encryption with proofs, the tracker, checking, and the Benaloh audit
(ElectionGuard 2.0 §3.3 and §3.4).

A ballot encrypts one number per option (1 for a chosen option, else 0) with its own
nonce (§3.3.1), proves each is 0 or 1 (§3.3.5) and that together they add up to an allowed
number of choices, ``min_choices..max_choices`` of the manifest (exactly one by default:
the contest selection limit, §3.3.6). Every proof's hash is keyed by ``H_E`` (which binds the
election, its question and options, the trustees' commitments and the joint key) and takes
the ballot's id and the option's number, so a proof verifies for that place only.

The tracker (the specification's confirmation code, §3.4) hashes the ballot id, every
encryption and every proof: a voter who kept it can find their ballot, unchanged, on the
board. Before casting, a voter may instead audit the ballot (Benaloh's challenge,
"Simple Verifiable Elections", 2006; §3.3 "challenged ballots" of the specification): the
device reveals the nonces, anyone can check with :func:`check_audit` that the ballot
encrypted the choice shown, and that ballot is never counted.

This module is the Python voter client and the server's check; ``js/ballot.js`` is the
browser's, making the same JSON byte for byte in meaning.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import secession.ballots.group as group
from secession.ballots.election import ElectionKey
from secession.ballots.elgamal import Ciphertext, aggregate, encrypt
from secession.ballots.errors import BallotFormatError, ProofError
from secession.ballots.hashing import OPTION_PROOF, SUM_PROOF, TRACKER, Scalar, hash_value
from secession.ballots.proofs import Proof, proofs_from_json, prove_range, verify_range
from secession.i18n import Message

BALLOT_ID_HEX = 32


@dataclass(frozen=True)
class Ballot:
    """An encrypted ballot as it stands on the board."""

    election: str
    ballot_id: str
    selections: tuple[Ciphertext, ...]
    option_proofs: tuple[tuple[Proof, ...], ...]
    sum_proof: tuple[Proof, ...]
    tracker: bytes

    @property
    def label(self) -> Message:
        return Message("ballot {tracker}", tracker=self.tracker.hex()[:16])

    def to_json(self) -> dict:
        return {
            "election": self.election,
            "ballot_id": self.ballot_id,
            "selections": [
                {**ct.to_json(), "proof": [p.to_json() for p in proof]}
                for ct, proof in zip(self.selections, self.option_proofs, strict=True)
            ],
            "sum_proof": [p.to_json() for p in self.sum_proof],
            "tracker": self.tracker.hex(),
        }

    @classmethod
    def from_json(
        cls, data: object, key: ElectionKey, where: str | Message = Message("ballot")
    ) -> Ballot:
        manifest = key.manifest
        if not isinstance(data, dict):
            raise BallotFormatError(Message("{where}: expected a ballot object", where=where))
        tracker = data.get("tracker")
        if isinstance(tracker, str) and len(tracker) == 64:
            where = Message("{where} (tracker {tracker})", where=where, tracker=tracker[:16])
        extra = set(data) - {"election", "ballot_id", "selections", "sum_proof", "tracker"}
        if extra:
            raise BallotFormatError(
                Message("{where}: unknown field(s) {fields}", where=where, fields=sorted(extra))
            )
        ballot_id = data.get("ballot_id")
        if (
            not isinstance(ballot_id, str)
            or len(ballot_id) != BALLOT_ID_HEX
            or not all(ch in "0123456789abcdef" for ch in ballot_id)
        ):
            raise BallotFormatError(
                Message("{where}: ballot_id must be {n} hex digits", where=where, n=BALLOT_ID_HEX)
            )
        selections = data.get("selections")
        if not isinstance(selections, list) or len(selections) != len(manifest.options):
            raise BallotFormatError(
                Message(
                    "{where}: expected {n} selections, one per option",
                    where=where,
                    n=len(manifest.options),
                )
            )
        cts, proofs = [], []
        for i, sel in enumerate(selections):
            at = Message("{where}: selection {n}", where=where, n=i + 1)
            cts.append(Ciphertext.from_json(sel, at))
            proofs.append(
                proofs_from_json(sel.get("proof"), 2, Message("{where}: proof", where=at))
            )
        span = manifest.max_choices - manifest.min_choices + 1
        return cls(
            election=data.get("election"),
            ballot_id=ballot_id,
            selections=tuple(cts),
            option_proofs=tuple(proofs),
            sum_proof=proofs_from_json(
                data.get("sum_proof"), span, Message("{where}: sum_proof", where=where)
            ),
            tracker=group.hex_bytes(tracker, 32, Message("{where}: tracker", where=where)),
        )


def compute_tracker(
    key: ElectionKey,
    ballot_id: str,
    selections,
    option_proofs,
    sum_proof,
) -> bytes:
    """The tracker: H(H_E; 0x24, ballot id, number of options, then for each option α, β and
    its proof's scalars, then the sum proof's scalars) (§3.4, confirmation code)."""
    parts: list = [ballot_id, len(selections)]
    for ct, proof in zip(selections, option_proofs, strict=True):
        parts += [ct.alpha, ct.beta]
        parts += [Scalar(x) for p in proof for x in (p.c, p.v)]
    parts += [Scalar(x) for p in sum_proof for x in (p.c, p.v)]
    return hash_value(key.extended_hash, TRACKER, *parts)


@dataclass(frozen=True)
class Encrypted:
    """A ballot fresh from the voter's device, with what an audit reveals."""

    ballot: Ballot
    choices: tuple[int, ...]
    nonces: tuple[int, ...]

    def audit_json(self) -> dict:
        """The Benaloh reveal: the ballot, the chosen option numbers and every nonce."""
        return {
            "type": "audit",
            "ballot": self.ballot.to_json(),
            "choices": list(self.choices),
            "nonces": [group.scalar_hex(x) for x in self.nonces],
        }


def encrypt_ballot(key: ElectionKey, choices: list[int] | tuple[int, ...]) -> Encrypted:
    """Encrypt a ballot choosing the options numbered ``choices`` (from 0)."""
    manifest = key.manifest
    chosen = sorted(set(choices))
    if len(chosen) != len(choices) or any(not 0 <= c < len(manifest.options) for c in chosen):
        raise BallotFormatError(f"choices {list(choices)} are not distinct option numbers")
    if not manifest.min_choices <= len(chosen) <= manifest.max_choices:
        raise BallotFormatError(
            f"choose {manifest.min_choices} to {manifest.max_choices} options, not {len(chosen)}"
        )
    ballot_id = secrets.token_hex(BALLOT_ID_HEX // 2)
    K, h = key.joint_key, key.extended_hash
    votes = [1 if i in chosen else 0 for i in range(len(manifest.options))]
    nonces = [group.random_scalar() for _ in votes]
    cts = [encrypt(m, K, xi) for m, xi in zip(votes, nonces, strict=True)]
    option_proofs = [
        prove_range(ct, m, xi, 0, 1, K, h, OPTION_PROOF, (ballot_id, i))
        for i, (ct, m, xi) in enumerate(zip(cts, votes, nonces, strict=True))
    ]
    total = aggregate(cts)
    sum_proof = prove_range(
        total,
        len(chosen),
        sum(nonces) % group.Q,
        manifest.min_choices,
        manifest.max_choices,
        K,
        h,
        SUM_PROOF,
        (ballot_id,),
    )
    tracker = compute_tracker(key, ballot_id, cts, option_proofs, sum_proof)
    ballot = Ballot(
        manifest.election, ballot_id, tuple(cts), tuple(option_proofs), sum_proof, tracker
    )
    return Encrypted(ballot, tuple(chosen), tuple(nonces))


def check_ballot(key: ElectionKey, ballot: Ballot) -> None:
    """Everything the server checks before accepting a ballot (verification 5 and 6 of the
    specification); raises :class:`ProofError` naming the ballot and what fails."""
    manifest = key.manifest
    K, h = key.joint_key, key.extended_hash
    if ballot.election != manifest.election:
        raise ProofError(
            Message(
                "{ballot}: made for election {election}",
                ballot=ballot.label,
                election=repr(ballot.election),
            )
        )
    for i, ct in enumerate(ballot.selections):
        if ct.alpha == group.IDENTITY:
            raise ProofError(
                Message(
                    "{ballot}: selection {n} is not encrypted (alpha = 1)",
                    ballot=ballot.label,
                    n=i + 1,
                )
            )
    expected = compute_tracker(
        key, ballot.ballot_id, ballot.selections, ballot.option_proofs, ballot.sum_proof
    )
    if expected != ballot.tracker:
        raise ProofError(
            Message("{ballot}: the tracker is not the hash of this ballot", ballot=ballot.label)
        )
    for i, (ct, proof) in enumerate(zip(ballot.selections, ballot.option_proofs, strict=True)):
        if not verify_range(ct, proof, 0, 1, K, h, OPTION_PROOF, (ballot.ballot_id, i)):
            raise ProofError(
                Message(
                    "{ballot}: the proof that option {n} ({option}) holds 0 or 1 does not verify",
                    ballot=ballot.label,
                    n=i + 1,
                    option=repr(manifest.options[i]),
                )
            )
    lo, hi = manifest.min_choices, manifest.max_choices
    if not verify_range(
        aggregate(ballot.selections),
        ballot.sum_proof,
        lo,
        hi,
        K,
        h,
        SUM_PROOF,
        (ballot.ballot_id,),
    ):
        what = Message("exactly {n}", n=lo) if lo == hi else Message("{lo} to {hi}", lo=lo, hi=hi)
        raise ProofError(
            Message(
                "{ballot}: the proof that {what} option(s) are chosen does not verify",
                ballot=ballot.label,
                what=what,
            )
        )


def check_audit(key: ElectionKey, reveal: object) -> tuple[Ballot, tuple[int, ...]]:
    """Check a Benaloh reveal: the ballot's proofs, then each nonce re-encrypts exactly the
    revealed choice. Returns the ballot and its choices; raises naming the option that
    does not match."""
    if not isinstance(reveal, dict) or reveal.get("type") != "audit":
        raise BallotFormatError(Message("audit: expected an object of type 'audit'"))
    ballot = Ballot.from_json(reveal.get("ballot"), key, Message("audited ballot"))
    check_ballot(key, ballot)
    nonces = reveal.get("nonces")
    choices = reveal.get("choices")
    if not isinstance(nonces, list) or len(nonces) != len(ballot.selections):
        raise BallotFormatError(
            Message("audit of {ballot}: expected one nonce per option", ballot=ballot.label)
        )
    if not isinstance(choices, list) or not all(isinstance(c, int) for c in choices):
        raise BallotFormatError(
            Message("audit of {ballot}: choices must be option numbers", ballot=ballot.label)
        )
    for i, (ct, text) in enumerate(zip(ballot.selections, nonces, strict=True)):
        at = Message("audit of {ballot}: nonce {n}", ballot=ballot.label, n=i + 1)
        xi = group.scalar_from_hex(text, at)
        m = 1 if i in choices else 0
        if encrypt(m, key.joint_key, xi) != ct:
            raise ProofError(
                Message(
                    "audit of {ballot}: option {n} ({option}) is not an encryption of {m} with "
                    "the revealed nonce: the device did not encrypt the choice it showed",
                    ballot=ballot.label,
                    n=i + 1,
                    option=repr(key.manifest.options[i]),
                    m=m,
                )
            )
    return ballot, tuple(sorted(set(choices)))
