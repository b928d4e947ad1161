"""Dealerless threshold key generation with verifiable shares (ElectionGuard 2.0 §3.2).

Each trustee ``i`` (numbered from 1) runs a Feldman verifiable secret sharing of its own
secret, on its own machine (§3.2.1):

1. it draws a polynomial ``P_i(x) = a_i0 + a_i1 x + ... + a_i,k-1 x^(k-1)`` and publishes the
   commitments ``K_ij = g^a_ij`` with a Schnorr proof of knowledge of each ``a_ij``
   (§3.2.2), and the public key of a NaCl box key pair to receive shares; each proof's hash
   takes that box key too, so nobody (the server relaying the records) can put their own
   box key in a trustee's record and read the shares sent to it;
2. it sends every other trustee ``l`` the value ``P_i(l)``, sealed to ``l``'s box key (a
   libsodium sealed box, X25519 and XSalsa20-Poly1305, in place of the specification's
   hashed ElGamal encryption of §3.2.2), so the server that relays it learns nothing;
3. trustee ``l`` opens the shares sent to it and checks each against the sender's
   commitments, ``g^P_i(l) = prod_j K_ij^(l^j)`` (§3.2.2, eq. 21); a share that fails names
   its sender, who must then publish it for everyone to judge (the specification's
   complaint);
4. trustee ``l``'s key share is ``z_l = sum_i P_i(l)`` (§3.2.3). Nobody ever holds the joint
   secret ``s = sum_i a_i0``: any ``k`` key shares determine it by Lagrange interpolation
   and any ``k - 1`` say nothing about it (Shamir: for every candidate secret there is
   exactly one polynomial through those ``k - 1`` points and the chosen value at 0).

The joint election key is ``K = prod_i K_i0 = g^s`` and trustee ``l``'s public share key is
``K_l = g^z_l = prod_i prod_j K_ij^(l^j)``, computable by anyone from the commitments
(:mod:`secession.ballots.election`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pysodium

import secession.ballots.group as group
from secession.ballots.errors import BallotFormatError, TrusteeError
from secession.ballots.hashing import SCHNORR, canonical_json
from secession.ballots.manifest import Manifest
from secession.ballots.proofs import Proof, proofs_from_json, prove_knowledge, verify_knowledge
from secession.i18n import Message


@dataclass(frozen=True)
class TrusteePublic:
    """What a trustee publishes: commitments to its coefficients, their proofs, box key."""

    index: int
    name: str
    commitments: tuple[bytes, ...]
    proofs: tuple[Proof, ...]
    box_key: bytes

    def to_json(self) -> dict:
        return {
            "type": "trustee",
            "index": self.index,
            "name": self.name,
            "commitments": [c.hex() for c in self.commitments],
            "proofs": [p.to_json() for p in self.proofs],
            "box_key": self.box_key.hex(),
        }

    @classmethod
    def from_json(
        cls, data: object, manifest: Manifest, where: str | Message = Message("trustee")
    ) -> TrusteePublic:
        if not isinstance(data, dict) or data.get("type") != "trustee":
            raise BallotFormatError(
                Message("{where}: expected an object of type 'trustee'", where=where)
            )
        index = data.get("index")
        if type(index) is not int or not 1 <= index <= manifest.n:
            raise BallotFormatError(
                Message("{where}: index must be 1 to {n}", where=where, n=manifest.n)
            )
        name = manifest.trustees[index - 1]
        where = Message("trustee {index} ({name})", index=index, name=name)
        if data.get("name") != name:
            raise BallotFormatError(
                Message(
                    "{where}: the manifest names trustee {index} {name}",
                    where=where,
                    index=index,
                    name=repr(name),
                )
            )
        commitments = data.get("commitments")
        if not isinstance(commitments, list) or len(commitments) != manifest.k:
            raise BallotFormatError(
                Message("{where}: expected {k} commitments", where=where, k=manifest.k)
            )
        box = data.get("box_key")
        if not isinstance(box, str) or len(box) != 64:
            raise BallotFormatError(
                Message("{where}: box_key must be 64 hexadecimal digits", where=where)
            )
        try:
            box_key = bytes.fromhex(box)
        except ValueError:
            raise BallotFormatError(
                Message("{where}: box_key is not hexadecimal", where=where)
            ) from None
        return cls(
            index=index,
            name=name,
            commitments=tuple(
                group.point_from_hex(c, Message("{where}: commitment {n}", where=where, n=j))
                for j, c in enumerate(commitments)
            ),
            proofs=proofs_from_json(
                data.get("proofs"), manifest.k, Message("{where}: proofs", where=where)
            ),
            box_key=box_key,
        )

    def check(self, manifest: Manifest) -> None:
        """Verify every Schnorr proof (§3.2.2, verification 2); raise naming the first bad one."""
        for j, (commitment, proof) in enumerate(zip(self.commitments, self.proofs, strict=True)):
            if not verify_knowledge(
                commitment, proof, manifest.base_hash, SCHNORR, (self.index, j, self.box_key)
            ):
                raise TrusteeError(
                    Message(
                        "trustee {index} ({name}): the proof of knowledge of coefficient {n} "
                        "does not verify",
                        index=self.index,
                        name=self.name,
                        n=j,
                    )
                )


@dataclass
class TrusteeSecret:
    """A trustee's secret file: its polynomial, its box secret key and, once the shares
    sent to it are checked, its key share ``z_l``. Never leaves the trustee's machine."""

    election: str
    base_hash: bytes
    index: int
    name: str
    coefficients: tuple[int, ...]
    box_public: bytes
    box_secret: bytes
    key_share: int | None = None
    checked_from: tuple[int, ...] = field(default_factory=tuple)

    def evaluate(self, x: int) -> int:
        """P_i(x) mod q (Horner's rule)."""
        acc = 0
        for a in reversed(self.coefficients):
            acc = (acc * x + a) % group.Q
        return acc

    def public(self, manifest: Manifest) -> TrusteePublic:
        proofs = tuple(
            prove_knowledge(a, manifest.base_hash, SCHNORR, (self.index, j, self.box_public))
            for j, a in enumerate(self.coefficients)
        )
        return TrusteePublic(
            index=self.index,
            name=self.name,
            commitments=tuple(group.base_mul(a) for a in self.coefficients),
            proofs=proofs,
            box_key=self.box_public,
        )

    def to_json(self) -> dict:
        return {
            "type": "trustee-secret",
            "warning": "Secret: keep this file on the trustee's own machine; never upload it.",
            "election": self.election,
            "base_hash": self.base_hash.hex(),
            "index": self.index,
            "name": self.name,
            "coefficients": [group.scalar_hex(a) for a in self.coefficients],
            "box_public": self.box_public.hex(),
            "box_secret": self.box_secret.hex(),
            "key_share": None if self.key_share is None else group.scalar_hex(self.key_share),
            "checked_from": list(self.checked_from),
        }

    @classmethod
    def from_json(cls, data: object, where: str = "trustee secret file") -> TrusteeSecret:
        if not isinstance(data, dict) or data.get("type") != "trustee-secret":
            raise BallotFormatError(f"{where}: not a trustee secret file")
        try:
            coefficients = tuple(
                group.scalar_from_hex(a, f"{where}: coefficient {j}")
                for j, a in enumerate(data["coefficients"])
            )
            share = data.get("key_share")
            return cls(
                election=str(data["election"]),
                base_hash=bytes.fromhex(data["base_hash"]),
                index=int(data["index"]),
                name=str(data["name"]),
                coefficients=coefficients,
                box_public=bytes.fromhex(data["box_public"]),
                box_secret=bytes.fromhex(data["box_secret"]),
                key_share=None if share is None else group.scalar_from_hex(share, where),
                checked_from=tuple(int(i) for i in data.get("checked_from", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BallotFormatError(f"{where}: missing or malformed field ({exc})") from None


def generate(manifest: Manifest, name: str) -> TrusteeSecret:
    """A new trustee secret for the trustee called ``name`` in the manifest (§3.2.1)."""
    if name not in manifest.trustees:
        raise TrusteeError(
            f"{name!r} is not a trustee of this election (trustees: {', '.join(manifest.trustees)})"
        )
    box_public, box_secret = pysodium.crypto_box_keypair()
    return TrusteeSecret(
        election=manifest.election,
        base_hash=manifest.base_hash,
        index=manifest.trustees.index(name) + 1,
        name=name,
        coefficients=tuple(group.random_scalar() for _ in range(manifest.k)),
        box_public=box_public,
        box_secret=box_secret,
    )


def expected_share(public: TrusteePublic, x: int) -> bytes:
    """``g^P_i(x) = prod_j K_ij^(x^j)`` from trustee i's commitments alone (§3.2.2)."""
    return group.product(group.mul(k, pow(x, j, group.Q)) for j, k in enumerate(public.commitments))


def seal_shares(secret: TrusteeSecret, manifest: Manifest, publics: list[TrusteePublic]) -> dict:
    """The shares file trustee ``i`` uploads: ``P_i(l)`` sealed to each other trustee ``l``.

    The other trustees' published proofs are checked first, so no share goes to a box key
    whose owner has not proven its commitments."""
    _same_election(secret, manifest)
    _own_record(secret, publics)
    sealed = []
    for public in sorted(publics, key=lambda p: p.index):
        if public.index == secret.index:
            continue
        public.check(manifest)
        plain = canonical_json(
            {
                "election": manifest.election,
                "base_hash": manifest.base_hash.hex(),
                "from": secret.index,
                "to": public.index,
                "value": group.scalar_hex(secret.evaluate(public.index)),
            }
        )
        sealed.append(
            {"to": public.index, "sealed": pysodium.crypto_box_seal(plain, public.box_key).hex()}
        )
    return {
        "type": "trustee-shares",
        "election": manifest.election,
        "from": secret.index,
        "shares": sealed,
    }


def open_shares(
    secret: TrusteeSecret,
    manifest: Manifest,
    publics: list[TrusteePublic],
    shares_files: list[dict],
) -> TrusteeSecret:
    """Open and check the shares sent to this trustee; return the secret with ``z_l`` set.

    Raises :class:`TrusteeError` naming the trustee whose share is missing, unreadable or
    inconsistent with its commitments."""
    _same_election(secret, manifest)
    by_index = {p.index: p for p in publics}
    missing_publics = set(range(1, manifest.n + 1)) - set(by_index)
    if missing_publics:
        raise TrusteeError(f"no published commitments of trustee(s) {sorted(missing_publics)}")
    _own_record(secret, publics)
    received: dict[int, int] = {}
    for n, shares in enumerate(shares_files):
        where = f"shares file {n + 1}"
        if (
            not isinstance(shares, dict)
            or shares.get("type") != "trustee-shares"
            or not isinstance(shares.get("shares"), list)
        ):
            raise BallotFormatError(f"{where}: not a trustee shares file")
        sender = shares.get("from")
        if type(sender) is not int or sender not in by_index or sender == secret.index:
            continue
        label = f"trustee {sender} ({manifest.trustees[sender - 1]})"
        if sender in received:
            raise TrusteeError(f"two shares files from {label}")
        mine = [s for s in shares["shares"] if isinstance(s, dict) and s.get("to") == secret.index]
        if len(mine) != 1:
            raise TrusteeError(f"{label} sent no share (or several) for trustee {secret.index}")
        try:
            plain = pysodium.crypto_box_seal_open(
                bytes.fromhex(mine[0]["sealed"]), secret.box_public, secret.box_secret
            )
            data = json.loads(plain)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except Exception:
            raise TrusteeError(
                f"the share from {label} cannot be opened with this trustee's box key"
            ) from None
        if (
            data.get("election") != manifest.election
            or data.get("base_hash") != manifest.base_hash.hex()
            or data.get("from") != sender
            or data.get("to") != secret.index
        ):
            raise TrusteeError(f"the share from {label} was made for another election or trustee")
        value = group.scalar_from_hex(data.get("value"), f"share from {label}")
        by_index[sender].check(manifest)
        if group.base_mul(value) != expected_share(by_index[sender], secret.index):
            raise TrusteeError(
                f"the share from {label} does not match {label}'s published commitments: "
                "do not open the election; ask that trustee to publish this share so everyone "
                "can judge (ElectionGuard 2.0 §3.2.2)"
            )
        received[sender] = value
    missing = set(by_index) - set(received) - {secret.index}
    if missing:
        names = ", ".join(f"{i} ({manifest.trustees[i - 1]})" for i in sorted(missing))
        raise TrusteeError(f"no share received from trustee(s) {names}")
    z = (secret.evaluate(secret.index) + sum(received.values())) % group.Q
    secret.key_share = z
    secret.checked_from = tuple(sorted(received))
    return secret


def _own_record(secret: TrusteeSecret, publics: list[TrusteePublic]) -> None:
    """The board must show this trustee's own commitments and box key: a server that
    replaced them would hold a key share of its own making."""
    mine = [p for p in publics if p.index == secret.index]
    ours = tuple(group.base_mul(a) for a in secret.coefficients)
    if len(mine) != 1 or mine[0].commitments != ours or mine[0].box_key != secret.box_public:
        raise TrusteeError(
            f"the board's record of trustee {secret.index} ({secret.name}) is not the one this "
            "secret file made: do not go on, and tell the other trustees"
        )


def _same_election(secret: TrusteeSecret, manifest: Manifest) -> None:
    if secret.base_hash != manifest.base_hash:
        raise TrusteeError(
            f"this trustee file belongs to election {secret.election!r} with another "
            "manifest, not to this board"
        )
