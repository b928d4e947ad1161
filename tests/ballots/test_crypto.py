"""Property tests of the constructions: ElGamal round trips and homomorphism; every proof
accepted for honest values and rejected when any one element is forged."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secession.ballots import group
from secession.ballots.elgamal import Ciphertext, DiscreteLog, aggregate, encrypt
from secession.ballots.errors import ProofError
from secession.ballots.hashing import DECRYPTION_PROOF, OPTION_PROOF, SCHNORR
from secession.ballots.proofs import (
    Proof,
    prove_decryption,
    prove_knowledge,
    prove_range,
    verify_decryption,
    verify_knowledge,
    verify_range,
)

scalars = st.integers(1, group.Q - 1)
HASH_KEY = bytes(range(32))
CONTEXT = ("0123456789abcdef0123456789abcdef", 2)
FEW = settings(max_examples=25)


def decrypt(ct: Ciphertext, secret: int, key: bytes, bound: int) -> int:
    """K^m = β / α^s, then the small logarithm."""
    return DiscreteLog(key, bound)(group.sub(ct.beta, group.mul(ct.alpha, secret)), "test")


@FEW
@given(scalars, st.integers(0, 50), scalars)
def test_encryption_round_trips(secret: int, m: int, nonce: int) -> None:
    key = group.base_mul(secret)
    assert decrypt(encrypt(m, key, nonce), secret, key, 50) == m


@FEW
@given(scalars, st.lists(st.tuples(st.integers(0, 3), scalars), min_size=1, max_size=8))
def test_the_product_of_encryptions_decrypts_to_the_sum(secret: int, items) -> None:
    key = group.base_mul(secret)
    total = aggregate(encrypt(m, key, xi) for m, xi in items)
    assert decrypt(total, secret, key, 24) == sum(m for m, _ in items)


def test_a_value_beyond_the_bound_is_refused_by_name() -> None:
    key = group.base_mul(5)
    with pytest.raises(ProofError, match="option 1: the decrypted value is not K\\^m"):
        DiscreteLog(key, 3)(group.mul(key, 4), "option 1")


# --- range proofs -----------------------------------------------------------------------


def _range_case(secret: int, m: int, nonce: int, lo: int, hi: int):
    key = group.base_mul(secret)
    ct = encrypt(m, key, nonce)
    proof = prove_range(ct, m, nonce, lo, hi, key, HASH_KEY, OPTION_PROOF, CONTEXT)
    return key, ct, proof


@FEW
@given(scalars, scalars, st.integers(0, 3), st.data())
def test_an_honest_range_proof_verifies(secret, nonce, lo, data) -> None:
    hi = data.draw(st.integers(lo, lo + 3))
    m = data.draw(st.integers(lo, hi))
    key, ct, proof = _range_case(secret, m, nonce, lo, hi)
    assert verify_range(ct, proof, lo, hi, key, HASH_KEY, OPTION_PROOF, CONTEXT)


FORGERIES = [
    "alpha",
    "beta",
    "c",
    "v",
    "key",
    "hash_key",
    "domain",
    "ballot_id",
    "option",
    "range",
]


@FEW
@given(scalars, scalars, st.integers(0, 1), st.sampled_from(FORGERIES), st.integers(0, 1), scalars)
def test_a_range_proof_fails_when_any_element_is_forged(secret, nonce, m, what, j, x) -> None:
    key, ct, proof = _range_case(secret, m, nonce, 0, 1)
    args = {
        "ct": ct,
        "proof": proof,
        "lo": 0,
        "hi": 1,
        "key": key,
        "hash_key": HASH_KEY,
        "domain": OPTION_PROOF,
        "context": CONTEXT,
    }
    parts = list(proof)
    if what == "alpha":
        args["ct"] = Ciphertext(group.add(ct.alpha, group.base_mul(x)), ct.beta)
    elif what == "beta":
        args["ct"] = Ciphertext(ct.alpha, group.add(ct.beta, group.base_mul(x)))
    elif what in ("c", "v"):
        part = parts[j]
        parts[j] = dataclasses.replace(part, **{what: (getattr(part, what) + x) % group.Q})
        args["proof"] = tuple(parts)
    elif what == "key":
        args["key"] = group.add(key, group.base_mul(x))
    elif what == "hash_key":
        args["hash_key"] = bytes(32)
    elif what == "domain":
        args["domain"] = OPTION_PROOF + 1
    elif what == "ballot_id":
        args["context"] = ("f" * 32, CONTEXT[1])
    elif what == "option":
        args["context"] = (CONTEXT[0], CONTEXT[1] + 1)
    elif what == "range":
        args["lo"], args["hi"] = 1, 2
    assert not verify_range(**args)


@FEW
@given(scalars, scalars, scalars)
def test_an_encryption_of_two_cannot_pass_as_zero_or_one(secret, nonce, other) -> None:
    """The strongest honest attempt: prove a fresh 0/1 encryption, then present that proof
    for an encryption of 2 with the same nonce. It must fail (soundness)."""
    key = group.base_mul(secret)
    proof = prove_range(encrypt(1, key, nonce), 1, nonce, 0, 1, key, HASH_KEY, 0x21, CONTEXT)
    two = encrypt(2, key, nonce)
    assert not verify_range(two, proof, 0, 1, key, HASH_KEY, 0x21, CONTEXT)
    with pytest.raises(ValueError, match=r"outside 0\.\.1"):
        prove_range(two, 2, nonce, 0, 1, key, HASH_KEY, 0x21, CONTEXT)


# --- Schnorr and decryption proofs --------------------------------------------------------


@FEW
@given(scalars, scalars)
def test_schnorr_proofs_verify_and_bind_their_statement(secret: int, x: int) -> None:
    proof = prove_knowledge(secret, HASH_KEY, SCHNORR, (1, 0))
    commitment = group.base_mul(secret)
    assert verify_knowledge(commitment, proof, HASH_KEY, SCHNORR, (1, 0))
    assert not verify_knowledge(group.base_mul(secret + x), proof, HASH_KEY, SCHNORR, (1, 0))
    assert not verify_knowledge(commitment, proof, HASH_KEY, SCHNORR, (2, 0))
    forged = Proof(proof.c, (proof.v + x) % group.Q)
    assert not verify_knowledge(commitment, forged, HASH_KEY, SCHNORR, (1, 0))


@FEW
@given(scalars, scalars, scalars, scalars)
def test_decryption_proofs_reject_a_wrong_share(z: int, alpha: int, beta: int, x: int) -> None:
    ct = Ciphertext(group.base_mul(alpha), group.base_mul(beta))
    share = group.mul(ct.alpha, z)
    proof = prove_decryption(z, ct, share, HASH_KEY, DECRYPTION_PROOF, (1, 0))
    share_key = group.base_mul(z)
    ok = verify_decryption(share_key, ct, share, proof, HASH_KEY, DECRYPTION_PROOF, (1, 0))
    assert ok
    wrong = group.add(share, group.base_mul(x))
    assert not verify_decryption(share_key, ct, wrong, proof, HASH_KEY, DECRYPTION_PROOF, (1, 0))
    other_key = group.base_mul(z + x)
    assert not verify_decryption(other_key, ct, share, proof, HASH_KEY, DECRYPTION_PROOF, (1, 0))
    assert not verify_decryption(share_key, ct, share, proof, HASH_KEY, DECRYPTION_PROOF, (1, 1))
