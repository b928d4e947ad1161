"""The election manifest and the hashes that bind everything to it (ElectionGuard 2.0 §3.1).

The manifest says what is asked (one question, its options, how many options a ballot must
choose), who the trustees are and how many of them (the threshold ``k``) must take part to
decrypt. Its hashes follow §3.1.2-§3.1.4: the parameter hash ``H_P`` (the group), the
manifest hash ``H_M`` (the canonical manifest) and the election base hash ``H_B``
(``H_M``, ``n``, ``k``); every later hash is keyed by one of them, so a proof made for one
election, question or key verifies for no other.
"""

from __future__ import annotations

from dataclasses import dataclass

import secession.ballots.group as group
from secession.ballots.errors import BallotFormatError
from secession.ballots.hashing import (
    BASE,
    MANIFEST,
    PARAMETERS,
    SPEC_VERSION,
    canonical_json,
    hash_value,
)

#: H_P (§3.1.2): the parameters are the group's name and generator.
PARAMETER_HASH = hash_value(SPEC_VERSION.encode(), PARAMETERS, "ristretto255", group.G)
MAX_OPTIONS = 64
MAX_TRUSTEES = 64
MAX_TEXT = 2000
FIELDS = frozenset(
    {
        "type",
        "spec",
        "election",
        "question",
        "options",
        "min_choices",
        "max_choices",
        "trustees",
        "threshold",
        "eligible",
    }
)


@dataclass(frozen=True)
class Manifest:
    """What is voted on and who holds the key."""

    election: str
    question: str
    options: tuple[str, ...]
    trustees: tuple[str, ...]
    threshold: int
    min_choices: int = 1
    max_choices: int = 1
    eligible: int | None = None

    def __post_init__(self) -> None:
        where = "manifest"
        for name, text in (("election", self.election), ("question", self.question)):
            _text(text, f"{where}: {name}")
        if not 2 <= len(self.options) <= MAX_OPTIONS:
            raise BallotFormatError(f"{where}: give 2 to {MAX_OPTIONS} options")
        for i, option in enumerate(self.options):
            _text(option, f"{where}: option {i + 1}")
        if len(set(self.options)) != len(self.options):
            raise BallotFormatError(f"{where}: two options have the same name")
        if not 1 <= len(self.trustees) <= MAX_TRUSTEES:
            raise BallotFormatError(f"{where}: give 1 to {MAX_TRUSTEES} trustees")
        for i, trustee in enumerate(self.trustees):
            _text(trustee, f"{where}: trustee {i + 1}")
        if len(set(self.trustees)) != len(self.trustees):
            raise BallotFormatError(f"{where}: two trustees have the same name")
        if not _is_int(self.threshold) or not 1 <= self.threshold <= len(self.trustees):
            raise BallotFormatError(
                f"{where}: threshold must be a whole number from 1 to the number of "
                f"trustees ({len(self.trustees)})"
            )
        if not (
            _is_int(self.min_choices)
            and _is_int(self.max_choices)
            and 0 <= self.min_choices <= self.max_choices <= len(self.options)
        ):
            raise BallotFormatError(
                f"{where}: choices must satisfy 0 <= min_choices <= max_choices <= "
                f"{len(self.options)}"
            )
        if self.eligible is not None and (not _is_int(self.eligible) or self.eligible < 0):
            raise BallotFormatError(f"{where}: eligible must be a whole number")

    @property
    def n(self) -> int:
        return len(self.trustees)

    @property
    def k(self) -> int:
        return self.threshold

    def to_json(self) -> dict:
        return {
            "type": "manifest",
            "spec": SPEC_VERSION,
            "election": self.election,
            "question": self.question,
            "options": list(self.options),
            "min_choices": self.min_choices,
            "max_choices": self.max_choices,
            "trustees": list(self.trustees),
            "threshold": self.threshold,
            "eligible": self.eligible,
        }

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        where = "manifest"
        if not isinstance(data, dict) or data.get("type") != "manifest":
            raise BallotFormatError(f"{where}: expected an object of type 'manifest'")
        if data.get("spec") != SPEC_VERSION:
            raise BallotFormatError(
                f"{where}: spec {data.get('spec')!r} is not {SPEC_VERSION!r} (this verifier)"
            )
        extra = set(data) - FIELDS
        if extra:
            raise BallotFormatError(f"{where}: unknown field(s) {sorted(extra)}")
        for name in ("options", "trustees"):
            if not isinstance(data.get(name), list):
                raise BallotFormatError(f"{where}: {name} must be a list")
        return cls(
            election=data.get("election"),
            question=data.get("question"),
            options=tuple(data["options"]),
            trustees=tuple(data["trustees"]),
            threshold=data.get("threshold"),
            min_choices=data.get("min_choices", 1),
            max_choices=data.get("max_choices", 1),
            eligible=data.get("eligible"),
        )

    @property
    def manifest_hash(self) -> bytes:
        """H_M (§3.1.3): the canonical manifest, keyed by H_P."""
        return hash_value(PARAMETER_HASH, MANIFEST, canonical_json(self.to_json()).decode())

    @property
    def base_hash(self) -> bytes:
        """H_B (§3.1.4): binds the manifest, the number of trustees and the threshold."""
        return hash_value(PARAMETER_HASH, BASE, self.manifest_hash, self.n, self.k)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object, where: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise BallotFormatError(f"{where}: must be a non-empty text")
    if len(value) > MAX_TEXT:
        raise BallotFormatError(f"{where}: longer than {MAX_TEXT} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BallotFormatError(f"{where}: not valid text (a lone surrogate)") from None
