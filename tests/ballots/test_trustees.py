"""Key generation and threshold decryption: shares checked against commitments, any k
trustees give the same result, fewer than k decrypt nothing."""

from __future__ import annotations

import itertools
import json

import pysodium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secession.ballots import group, trustees
from secession.ballots.ballot import encrypt_ballot
from secession.ballots.elgamal import DiscreteLog
from secession.ballots.errors import ProofError, TrusteeError
from secession.ballots.hashing import canonical_json
from secession.ballots.tally import (
    check_share,
    combine,
    decryption_share,
    encrypted_tally,
    interpolate,
)


def test_key_shares_interpolate_to_the_joint_secret_that_nobody_holds(election) -> None:
    s = sum(t.coefficients[0] for t in election.secrets) % group.Q
    assert group.base_mul(s) == election.key.joint_key
    for t in election.secrets:
        assert group.base_mul(t.key_share) == election.key.share_key(t.index)
    for subset in itertools.combinations(election.secrets, 3):
        points = {t.index: group.base_mul(t.key_share) for t in subset}
        assert interpolate(points) == election.key.joint_key


def test_a_forged_share_is_caught_naming_its_sender(election) -> None:
    e = election
    publics = list(e.key.trustees)
    files = [trustees.seal_shares(t, e.manifest, publics) for t in e.secrets]
    # ben (trustee 2) seals for ana a value that is not P_2(1)
    wrong = (e.secrets[1].evaluate(1) + 1) % group.Q
    plain = canonical_json(
        {
            "election": e.manifest.election,
            "base_hash": e.manifest.base_hash.hex(),
            "from": 2,
            "to": 1,
            "value": group.scalar_hex(wrong),
        }
    )
    files[1] = json.loads(json.dumps(files[1]))
    files[1]["shares"][0]["sealed"] = pysodium.crypto_box_seal(plain, publics[0].box_key).hex()
    with pytest.raises(TrusteeError, match=r"share from trustee 2 \(ben\) does not match"):
        trustees.open_shares(e.secrets[0], e.manifest, publics, files)


def test_missing_and_misaddressed_shares_are_named(election) -> None:
    e = election
    publics = list(e.key.trustees)
    files = [trustees.seal_shares(t, e.manifest, publics) for t in e.secrets]
    with pytest.raises(TrusteeError, match=r"no share received from trustee\(s\) 4 \(dee\)"):
        trustees.open_shares(e.secrets[0], e.manifest, publics, files[:3] + files[4:])
    swapped = json.loads(json.dumps(files[2]))
    swapped["shares"][0]["sealed"] = files[3]["shares"][0]["sealed"]  # dee's share for ana
    with pytest.raises(TrusteeError, match=r"trustee 3 \(cy\) was made for another"):
        trustees.open_shares(e.secrets[0], e.manifest, publics, [*files[:2], swapped, *files[3:]])


def test_a_forged_commitment_proof_is_named(election) -> None:
    public = election.key.trustees[2]
    data = public.to_json()
    data["commitments"][1] = group.base_mul(12345).hex()
    forged = trustees.TrusteePublic.from_json(data, election.manifest)
    with pytest.raises(TrusteeError, match=r"trustee 3 \(cy\).*coefficient 1 does not verify"):
        forged.check(election.manifest)


def _tally(e, choices):
    ballots = [encrypt_ballot(e.key, [c]).ballot for c in choices]
    return encrypted_tally(ballots, len(e.manifest.options)), len(ballots)


def test_any_three_of_five_trustees_give_the_same_result(election) -> None:
    tally, n = _tally(election, [0, 0, 1, 0, 1, 1, 0])
    shares = [decryption_share(t, election.key, tally) for t in election.secrets]
    for share in shares:
        check_share(election.key, tally, share)
    results = {combine(election.key, tally, list(c), n) for c in itertools.combinations(shares, 3)}
    assert results == {(4, 3)}
    assert combine(election.key, tally, shares, n) == (4, 3)  # more than k works too


@settings(max_examples=10)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=12), st.data())
def test_fewer_than_k_shares_decrypt_nothing(election, choices, data) -> None:
    """Two of three needed shares: combine refuses, and forcing the interpolation gives
    A^P'(0) for a wrong polynomial, a point that is K^t for no count t (tally.py explains
    why: the two key shares are consistent with every joint secret)."""
    tally, n = _tally(election, choices)
    two = data.draw(st.lists(st.integers(0, 4), min_size=2, max_size=2, unique=True))
    shares = [decryption_share(election.secrets[i], election.key, tally) for i in two]
    with pytest.raises(TrusteeError, match="needs shares from 3 of the 5 trustees; have 2"):
        combine(election.key, tally, shares, n)
    dlog = DiscreteLog(election.key.joint_key, n)
    for i, ct in enumerate(tally):
        forced = interpolate({s.trustee: s.shares[i] for s in shares})
        with pytest.raises(ProofError, match="not K\\^m for any m"):
            dlog(group.sub(ct.beta, forced), f"option {i + 1}")


def test_a_share_with_another_trustees_proof_fails(election) -> None:
    tally, _ = _tally(election, [0, 1])
    share = decryption_share(election.secrets[0], election.key, tally)
    moved = type(share)(2, share.shares, share.proofs)
    with pytest.raises(ProofError, match=r"decryption by trustee 2 \(ben\), option 1"):
        check_share(election.key, tally, moved)


def test_a_trustee_without_checked_shares_cannot_decrypt(election) -> None:
    fresh = trustees.generate(election.manifest, "ana")
    with pytest.raises(TrusteeError, match="no key share yet"):
        decryption_share(fresh, election.key, _tally(election, [0])[0])


def test_a_trustee_notices_when_the_board_replaced_their_record(election) -> None:
    """A server posting its own commitments in a trustee's name would hold that key share:
    the trustee's own check refuses to go on."""
    e = election
    impostor = trustees.generate(e.manifest, "cy").public(e.manifest)
    publics = [impostor if p.index == 3 else p for p in e.key.trustees]
    with pytest.raises(TrusteeError, match=r"record of trustee 3 \(cy\) is not the one"):
        trustees.seal_shares(e.secrets[2], e.manifest, publics)
    with pytest.raises(TrusteeError, match=r"record of trustee 3 \(cy\) is not the one"):
        trustees.open_shares(e.secrets[2], e.manifest, publics, [])
