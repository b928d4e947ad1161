"""Exponential ElGamal over ristretto255, as in ElectionGuard 2.0 §3.3.1.

A number ``m`` is encrypted under the election key ``K = g^s`` with a nonce ``ξ`` as
``(α, β) = (g^ξ, K^(m+ξ))`` (the 2.0 specification's form, eq. 24, which saves one
exponentiation over ``g^m K^ξ``). Encryptions multiply to an encryption of the sum
(§3.5, homomorphic tallying); decryption computes ``K^m = β / α^s`` and ``m`` as a small
discrete logarithm base ``K`` (§3.6.3, found by table look-up since a tally is at most the
number of ballots).
"""

from __future__ import annotations

from dataclasses import dataclass

import secession.ballots.group as group
from secession.ballots.errors import BallotFormatError, ProofError
from secession.i18n import Message


@dataclass(frozen=True)
class Ciphertext:
    """An ElGamal encryption (α, β): two 32-byte points."""

    alpha: bytes
    beta: bytes

    def __mul__(self, other: Ciphertext) -> Ciphertext:
        """The encryption of the sum (component-wise product, §3.5)."""
        return Ciphertext(group.add(self.alpha, other.alpha), group.add(self.beta, other.beta))

    def to_json(self) -> dict[str, str]:
        return {"alpha": self.alpha.hex(), "beta": self.beta.hex()}

    @classmethod
    def from_json(cls, data: object, where: str | Message) -> Ciphertext:
        if not isinstance(data, dict):
            raise BallotFormatError(
                Message("{where}: expected an object with alpha and beta", where=where)
            )
        return cls(
            group.point_from_hex(data.get("alpha"), Message("{where}: alpha", where=where)),
            group.point_from_hex(data.get("beta"), Message("{where}: beta", where=where)),
        )


#: The encryption of zero with nonce zero: the neutral element of the tally product.
ZERO = Ciphertext(group.IDENTITY, group.IDENTITY)


def encrypt(m: int, key: bytes, nonce: int) -> Ciphertext:
    """``(g^ξ, K^(m+ξ))`` for the nonce ``ξ`` (§3.3.1)."""
    return Ciphertext(group.base_mul(nonce), group.mul(key, m + nonce))


def aggregate(ciphertexts) -> Ciphertext:
    """The product of encryptions: an encryption of the sum of their plaintexts."""
    acc = ZERO
    for ct in ciphertexts:
        acc = acc * ct
    return acc


class DiscreteLog:
    """``m`` from ``K^m`` for ``0 <= m <= bound``, by a table built with ``bound`` additions."""

    def __init__(self, key: bytes, bound: int):
        self.bound = bound
        self._table: dict[bytes, int] = {}
        acc = group.IDENTITY
        for m in range(bound + 1):
            self._table[acc] = m
            acc = group.add(acc, key)

    def __call__(self, power: bytes, where: str | Message) -> int:
        try:
            return self._table[power]
        except KeyError:
            raise ProofError(
                Message(
                    "{where}: the decrypted value is not K^m for any m from 0 to {bound} (a "
                    "wrong or missing decryption share)",
                    where=where,
                    bound=self.bound,
                )
            ) from None
