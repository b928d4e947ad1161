"""Signed tree heads as C2SP checkpoints (c2sp.org/tlog-checkpoint) in signed notes
(c2sp.org/signed-note), signed with Ed25519 (RFC 8032, from ``cryptography``).

A checkpoint's text is three lines: the log's origin, the tree size in decimal, the root
hash in base64. The signed note adds a blank line and ``— <key name> <base64(key ID ||
signature)>``; the key ID is the first four bytes of ``SHA-256(name || 0x0A || 0x01 ||
public key)``. A verifier key is written ``<name>+<key ID hex>+<base64(0x01 || public
key)>``, as Go's ``golang.org/x/mod/sumdb/note`` reads it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from secession.exceptions import SecessionError
from secession.transparency.merkle import HASH_SIZE

ED25519 = 0x01
DASH = "\u2014"


class CheckpointError(SecessionError):
    """A signed head cannot be read, or its signature does not verify (says why)."""

    exit_code = 6


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and its root hash."""

    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "":
            raise CheckpointError("a checkpoint has an origin, a size and a root, one a line")
        origin, size, root = lines[0], lines[1], lines[2]
        if not origin or not size.isdigit() or (size != "0" and size.startswith("0")):
            raise CheckpointError(f"bad checkpoint origin or size: {origin!r}, {size!r}")
        try:
            digest = base64.b64decode(root, validate=True)
        except binascii.Error:
            digest = b""
        if len(digest) != HASH_SIZE:
            raise CheckpointError(f"bad checkpoint root hash {root!r}")
        return cls(origin, int(size), digest)


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise CheckpointError(f"a key name has no spaces and no '+': {name!r}")


def load_private_key(text: str | bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or the base64 of its 32-byte seed."""
    raw = text.encode() if isinstance(text, str) else text
    raw = raw.strip()
    try:
        if raw.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(raw, password=None)
        else:
            seed = base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
            key = Ed25519PrivateKey.from_private_bytes(seed)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise CheckpointError(f"not an Ed25519 private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError("the signing key must be an Ed25519 key")
    return key


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_new_key(path) -> None:
    """Write a new Ed25519 private key to ``path`` (PEM, mode 0600); never overwrites a file
    (``CheckpointError`` says why)."""
    pem = private_key_pem(Ed25519PrivateKey.generate())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CheckpointError(f"{path} already exists: a log's key is never replaced") from None
    except OSError as exc:
        raise CheckpointError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class Signer:
    """Signs checkpoints with one Ed25519 key under one key name."""

    def __init__(self, name: str, key: Ed25519PrivateKey):
        _check_name(name)
        self.name = name
        self._key = key
        self.public_key = raw_public_key(key.public_key())
        self.key_id = key_id(name, self.public_key)

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.public_key)

    def sign(self, checkpoint: Checkpoint) -> str:
        """The signed note of ``checkpoint``."""
        body = checkpoint.text()
        signature = self._key.sign(body.encode())
        encoded = base64.b64encode(self.key_id + signature).decode()
        return f"{body}\n{DASH} {self.name} {encoded}\n"


class Verifier:
    """Checks signed notes against one trusted key."""

    def __init__(self, name: str, public_key: bytes):
        _check_name(name)
        if len(public_key) != 32:
            raise CheckpointError("an Ed25519 public key has 32 bytes")
        self.name = name
        self.public_key = public_key
        self.key_id = key_id(name, public_key)
        self._key = Ed25519PublicKey.from_public_bytes(public_key)

    def key_text(self) -> str:
        """The verifier key, ``name+keyid+base64(0x01 || public key)``."""
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> Verifier:
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise CheckpointError(f"a verifier key reads name+keyid+key, not {text!r}")
        name, kid, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raw = b""
        if len(raw) != 33 or raw[0] != ED25519:
            raise CheckpointError("the verifier key is not an Ed25519 key")
        verifier = cls(name, raw[1:])
        if verifier.key_id.hex() != kid.lower():
            raise CheckpointError("the verifier key's ID does not match its key")
        return verifier

    def open(self, note: str) -> Checkpoint:
        """The checkpoint of a signed note, if this key signed it; else CheckpointError."""
        body, sep, signatures = note.rpartition("\n\n")
        if not sep:
            raise CheckpointError("a signed note has its text, a blank line, then signatures")
        body += "\n"
        checkpoint = Checkpoint.parse(body)
        found = False
        for line in signatures.split("\n"):
            if not line:
                continue
            dash, _, rest = line.partition(" ")
            name, _, encoded = rest.partition(" ")
            if dash != DASH or not name or not encoded:
                raise CheckpointError(f"not a signature line: {line!r}")
            try:
                raw = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                raise CheckpointError(f"a signature is not base64: {line!r}") from None
            if name != self.name or raw[:4] != self.key_id:
                continue  # another key's signature: ignored, as the format says
            try:
                self._key.verify(raw[4:], body.encode())
            except InvalidSignature:
                raise CheckpointError(
                    f"the signature of {self.name} does not verify (the head was altered or "
                    "signed by another key)"
                ) from None
            found = True
        if not found:
            raise CheckpointError(f"the head is not signed by the key {self.key_text()}")
        return checkpoint


def head_document(signer: Signer, checkpoint: Checkpoint, **extra: Any) -> dict[str, Any]:
    """The JSON form of a signed head (as ``secession audit head`` prints and the API gives):
    the signed note, its fields, and the verifier key."""
    verifier = signer.verifier()
    return {
        "origin": checkpoint.origin,
        "tree_size": checkpoint.size,
        "root_hash": checkpoint.root.hex(),
        "checkpoint": signer.sign(checkpoint),
        "verifier_key": verifier.key_text(),
        "key_id": signer.key_id.hex(),
        "public_key": base64.b64encode(signer.public_key).decode(),
        "algorithm": "Ed25519, C2SP signed note",
        **extra,
    }


@dataclass(frozen=True)
class KeptHead:
    """A signed head someone kept, opened with its (or a pinned) verifier key."""

    checkpoint: Checkpoint
    verifier: Verifier
    source: str


def open_head(text: str, *, source: str, pinned: Verifier | None = None) -> KeptHead:
    """Read a kept head (the JSON document, or a bare signed note with ``pinned``) and
    verify its signature; :class:`CheckpointError` names ``source`` and what is wrong."""
    try:
        return _open_head(text, pinned, source)
    except CheckpointError as exc:
        raise CheckpointError(f"{source}: {exc}") from None


def _open_head(text: str, pinned: Verifier | None, source: str) -> KeptHead:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise CheckpointError(f"not valid JSON ({exc})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("checkpoint"), str):
            raise CheckpointError("a signed head has a 'checkpoint' (the signed note)")
        note = doc["checkpoint"]
        key = doc.get("verifier_key")
        if pinned is None and not isinstance(key, str):
            raise CheckpointError("no 'verifier_key' in the head and no --key given")
        verifier = pinned or Verifier.parse(key)
        checkpoint = verifier.open(note)
        claimed = (doc.get("tree_size"), doc.get("root_hash"))
        if claimed != (None, None) and claimed != (checkpoint.size, checkpoint.root.hex()):
            raise CheckpointError("its tree_size/root_hash differ from its signed checkpoint")
    else:
        if pinned is None:
            raise CheckpointError("a bare signed note needs the log's key (--key)")
        verifier = pinned
        checkpoint = verifier.open(text)
    return KeptHead(checkpoint, verifier, source)
