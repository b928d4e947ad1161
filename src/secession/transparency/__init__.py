"""Transparency logs in the manner of Certificate Transparency, independent of Django.

- :mod:`~secession.transparency.merkle`: the Merkle tree of RFC 9162 §2.1 (hashes, roots,
  inclusion and consistency proofs, their verification);
- :mod:`~secession.transparency.checkpoint`: signed tree heads as C2SP checkpoints
  (signed notes, Ed25519 from ``cryptography``);
- :mod:`~secession.transparency.remote`: checking a published log over its HTTP API.

The web platform's audit log is built on these; anyone can use them to check it.
"""
