"""The group through libsodium: RFC 9496 test vectors, canonical decoding, the identity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secession.ballots import group
from secession.ballots.errors import BallotFormatError
from secession.ballots.hashing import Scalar, encode

# RFC 9496 Appendix A.1: encodings of the first multiples of the generator.
RFC9496_MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
]
# RFC 9496 Appendix A.2: byte strings that are not valid encodings.
RFC9496_INVALID = [
    "0100000000000000000000000000000000000000000000000000000000000000",  # non-canonical
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # out of range
    "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
]


@pytest.mark.parametrize("n", range(4))
def test_multiples_of_the_generator_match_rfc_9496(n: int) -> None:
    assert group.base_mul(n).hex() == RFC9496_MULTIPLES[n]
    assert group.product([group.G] * n).hex() == RFC9496_MULTIPLES[n]


@pytest.mark.parametrize("text", RFC9496_INVALID)
def test_invalid_encodings_of_rfc_9496_are_refused(text: str) -> None:
    with pytest.raises(BallotFormatError, match="not a valid ristretto255 point"):
        group.point_from_hex(text, "test point")


@pytest.mark.parametrize("text", ["ab", "E2F2" * 16, "zz" * 32, 5, None, "e2 f2" + "0" * 59])
def test_malformed_hex_names_the_element(text) -> None:
    with pytest.raises(BallotFormatError, match=r"^ballot 1: expected 64 lower-case"):
        group.point_from_hex(text, "ballot 1")


def test_an_unreduced_scalar_is_refused() -> None:
    with pytest.raises(BallotFormatError, match="not reduced"):
        group.scalar_from_hex(group.Q.to_bytes(32, "little").hex(), "proof c")


@given(st.integers(0, group.Q - 1), st.integers(0, group.Q - 1))
def test_exponents_add_when_points_multiply(a: int, b: int) -> None:
    assert group.add(group.base_mul(a), group.base_mul(b)) == group.base_mul(a + b)
    assert group.mul(group.base_mul(a), b) == group.base_mul(a * b)
    assert group.sub(group.base_mul(a), group.base_mul(b)) == group.base_mul(a - b)


def test_the_identity_is_handled_where_libsodium_refuses_it() -> None:
    assert group.mul(group.G, 0) == group.IDENTITY
    assert group.mul(group.IDENTITY, 7) == group.IDENTITY
    assert group.mul(group.G, group.Q) == group.IDENTITY


def test_the_hash_encoding_tells_fields_apart() -> None:
    # a text is length-prefixed, so moving a character between fields changes the bytes
    assert encode(["ab", "c"]) != encode(["a", "bc"])
    assert encode([Scalar(1)]) != encode([1])
    assert len(encode([Scalar(1), 1, group.G])) == 32 + 4 + 32
