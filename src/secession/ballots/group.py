"""The ristretto255 group (RFC 9496) through libsodium, and integers modulo its order.

Every point operation is a libsodium call (``crypto_core_ristretto255_*``,
``crypto_scalarmult_ristretto255*``, through pysodium); nothing here does curve arithmetic
itself. Scalars are Python integers modulo :data:`Q`, the prime order of the group; they
are encoded as 32 little-endian bytes, libsodium's canonical form.

This group takes the place of ElectionGuard 2.0's integer group (§3.1.1, standard baseline
parameters): ElectionGuard's constructions are stated for any group of prime order ``q``
with generator ``g`` in which discrete logarithms are hard, and ristretto255 is such a group
with 32-byte elements and ~128-bit security (RFC 9496 §1), which keeps a ballot small and
its proofs quick to check in a browser.
"""

from __future__ import annotations

import re

import pysodium

from secession.ballots.errors import BallotFormatError
from secession.i18n import Message

#: The order of ristretto255 (RFC 9496 §4.1): 2^252 + 27742317777372353535851937790883648493.
Q = 2**252 + 27742317777372353535851937790883648493
POINT_BYTES = 32
SCALAR_BYTES = 32
#: The identity element's canonical encoding (RFC 9496 §4.3.1: all zero bytes).
IDENTITY = bytes(POINT_BYTES)
#: The standard generator (RFC 9496 §4.4), computed by libsodium as 1·G.
G = pysodium.crypto_scalarmult_ristretto255_base((1).to_bytes(SCALAR_BYTES, "little"))


def scalar_bytes(n: int) -> bytes:
    """``n mod Q`` as 32 little-endian bytes."""
    return (n % Q).to_bytes(SCALAR_BYTES, "little")


def base_mul(n: int) -> bytes:
    """g^n (written multiplicatively, as the specification does)."""
    n %= Q
    if n == 0:
        return IDENTITY
    return pysodium.crypto_scalarmult_ristretto255_base(n.to_bytes(SCALAR_BYTES, "little"))


def mul(point: bytes, n: int) -> bytes:
    """point^n. libsodium refuses a result that is the identity, which happens exactly when
    ``n ≡ 0`` or the point is the identity (the group has prime order); both give it here."""
    n %= Q
    if n == 0 or point == IDENTITY:
        return IDENTITY
    return pysodium.crypto_scalarmult_ristretto255(n.to_bytes(SCALAR_BYTES, "little"), point)


def add(p: bytes, r: bytes) -> bytes:
    """p · r."""
    return pysodium.crypto_core_ristretto255_add(p, r)


def sub(p: bytes, r: bytes) -> bytes:
    """p / r."""
    return pysodium.crypto_core_ristretto255_sub(p, r)


def product(points) -> bytes:
    """The product of an iterable of points (the identity for none)."""
    acc = IDENTITY
    for p in points:
        acc = add(acc, p)
    return acc


def random_scalar() -> int:
    """A uniformly random nonzero scalar from libsodium's generator."""
    while True:
        n = int.from_bytes(pysodium.crypto_core_ristretto255_scalar_random(), "little")
        if n:
            return n


def reduce_wide(digest: bytes) -> int:
    """A 64-byte digest reduced modulo Q (libsodium's ``scalar_reduce``): uniform in Z_q."""
    return int.from_bytes(pysodium.crypto_core_ristretto255_scalar_reduce(digest), "little")


def point_from_hex(text: object, where: str | Message) -> bytes:
    """Decode a canonical point encoding; a malformed one raises naming ``where``."""
    raw = hex_bytes(text, POINT_BYTES, where)
    if not pysodium.crypto_core_ristretto255_is_valid_point(raw):
        raise BallotFormatError(Message("{where}: not a valid ristretto255 point", where=where))
    return raw


def scalar_from_hex(text: object, where: str | Message) -> int:
    """Decode a canonical scalar (32 little-endian bytes, below Q)."""
    n = int.from_bytes(hex_bytes(text, SCALAR_BYTES, where), "little")
    if n >= Q:
        raise BallotFormatError(
            Message("{where}: scalar is not reduced modulo the group order", where=where)
        )
    return n


def scalar_hex(n: int) -> str:
    return scalar_bytes(n).hex()


_LOWER_HEX = re.compile(r"[0-9a-f]*")


def hex_bytes(text: object, size: int, where: str | Message) -> bytes:
    """Exactly ``size`` bytes as lower-case hexadecimal (one spelling per value)."""
    if not isinstance(text, str) or len(text) != 2 * size or not _LOWER_HEX.fullmatch(text):
        raise BallotFormatError(
            Message("{where}: expected {n} lower-case hexadecimal digits", where=where, n=2 * size)
        )
    return bytes.fromhex(text)
