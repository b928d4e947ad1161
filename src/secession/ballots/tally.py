"""The encrypted tally and its threshold decryption (ElectionGuard 2.0 §3.5 and §3.6).

- :func:`encrypted_tally`: the product, option by option, of the accepted ballots'
  encryptions: an encryption of each option's count (§3.5).
- :func:`decryption_share`: trustee ``l``'s share ``M_l = A^z_l`` of each option's
  encrypted count ``(A, B)``, with a Chaum-Pedersen proof against its public share key
  ``K_l`` (§3.6.3; the proof of each trustee stands alone, as in ElectionGuard 1.0's
  verifiable decryption, rather than the 2.0 specification's proof combined by an
  administrator, so each trustee works alone from files).
- :func:`combine`: with the shares of any set ``S`` of at least ``k`` trustees,
  ``M = prod_l M_l^w_l`` with the Lagrange coefficients ``w_l = prod_(j in S, j != l)
  j / (j - l)`` (§3.6.2), so ``M = A^s`` for the joint secret ``s`` that nobody holds; then
  ``K^t = B / M`` and ``t`` is a small discrete logarithm (§3.6.3).

Why fewer than ``k`` trustees decrypt nothing. Each key share is ``z_l = P(l)`` for the
polynomial ``P = sum_i P_i`` of degree ``k - 1`` whose constant term is the joint secret
``s``. Any ``k - 1`` of its values are consistent with every possible ``s``: for each
candidate there is exactly one polynomial of degree ``k - 1`` through those points and
``(0, s)``, and since every trustee's coefficients are uniform, so is ``P``'s, so the
``k - 1`` shares are independent of ``s`` (Shamir, 1979): information-theoretically they say
nothing about the key. Their decryption shares ``A^z_l`` are values of the same kind and so
determine ``A^s`` no better than ``z_l`` determine ``s``; computing ``A^s`` from
them and the public key is the Diffie-Hellman problem in ristretto255. Interpolating
with fewer than ``k`` shares gives ``A^P'(0)`` for the wrong polynomial, a point that is
``K^t`` for no small ``t`` and that fails the check against the tally, as the tests show.
"""

from __future__ import annotations

from dataclasses import dataclass

import secession.ballots.group as group
from secession.ballots.ballot import Ballot
from secession.ballots.election import ElectionKey
from secession.ballots.elgamal import Ciphertext, DiscreteLog, aggregate
from secession.ballots.errors import BallotFormatError, ProofError, TrusteeError
from secession.ballots.hashing import DECRYPTION_PROOF
from secession.ballots.proofs import Proof, prove_decryption, verify_decryption
from secession.ballots.trustees import TrusteeSecret
from secession.i18n import Message


def encrypted_tally(ballots: list[Ballot], options: int) -> tuple[Ciphertext, ...]:
    """Option by option, the product of the ballots' encryptions (§3.5)."""
    return tuple(aggregate(b.selections[i] for b in ballots) for i in range(options))


@dataclass(frozen=True)
class DecryptionShare:
    """Trustee ``l``'s share ``M_l`` of every option's encrypted count, with proofs."""

    trustee: int
    shares: tuple[bytes, ...]
    proofs: tuple[Proof, ...]

    def to_json(self) -> dict:
        return {
            "type": "decryption",
            "trustee": self.trustee,
            "shares": [
                {"M": m.hex(), "proof": p.to_json()}
                for m, p in zip(self.shares, self.proofs, strict=True)
            ],
        }

    @classmethod
    def from_json(
        cls, data: object, key: ElectionKey, where: str | Message = Message("decryption")
    ) -> DecryptionShare:
        manifest = key.manifest
        if not isinstance(data, dict) or data.get("type") != "decryption":
            raise BallotFormatError(
                Message("{where}: expected an object of type 'decryption'", where=where)
            )
        trustee = data.get("trustee")
        if type(trustee) is not int or not 1 <= trustee <= manifest.n:
            raise BallotFormatError(
                Message("{where}: trustee must be 1 to {n}", where=where, n=manifest.n)
            )
        where = Message(
            "decryption by trustee {index} ({name})",
            index=trustee,
            name=manifest.trustees[trustee - 1],
        )
        shares = data.get("shares")
        if not isinstance(shares, list) or len(shares) != len(manifest.options):
            raise BallotFormatError(Message("{where}: expected one share per option", where=where))
        points, proofs = [], []
        for i, share in enumerate(shares):
            at = Message("{where}, option {n}", where=where, n=i + 1)
            if not isinstance(share, dict):
                raise BallotFormatError(
                    Message("{where}: expected an object with M and proof", where=at)
                )
            points.append(group.point_from_hex(share.get("M"), Message("{where}: M", where=at)))
            proofs.append(Proof.from_json(share.get("proof"), Message("{where}: proof", where=at)))
        return cls(trustee, tuple(points), tuple(proofs))


def decryption_share(
    secret: TrusteeSecret, key: ElectionKey, tally: tuple[Ciphertext, ...]
) -> DecryptionShare:
    """Trustee ``l``'s shares ``M_l = A^z_l`` with their proofs (§3.6.3)."""
    if secret.key_share is None:
        raise TrusteeError(
            f"trustee {secret.index} ({secret.name}) has no key share yet: check the shares "
            "received from the other trustees first (secession trustee check)"
        )
    if group.base_mul(secret.key_share) != key.share_key(secret.index):
        raise TrusteeError(
            f"trustee {secret.index} ({secret.name}): this key share does not match the "
            "board's commitments (another key ceremony?)"
        )
    shares, proofs = [], []
    for i, ct in enumerate(tally):
        m = group.mul(ct.alpha, secret.key_share)
        shares.append(m)
        proofs.append(
            prove_decryption(
                secret.key_share, ct, m, key.extended_hash, DECRYPTION_PROOF, (secret.index, i)
            )
        )
    return DecryptionShare(secret.index, tuple(shares), tuple(proofs))


def check_share(key: ElectionKey, tally: tuple[Ciphertext, ...], share: DecryptionShare) -> None:
    """Verify every proof of one trustee's decryption share; raise naming trustee and option."""
    name = key.manifest.trustees[share.trustee - 1]
    share_key = key.share_key(share.trustee)
    for i, (ct, m, proof) in enumerate(zip(tally, share.shares, share.proofs, strict=True)):
        if not verify_decryption(
            share_key, ct, m, proof, key.extended_hash, DECRYPTION_PROOF, (share.trustee, i)
        ):
            raise ProofError(
                Message(
                    "decryption by trustee {index} ({name}), option {n} ({option}): the proof "
                    "does not verify",
                    index=share.trustee,
                    name=name,
                    n=i + 1,
                    option=repr(key.manifest.options[i]),
                )
            )


def lagrange(indices: list[int], at: int) -> int:
    """w_l = prod_(j in S, j != l) j / (j - l) mod q (§3.6.2)."""
    w = 1
    for j in indices:
        if j != at:
            w = w * j * pow(j - at, -1, group.Q) % group.Q
    return w


def interpolate(shares: dict[int, bytes]) -> bytes:
    """prod_l M_l^w_l for the trustees in ``shares`` (no threshold check: see :func:`combine`)."""
    indices = sorted(shares)
    return group.product(group.mul(shares[i], lagrange(indices, i)) for i in indices)


def combine(
    key: ElectionKey,
    tally: tuple[Ciphertext, ...],
    shares: list[DecryptionShare],
    ballots: int,
) -> tuple[int, ...]:
    """The counts from the decryption shares of at least ``k`` distinct trustees."""
    manifest = key.manifest
    by_trustee = {s.trustee: s for s in shares}
    if len(by_trustee) < manifest.k:
        raise TrusteeError(
            Message(
                "decryption needs shares from {k} of the {n} trustees; have {have}",
                k=manifest.k,
                n=manifest.n,
                have=len(by_trustee),
            )
        )
    dlog = DiscreteLog(key.joint_key, ballots)
    counts = []
    for i, ct in enumerate(tally):
        m = interpolate({t: s.shares[i] for t, s in by_trustee.items()})
        counts.append(dlog(group.sub(ct.beta, m), f"option {i + 1} ({manifest.options[i]!r})"))
    return tuple(counts)
