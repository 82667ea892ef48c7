// jwt-conformance process protocol v1 wrapper around jws (the JWS layer under auth0's
// jsonwebtoken).
//
// Run it as `jwt-conformance run --exec 'node adapters/process/node-jws/verifier.js'`
// after `npm ci` in this directory. It reads one JSON object a line on stdin and answers
// one a line on stdout, in order; diagnostics go to stderr.
//
// jws verifies a JWS signature and nothing else: it has no notion of claims. What this
// column measures is what code that uses `jws` as its JWT verifier gets. How jws is
// used, following its README:
// - `jws.decode(token, { json: true })` parses the token (null when it is not a JWS);
//   the trusted key is the one the header's `kid` names (jws has no key sets), handed
//   over as jws takes keys: a secret's bytes, or PEM made by Node's own JWK import
//   (`crypto.createPublicKey({ format: "jwk" })`, which derives the public key from a
//   JWK that carries its private part);
// - `jws.verify(token, algorithm, key)` decides on the signature. The README: "the alg
//   value from the signature header is ignored": the caller names the algorithm, so a
//   policy allowing exactly one algorithm passes it, and a policy allowing several is
//   answered `unsupported` (the wrapper would have to choose from the header itself).
// jws checks no claim and has no clock: the wrapper declares a system clock and never
// checks a claim itself. A policy with an issuer, audiences, a `typ` or a required claim
// other than `exp` is answered `unsupported`; a required `exp` (every policy has one) is
// left to the library, as the jsonwebtoken wrapper does: jws never looks at `exp`,
// `nbf` or any claim, and the time and claim cases show that.

"use strict";

const crypto = require("node:crypto");
const jws = require("jws");
const protocol = require("../node-common/protocol.js");

const VERSION = require("jws/package.json").version;

// The JWK as jws takes keys: a shared secret as its bytes, a public key as PEM.
function importKey(jwk) {
  if (jwk.kty === "oct") return Buffer.from(jwk.k ?? "", "base64url");
  return crypto.createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "pem" });
}

// jws configured for one policy, or why it cannot be.
function prepare(policy) {
  if (policy.typ != null) return { unsupported: "jws has no check of the typ header" };
  if (policy.issuer != null) return { unsupported: "jws checks no issuer" };
  if (policy.audience?.length) return { unsupported: "jws checks no audience" };
  const others = (policy.required_claims ?? []).filter((c) => c !== "exp");
  if (others.length) return { unsupported: `jws cannot require the claim(s) ${others.join(", ")}` };
  if (policy.algorithms.length !== 1) {
    return { unsupported: "jws verifies with the one algorithm its caller names, not a list" };
  }
  const keys = (policy.keys?.keys ?? []).map((jwk) => {
    try {
      return { kid: jwk.kid, key: importKey(jwk) };
    } catch (e) {
      return { kid: jwk.kid, error: e };
    }
  });
  return { algorithm: policy.algorithms[0], keys };
}

const prepared = protocol.preparedCache(prepare);

function verify(message) {
  const id = message.id;
  const verifier = prepared(message.policy);
  if (verifier.unsupported) return protocol.unsupported(id, verifier.unsupported);
  let decoded;
  try {
    decoded = jws.decode(message.token, { json: true });
  } catch (e) {
    return protocol.rejection(id, e, "malformed");
  }
  if (!decoded) return protocol.rejected(id, "jws.decode: not a JWS", "malformed");
  const kid = decoded.header.kid;
  const named = kid === undefined
    ? (verifier.keys.length === 1 ? verifier.keys : [])
    : verifier.keys.filter((k) => k.kid === kid);
  if (named.length === 0) return protocol.rejected(id, `no trusted key for kid ${JSON.stringify(kid)}`, "key");
  if (named[0].error) return protocol.rejection(id, named[0].error, "key");
  try {
    if (!jws.verify(message.token, verifier.algorithm, named[0].key)) {
      return protocol.rejected(id, "jws.verify: invalid signature", "signature");
    }
  } catch (e) {
    // Any failure on attacker input is a rejection, never a crash.
    return protocol.rejection(id, e);
  }
  return protocol.accepted(id, decoded.payload);
}

function hello() {
  return protocol.hello("jws", VERSION, jws.ALGORITHMS, "system");
}

protocol.serve({ hello, verify });
