// Verifiable ballots in the browser: encrypt a choice with its proofs, compute the tracker,
// and reveal a ballot for a Benaloh audit. The counterpart of secession/ballots/ballot.py:
// the same construction (ElectionGuard 2.0 §3.3.1 encryption, §3.3.5 range proofs, §3.4
// confirmation code) on ristretto255, and the same hash (HMAC-SHA-512 with the domain
// separators of secession/ballots/hashing.py), so a ballot made here verifies in Python.
//
// Every group and hash operation is libsodium's (libsodium-wrappers-sumo, served from the
// installed npm package, never from a CDN); scalars are 32-byte little-endian arrays
// combined with libsodium's scalar functions.
//
//   import { ready, electionContext, encryptBallot } from "./ballot.js";
//   await ready();
//   const ctx = electionContext(manifest, trusteeEntries, keyEntry);  // entries of the board
//   const made = encryptBallot(ctx, [0]);                    // choose option 1
//   made.ballot   // the board's ballot object: send it to be cast
//   made.reveal   // the audit reveal: show it instead, and never cast that ballot

import sodium from "libsodium-wrappers-sumo";

export const SPEC = "secession-ballots/1";
const PARAMETERS = 0x00;
const MANIFEST = 0x01;
const BASE = 0x02;
const SCHNORR = 0x10;
const EXTENDED = 0x12;
const OPTION_PROOF = 0x21;
const SUM_PROOF = 0x22;
const TRACKER = 0x24;
const IDENTITY = new Uint8Array(32);
const utf8 = new TextEncoder();

export async function ready() {
  await sodium.ready;
}

// --- encoding and hashing (hashing.py) ----------------------------------------------------

function u32(n) {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function text(s) {
  const bytes = utf8.encode(s);
  return [u32(bytes.length), bytes];
}

function digest(key, domain, parts) {
  const state = sodium.crypto_auth_hmacsha512_init(key);
  sodium.crypto_auth_hmacsha512_update(state, new Uint8Array([domain]));
  for (const part of parts) sodium.crypto_auth_hmacsha512_update(state, part);
  return sodium.crypto_auth_hmacsha512_final(state);
}

function challenge(key, domain, parts) {
  return sodium.crypto_core_ristretto255_scalar_reduce(digest(key, domain, parts));
}

function hashValue(key, domain, parts) {
  return digest(key, domain, parts).slice(0, 32);
}

// --- scalars and points -------------------------------------------------------------------

function isZero(bytes) {
  return bytes.every((b) => b === 0);
}

function small(n) {
  // A small signed integer as a scalar (|n| < 2^31).
  const out = new Uint8Array(32);
  let m = Math.abs(n);
  for (let i = 0; m > 0; i++, m = Math.floor(m / 256)) out[i] = m % 256;
  return n < 0 ? sodium.crypto_core_ristretto255_scalar_negate(out) : out;
}

function randomScalar() {
  for (;;) {
    const s = sodium.crypto_core_ristretto255_scalar_random();
    if (!isZero(s)) return s;
  }
}

const sAdd = (a, b) => sodium.crypto_core_ristretto255_scalar_add(a, b);
const sSub = (a, b) => sodium.crypto_core_ristretto255_scalar_sub(a, b);
const sMul = (a, b) => sodium.crypto_core_ristretto255_scalar_mul(a, b);

function base(n) {
  return isZero(n) ? IDENTITY : sodium.crypto_scalarmult_ristretto255_base(n);
}

function mul(point, n) {
  // libsodium refuses an identity result, which (prime order) means n = 0 or point = 1.
  if (isZero(n) || isZero(point)) return IDENTITY;
  return sodium.crypto_scalarmult_ristretto255(n, point);
}

function add(p, r) {
  return sodium.crypto_core_ristretto255_add(p, r);
}

function point(hex, where) {
  const bytes = sodium.from_hex(hex);
  if (bytes.length !== 32 || !sodium.crypto_core_ristretto255_is_valid_point(bytes)) {
    throw new Error(`${where}: not a ristretto255 point`);
  }
  return bytes;
}

const hex = (bytes) => sodium.to_hex(bytes);

// --- the election ---------------------------------------------------------------------------

// JSON with sorted keys and no whitespace: Python's canonical_json for the manifest's values
// (texts, whole numbers, lists, null), so the manifest hash is the same on both sides.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function scalar(hexText, where) {
  const bytes = sodium.from_hex(hexText);
  if (bytes.length !== 32) throw new Error(`${where}: not a scalar`);
  return bytes;
}

// The context for encrypting, from three kinds of board entries: the manifest, every
// trustee's record and the key entry. Nothing from the server is taken on trust: the
// trustees' Schnorr proofs are checked (§3.2.2, so no one can post a key share they do not
// know, the "rogue key" that would let them decrypt alone), and the joint key and H_E are
// recomputed from the commitments (§3.2.3) and must equal the key entry's.
export function electionContext(manifest, trustees, key) {
  if (manifest.type !== "manifest" || manifest.spec !== SPEC) {
    throw new Error(`not a ${SPEC} manifest`);
  }
  if (key.type !== "key") throw new Error("not the board's key entry");
  const n = manifest.trustees.length;
  const k = manifest.threshold;
  const parameterHash = hashValue(utf8.encode(SPEC), PARAMETERS, [
    ...text("ristretto255"),
    base(small(1)),
  ]);
  const manifestHash = hashValue(parameterHash, MANIFEST, text(canonical(manifest)));
  const baseHash = hashValue(parameterHash, BASE, [manifestHash, u32(n), u32(k)]);
  if (trustees.length !== n) throw new Error(`expected the records of ${n} trustees`);
  const commitments = [];
  let jointKey = IDENTITY;
  trustees.forEach((t, i) => {
    const where = `trustee ${i + 1} (${manifest.trustees[i]})`;
    if (t.type !== "trustee" || t.index !== i + 1 || t.commitments.length !== k) {
      throw new Error(`${where}: not the trustee record the manifest expects`);
    }
    const boxKey = sodium.from_hex(t.box_key);
    t.commitments.forEach((text_, j) => {
      const K = point(text_, `${where}, commitment ${j}`);
      const c = scalar(t.proofs[j].c, where);
      const h = add(base(scalar(t.proofs[j].v, where)), mul(K, c));
      const expected = challenge(baseHash, SCHNORR, [u32(i + 1), u32(j), boxKey, K, h]);
      if (hex(expected) !== hex(c)) {
        throw new Error(`${where}: the proof of coefficient ${j} does not verify`);
      }
      commitments.push(K);
    });
    jointKey = add(jointKey, point(t.commitments[0], where));
  });
  const extendedHash = hashValue(baseHash, EXTENDED, [jointKey, ...commitments]);
  if (key.joint_key !== hex(jointKey) || key.extended_hash !== hex(extendedHash)) {
    throw new Error("the election key is not the one the trustees' commitments give");
  }
  return {
    election: manifest.election,
    options: manifest.options.length,
    minChoices: manifest.min_choices,
    maxChoices: manifest.max_choices,
    jointKey,
    extendedHash,
    fingerprint: hex(extendedHash).slice(0, 16),
  };
}

// (α, β) = (g^ξ, K^(m+ξ)), ElectionGuard 2.0 §3.3.1.
function encrypt(m, K, nonce) {
  return { alpha: base(nonce), beta: mul(K, sAdd(small(m), nonce)) };
}

// Disjunctive Chaum-Pedersen proof that ct holds a value in lo..hi (it holds m), §3.3.5.
function proveRange(ct, m, nonce, lo, hi, K, hashKey, domain, context) {
  const u = {};
  const c = {};
  const commitments = [];
  for (let j = lo; j <= hi; j++) {
    u[j] = randomScalar();
    if (j !== m) c[j] = randomScalar();
    commitments.push(base(u[j]));
    commitments.push(mul(K, j === m ? u[j] : sAdd(u[j], sMul(small(m - j), c[j]))));
  }
  const total = challenge(hashKey, domain, [...context, K, ct.alpha, ct.beta, ...commitments]);
  let others = new Uint8Array(32);
  for (let j = lo; j <= hi; j++) if (j !== m) others = sAdd(others, c[j]);
  c[m] = sSub(total, others);
  const proof = [];
  for (let j = lo; j <= hi; j++) proof.push({ c: c[j], v: sSub(u[j], sMul(c[j], nonce)) });
  return proof;
}

function trackerOf(ctx, ballotId, cts, optionProofs, sumProof) {
  const parts = [...text(ballotId), u32(cts.length)];
  cts.forEach((ct, i) => {
    parts.push(ct.alpha, ct.beta);
    for (const p of optionProofs[i]) parts.push(p.c, p.v);
  });
  for (const p of sumProof) parts.push(p.c, p.v);
  return hashValue(ctx.extendedHash, TRACKER, parts);
}

const proofJson = (proof) => proof.map((p) => ({ c: hex(p.c), v: hex(p.v) }));

// Encrypt a ballot choosing the options numbered `choices` (from 0). Returns the ballot in
// the board's format, its tracker, and the Benaloh reveal (for an audit instead of a cast).
export function encryptBallot(ctx, choices) {
  const chosen = [...new Set(choices)].sort((a, b) => a - b);
  if (chosen.length !== choices.length || chosen.some((c) => c < 0 || c >= ctx.options)) {
    throw new Error("choices must be distinct option numbers");
  }
  if (chosen.length < ctx.minChoices || chosen.length > ctx.maxChoices) {
    throw new Error(`choose ${ctx.minChoices} to ${ctx.maxChoices} options`);
  }
  const ballotId = hex(sodium.randombytes_buf(16));
  const K = ctx.jointKey;
  const h = ctx.extendedHash;
  const votes = Array.from({ length: ctx.options }, (_, i) => (chosen.includes(i) ? 1 : 0));
  const nonces = votes.map(() => randomScalar());
  const cts = votes.map((m, i) => encrypt(m, K, nonces[i]));
  const optionProofs = cts.map((ct, i) =>
    proveRange(ct, votes[i], nonces[i], 0, 1, K, h, OPTION_PROOF, [...text(ballotId), u32(i)]),
  );
  let total = { alpha: IDENTITY, beta: IDENTITY };
  let nonceSum = new Uint8Array(32);
  cts.forEach((ct, i) => {
    total = { alpha: add(total.alpha, ct.alpha), beta: add(total.beta, ct.beta) };
    nonceSum = sAdd(nonceSum, nonces[i]);
  });
  const sumProof = proveRange(
    total, chosen.length, nonceSum, ctx.minChoices, ctx.maxChoices, K, h, SUM_PROOF,
    text(ballotId),
  );
  const tracker = hex(trackerOf(ctx, ballotId, cts, optionProofs, sumProof));
  const ballot = {
    election: ctx.election,
    ballot_id: ballotId,
    selections: cts.map((ct, i) => ({
      alpha: hex(ct.alpha),
      beta: hex(ct.beta),
      proof: proofJson(optionProofs[i]),
    })),
    sum_proof: proofJson(sumProof),
    tracker,
  };
  const reveal = { type: "audit", ballot, choices: chosen, nonces: nonces.map(hex) };
  return { ballot, tracker, reveal };
}
