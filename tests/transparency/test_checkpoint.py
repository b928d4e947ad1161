"""Signed tree heads: C2SP checkpoints in signed notes, Ed25519 from ``cryptography``."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from secession.transparency.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    head_document,
    load_private_key,
    open_head,
    private_key_pem,
)

ROOT = hashlib.sha256(b"root").digest()


@pytest.fixture
def signer():
    return Signer("vote.example/audit", Ed25519PrivateKey.generate())


def test_the_note_is_the_c2sp_format(signer):
    note = signer.sign(Checkpoint("vote.example/audit", 42, ROOT))
    body, signature_line = note.split("\n\n")
    assert body == f"vote.example/audit\n42\n{base64.b64encode(ROOT).decode()}"
    dash, name, encoded = signature_line.rstrip("\n").split(" ")
    assert (dash, name) == ("\u2014", "vote.example/audit")
    raw = base64.b64decode(encoded)
    expected_id = hashlib.sha256(
        b"vote.example/audit\n\x01" + signer.public_key
    ).digest()[:4]
    assert raw[:4] == expected_id and len(raw) == 68
    # the signature is Ed25519 over the note text, final newline included
    signer.verifier()._key.verify(raw[4:], (body + "\n").encode())


def test_verifier_key_round_trips_and_opens_the_note(signer):
    note = signer.sign(Checkpoint("vote.example/audit", 7, ROOT))
    verifier = Verifier.parse(signer.verifier().key_text())
    assert verifier.open(note) == Checkpoint("vote.example/audit", 7, ROOT)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda n: n.replace("\n7\n", "\n8\n"), "does not verify"),
        (lambda n: n.replace("\n\n", "\n"), "blank line"),
        (lambda n: n[: n.rindex(" ") + 1] + "!!!\n", "not base64"),
    ],
)
def test_an_altered_note_is_refused(signer, edit, message):
    note = signer.sign(Checkpoint("vote.example/audit", 7, ROOT))
    with pytest.raises(CheckpointError, match=message):
        signer.verifier().open(edit(note))


def test_another_keys_signature_is_not_accepted(signer):
    other = Signer("vote.example/audit", Ed25519PrivateKey.generate())
    note = other.sign(Checkpoint("vote.example/audit", 7, ROOT))
    with pytest.raises(CheckpointError, match="not signed by the key"):
        signer.verifier().open(note)


def test_head_document_opens_with_its_own_or_a_pinned_key(signer, tmp_path):
    doc = head_document(signer, Checkpoint("vote.example/audit", 3, ROOT))
    kept = open_head(json.dumps(doc), source="head.json")
    assert kept.checkpoint.size == 3 and kept.source == "head.json"
    other = Signer("vote.example/audit", Ed25519PrivateKey.generate()).verifier()
    with pytest.raises(CheckpointError, match=r"head\.json: the head is not signed"):
        open_head(json.dumps(doc), source="head.json", pinned=other)
    doc["tree_size"] = 4  # the unsigned copy of the size edited
    with pytest.raises(CheckpointError, match="differ from its signed checkpoint"):
        open_head(json.dumps(doc), source="head.json")
    with pytest.raises(CheckpointError, match=r"head\.json: not valid JSON"):
        open_head("{nope", source="head.json")


def test_private_keys_load_from_pem_and_from_a_base64_seed():
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes_raw()
    for text in (private_key_pem(key), base64.b64encode(seed).decode(),
                 base64.urlsafe_b64encode(seed).decode().rstrip("=")):  # fmt: skip
        assert load_private_key(text).private_bytes_raw() == seed
    with pytest.raises(CheckpointError, match="not an Ed25519 private key"):
        load_private_key("c2hvcnQ=")


def test_checkpoint_text_is_strict():
    for bad in ["o\n01\n" + base64.b64encode(ROOT).decode() + "\n", "o\n1\nAAAA\n", "o\n1\n"]:
        with pytest.raises(CheckpointError):
            Checkpoint.parse(bad)
