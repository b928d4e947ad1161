"""Zero-knowledge proofs, non-interactive by Fiat-Shamir (ElectionGuard 2.0 §3.2.2, §3.3.5,
§3.6.3), each stored in the specification's compact form: challenges and responses only;
the verifier recomputes the commitments and checks the hash.

- :func:`prove_range` / :func:`verify_range`: a disjunctive Chaum-Pedersen proof that an
  encryption ``(α, β)`` holds one of the numbers ``lo..hi`` (§3.3.5, range proofs; with
  ``0..1`` it is the classic 0-or-1 proof of Cramer, Damgård and Schoenmakers, and with
  ``1..1`` on the product of a ballot's encryptions it proves that exactly one option is
  chosen, the contest selection limit of §3.3.6).
- :func:`prove_knowledge` / :func:`verify_knowledge`: a Schnorr proof that a trustee knows
  the secret behind a commitment ``K = g^a`` (§3.2.2, NIZK proof of each coefficient).
- :func:`prove_decryption` / :func:`verify_decryption`: a Chaum-Pedersen proof that a
  trustee's decryption share ``M = A^z`` uses the same ``z`` as its public share key
  ``K_l = g^z`` (§3.6.3, verification 9).

Each challenge is :func:`secession.ballots.hashing.challenge` over a domain separator and
every public value of the statement, and the caller adds what binds the proof to its place
(election hash, ballot id, option number, trustee number).
"""

from __future__ import annotations

from dataclasses import dataclass

import secession.ballots.group as group
from secession.ballots.elgamal import Ciphertext
from secession.ballots.errors import BallotFormatError
from secession.ballots.hashing import Scalar, challenge
from secession.i18n import Message


@dataclass(frozen=True)
class Proof:
    """One challenge-response pair ``(c, v)`` of a sigma protocol."""

    c: int
    v: int

    def to_json(self) -> dict[str, str]:
        return {"c": group.scalar_hex(self.c), "v": group.scalar_hex(self.v)}

    @classmethod
    def from_json(cls, data: object, where: str | Message) -> Proof:
        if not isinstance(data, dict):
            raise BallotFormatError(
                Message("{where}: expected an object with c and v", where=where)
            )
        return cls(
            group.scalar_from_hex(data.get("c"), Message("{where}: c", where=where)),
            group.scalar_from_hex(data.get("v"), Message("{where}: v", where=where)),
        )


def proofs_from_json(data: object, count: int, where: str | Message) -> tuple[Proof, ...]:
    if not isinstance(data, list) or len(data) != count:
        raise BallotFormatError(
            Message("{where}: expected a list of {n} proof parts", where=where, n=count)
        )
    return tuple(
        Proof.from_json(p, Message("{where} part {n}", where=where, n=j))
        for j, p in enumerate(data)
    )


# --- range proofs (§3.3.5) --------------------------------------------------------------


def prove_range(
    ct: Ciphertext,
    m: int,
    nonce: int,
    lo: int,
    hi: int,
    key: bytes,
    hash_key: bytes,
    domain: int,
    context: tuple,
) -> tuple[Proof, ...]:
    """Prove that ``ct = (g^ξ, K^(m+ξ))`` holds some value in ``lo..hi`` (it holds ``m``).

    Every branch ``j`` gets a commitment ``(a_j, b_j)``; the true branch's is honest
    (``g^u, K^u``), the others are simulated from a chosen challenge ``c_j``
    (``b_j = K^(u_j + (m-j) c_j)``, §3.3.5 eq. 45). The true challenge is what remains of the
    hash, and every response is ``v_j = u_j - c_j ξ``.
    """
    if not lo <= m <= hi:
        raise ValueError(f"value {m} is outside {lo}..{hi}")
    values = range(lo, hi + 1)
    u = {j: group.random_scalar() for j in values}
    c = {j: group.random_scalar() for j in values if j != m}
    commitments: list[bytes] = []
    for j in values:
        commitments.append(group.base_mul(u[j]))
        commitments.append(group.mul(key, u[j] + (m - j) * c[j] if j != m else u[j]))
    total = challenge(hash_key, domain, *context, key, ct.alpha, ct.beta, *commitments)
    c[m] = (total - sum(c[j] for j in values if j != m)) % group.Q
    return tuple(Proof(c[j], (u[j] - c[j] * nonce) % group.Q) for j in values)


def verify_range(
    ct: Ciphertext,
    proof: tuple[Proof, ...],
    lo: int,
    hi: int,
    key: bytes,
    hash_key: bytes,
    domain: int,
    context: tuple,
) -> bool:
    """Check a range proof: recompute ``a_j = g^v_j α^c_j`` and ``b_j = K^(v_j - j c_j)
    β^c_j`` (§3.3.5, verification 5) and that the challenges add up to the hash."""
    if len(proof) != hi - lo + 1:
        return False
    commitments: list[bytes] = []
    for j, part in zip(range(lo, hi + 1), proof, strict=True):
        commitments.append(group.add(group.base_mul(part.v), group.mul(ct.alpha, part.c)))
        commitments.append(
            group.add(group.mul(key, part.v - j * part.c), group.mul(ct.beta, part.c))
        )
    total = challenge(hash_key, domain, *context, key, ct.alpha, ct.beta, *commitments)
    return sum(p.c for p in proof) % group.Q == total


# --- Schnorr proofs of knowledge (§3.2.2) -----------------------------------------------


def prove_knowledge(secret: int, hash_key: bytes, domain: int, context: tuple) -> Proof:
    """Prove knowledge of ``a`` with ``K = g^a``: ``h = g^u``, ``c = H(..., K, h)``,
    ``v = u - c a`` (§3.2.2)."""
    u = group.random_scalar()
    commitment = group.base_mul(secret)
    c = challenge(hash_key, domain, *context, commitment, group.base_mul(u))
    return Proof(c, (u - c * secret) % group.Q)


def verify_knowledge(
    commitment: bytes, proof: Proof, hash_key: bytes, domain: int, context: tuple
) -> bool:
    """Check ``c = H(..., K, g^v K^c)`` (§3.2.2, verification 2)."""
    h = group.add(group.base_mul(proof.v), group.mul(commitment, proof.c))
    return challenge(hash_key, domain, *context, commitment, h) == proof.c


# --- Chaum-Pedersen proofs of decryption (§3.6.3) --------------------------------------


def prove_decryption(
    secret: int, ct: Ciphertext, share: bytes, hash_key: bytes, domain: int, context: tuple
) -> Proof:
    """Prove ``log_g(K_l) = log_A(M_l)`` for the share ``M_l = A^z``: ``(a, b) = (g^u, A^u)``,
    ``c = H(..., K_l, A, B, a, b, M_l)``, ``v = u - c z``."""
    u = group.random_scalar()
    share_key = group.base_mul(secret)
    a, b = group.base_mul(u), group.mul(ct.alpha, u)
    c = challenge(hash_key, domain, *context, share_key, ct.alpha, ct.beta, a, b, share)
    return Proof(c, (u - c * secret) % group.Q)


def verify_decryption(
    share_key: bytes,
    ct: Ciphertext,
    share: bytes,
    proof: Proof,
    hash_key: bytes,
    domain: int,
    context: tuple,
) -> bool:
    """Recompute ``a = g^v K_l^c`` and ``b = A^v M_l^c`` and check the hash (verification 9)."""
    a = group.add(group.base_mul(proof.v), group.mul(share_key, proof.c))
    b = group.add(group.mul(ct.alpha, proof.v), group.mul(share, proof.c))
    c = challenge(hash_key, domain, *context, share_key, ct.alpha, ct.beta, a, b, share)
    return c == proof.c


__all__ = [
    "Proof",
    "Scalar",
    "proofs_from_json",
    "prove_decryption",
    "prove_knowledge",
    "prove_range",
    "verify_decryption",
    "verify_knowledge",
    "verify_range",
]
