"""The hash function and its domain separation (after ElectionGuard 2.0 §5).

ElectionGuard 2.0 §5.1 defines ``H(B0; B1) = HMAC-SHA-256(B0, B1)``, the key ``B0`` being a
hash of everything the value depends on (parameters, manifest, election key) and ``B1``
starting with a one-byte domain separator. This package keeps that shape with
HMAC-SHA-512, so that a challenge can be the full 64-byte output reduced modulo the group
order (uniform in Z_q: ristretto255's order is far from 2^256, unlike ElectionGuard's q) and
a hash value is its first 32 bytes.

The input is a byte string made by :func:`encode` (after §5.1.1, fixed-length encodings):
a point is its 32-byte encoding, a scalar 32 little-endian bytes, an integer 4 bytes
big-endian, a text its UTF-8 length as 4 bytes big-endian then its bytes, a hash value its
32 bytes. Every domain has a fixed sequence of typed fields, so the encoding is injective.
The browser module (``js/ballot.js``) implements the same function byte for byte.

Domain separators (this package's table, laid out like §5.4 of the specification):

=====  ====================================================================
0x00   parameter hash H_P (group name, generator)
0x01   manifest hash H_M (the canonical manifest)
0x02   election base hash H_B (H_M, number of trustees n, threshold k)
0x10   Schnorr proof of a trustee's coefficient commitment (binds its box key)
0x12   extended base hash H_E (joint key and every commitment)
0x21   proof that one option's encryption holds 0 or 1
0x22   proof that the options of one ballot add up to an allowed number
0x24   ballot tracker (confirmation code)
0x30   proof of a trustee's decryption share
=====  ====================================================================
"""

from __future__ import annotations

import hashlib
import hmac
import json

from secession.ballots.group import reduce_wide, scalar_bytes

SPEC_VERSION = "secession-ballots/1"

PARAMETERS = 0x00
MANIFEST = 0x01
BASE = 0x02
SCHNORR = 0x10
EXTENDED = 0x12
OPTION_PROOF = 0x21
SUM_PROOF = 0x22
TRACKER = 0x24
DECRYPTION_PROOF = 0x30


class Scalar(int):
    """An integer to be hashed as a 32-byte scalar (not as a 4-byte count)."""


def encode(parts) -> bytes:
    """Concatenate typed fields: bytes (points, hashes) as they are, :class:`Scalar` as 32
    little-endian bytes, ``int`` as 4 bytes big-endian, ``str`` length-prefixed UTF-8."""
    out = bytearray()
    for part in parts:
        if isinstance(part, bytes):
            out += part
        elif isinstance(part, Scalar):
            out += scalar_bytes(int(part))
        elif isinstance(part, int):
            out += part.to_bytes(4, "big")
        elif isinstance(part, str):
            data = part.encode("utf-8")
            out += len(data).to_bytes(4, "big") + data
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"cannot hash {type(part).__name__}")
    return bytes(out)


def digest(key: bytes, domain: int, *parts) -> bytes:
    """``HMAC-SHA-512(key, domain || encode(parts))``: 64 bytes."""
    return hmac.new(key, bytes([domain]) + encode(parts), hashlib.sha512).digest()


def hash_value(key: bytes, domain: int, *parts) -> bytes:
    """A 32-byte hash value (the first half of :func:`digest`)."""
    return digest(key, domain, *parts)[:32]


def challenge(key: bytes, domain: int, *parts) -> int:
    """A Fiat-Shamir challenge in Z_q: the 64-byte digest reduced modulo the group order."""
    return reduce_wide(digest(key, domain, *parts))


def canonical_json(value: object) -> bytes:
    """The one byte form of a JSON value that is hashed, logged and compared.

    For the values this package writes (objects with ASCII keys, lists, strings, integers,
    booleans, null; no floats) sorted keys with no whitespace and UTF-8 text is exactly the
    JSON Canonicalization Scheme (RFC 8785)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
