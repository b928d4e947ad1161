"""The key that signs the log's heads: from the environment or a key file, never the database.

Settings (from the environment, see ``config/settings.py``): ``AUDIT_SIGNING_KEY`` (the key
itself: PEM, or the base64 of its 32-byte Ed25519 seed), else ``AUDIT_SIGNING_KEY_FILE`` (a
PEM file, mode 0600). ``AUDIT_LOG_ORIGIN`` names the log in its checkpoints (e.g.
``vote.example.org/audit``); by default it is derived from the public key.
"""

from __future__ import annotations

import hashlib
import stat
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from secession.exceptions import SecessionError
from secession.transparency.checkpoint import (
    CheckpointError,
    Signer,
    load_private_key,
    raw_public_key,
    write_new_key,
)

HOW_TO = (
    "create one with `secession audit keygen /etc/secession/audit-signing-key.pem` and set "
    "SECESSION_AUDIT_SIGNING_KEY_FILE to its path (or put the key itself in "
    "SECESSION_AUDIT_SIGNING_KEY); keep a copy offline: heads signed with a lost key can "
    "still be checked, but a new key starts a new identity for the log"
)


class SigningKeyError(SecessionError):
    """No usable signing key is configured (says how to make one)."""

    exit_code = 8


def write_key_file(path: Path) -> None:
    """Write a new Ed25519 key to ``path`` (PEM, mode 0600); refuses to overwrite."""
    try:
        write_new_key(path)
    except CheckpointError as exc:
        raise SigningKeyError(str(exc)) from None


def stored_key_file(folder: Path) -> Path:
    """The key file of a local setup in ``folder``, generated on first use (mode 0600)."""
    path = folder / "audit_signing_key.pem"
    if not path.exists():
        try:
            write_key_file(path)
        except SigningKeyError:
            if not path.exists():
                raise
    return path


def _read_key_file(path: Path) -> Ed25519PrivateKey:
    try:
        mode = path.stat().st_mode
        text = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(
            f"cannot read the audit signing key {path}: {exc.strerror}; " + HOW_TO
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SigningKeyError(
            f"the audit signing key {path} is readable by others (mode {mode & 0o777:o}): "
            f"chmod 600 {path}"
        )
    try:
        return load_private_key(text)
    except CheckpointError as exc:
        raise SigningKeyError(f"{path}: {exc}") from None


def _load(text: str, path: str) -> Ed25519PrivateKey:
    if text:
        try:
            return load_private_key(text)
        except CheckpointError as exc:
            raise SigningKeyError(f"SECESSION_AUDIT_SIGNING_KEY: {exc}") from None
    if path:
        return _read_key_file(Path(path))
    raise SigningKeyError("no audit signing key is configured: " + HOW_TO)


def check_key(text: str, path: str) -> None:
    """Raise :class:`SigningKeyError` unless ``text`` or the file at ``path`` holds a key."""
    _load(text or "", str(path or ""))


def default_origin(public_key: bytes) -> str:
    return "secession-audit/" + hashlib.sha256(public_key).hexdigest()[:16]


def signer() -> Signer:
    """The log's signer (key and origin from the settings)."""
    text = getattr(settings, "AUDIT_SIGNING_KEY", "") or ""
    path = str(getattr(settings, "AUDIT_SIGNING_KEY_FILE", "") or "")
    return _signer(text, path, getattr(settings, "AUDIT_LOG_ORIGIN", "") or "")


@lru_cache(maxsize=4)
def _signer(text: str, path: str, origin: str) -> Signer:
    key = _load(text, path)
    origin = origin or default_origin(raw_public_key(key.public_key()))
    try:
        return Signer(origin, key)
    except CheckpointError as exc:
        raise SigningKeyError(f"SECESSION_AUDIT_ORIGIN: {exc}") from None
