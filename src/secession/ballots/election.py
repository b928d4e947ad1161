"""The election's public key material, computed by anyone from the trustees' commitments
(ElectionGuard 2.0 §3.2.3): the joint key ``K``, the extended base hash ``H_E`` that keys
every ballot and decryption proof, and each trustee's public share key ``K_l``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import secession.ballots.group as group
from secession.ballots.errors import TrusteeError
from secession.ballots.hashing import EXTENDED, hash_value
from secession.ballots.manifest import Manifest
from secession.ballots.trustees import TrusteePublic, expected_share
from secession.i18n import Message


@dataclass(frozen=True)
class ElectionKey:
    """The manifest with every trustee's public record, in trustee order."""

    manifest: Manifest
    trustees: tuple[TrusteePublic, ...] = field(repr=False)

    def __post_init__(self) -> None:
        indices = [t.index for t in self.trustees]
        if indices != list(range(1, self.manifest.n + 1)):
            raise TrusteeError(
                Message(
                    "the election key needs the public records of all {n} trustees, one each "
                    "(have: {have})",
                    n=self.manifest.n,
                    have=sorted(indices),
                )
            )

    @cached_property
    def joint_key(self) -> bytes:
        """K = prod_i K_i0 (§3.2.3)."""
        return group.product(t.commitments[0] for t in self.trustees)

    @cached_property
    def extended_hash(self) -> bytes:
        """H_E = H(H_B; 0x12, K, K_10, ..., K_n,k-1): the specification's extended base hash
        (§3.2.3), binding every commitment as well as the joint key."""
        commitments = [c for t in self.trustees for c in t.commitments]
        return hash_value(self.manifest.base_hash, EXTENDED, self.joint_key, *commitments)

    def share_key(self, index: int) -> bytes:
        """K_l = g^z_l = prod_i prod_j K_ij^(l^j): trustee l's public share key."""
        return self._share_keys[index]

    @cached_property
    def _share_keys(self) -> dict[int, bytes]:
        return {
            x: group.product(expected_share(t, x) for t in self.trustees)
            for x in range(1, self.manifest.n + 1)
        }
