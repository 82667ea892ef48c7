// jwt-conformance process protocol v1 wrapper around jsrsasign (kjur).
//
// Run it as `jwt-conformance run --exec 'node adapters/process/node-jsrsasign/verifier.js'`
// after `npm ci` in this directory. It reads one JSON object a line on stdin and answers
// one a line on stdout, in order; diagnostics go to stderr.
//
// How jsrsasign is used, following its API documentation (KJUR.jws.JWS.verifyJWT):
// - `KJUR.jws.JWS.verifyJWT(token, key, { alg, iss, aud, verifyAt, gracePeriod })` checks
//   the signature with an allowed `alg` and exp, nbf, iat, iss and aud when present; it
//   answers true or false (or throws), so a rejection carries no reason kind;
// - the key is the trusted JWK the header's `kid` names (the only one when the token has
//   no `kid`): jsrsasign has no key sets. A public JWK is imported with jsrsasign's own
//   `KEYUTIL.getKey(jwk)`; an `oct` JWK is handed over as `{ b64u: k }`, one of the
//   forms jsrsasign's HMAC takes its key in. A JWK that carries its private part gives
//   its public half first, derived by Node's `crypto.createPublicKey` and exported as a
//   JWK: jsrsasign's verifyJWT refuses a private key ("unsupported public key alg");
// - the claims are the payload as jsrsasign reads it after verifying
//   (`KJUR.jws.JWS.readSafeJSONString(b64utoutf8(payload))`, its documented example).
// Clock: `verifyAt` is jsrsasign's clock, so the clock is injectable. What cannot be
// mapped: jsrsasign cannot require a claim (its checks run only when the claim is
// present) and has no check of `typ`: a required `exp` (every policy has one) is left to
// the library, as the jsonwebtoken wrapper does; any other required claim, and a `typ`
// requirement, is `unsupported`. jsrsasign has no way to say "no audience is expected",
// so without an expected audience `aud` goes unchecked, which the matrix shows.

"use strict";

const { createPublicKey } = require("node:crypto");
const { KJUR, KEYUTIL, b64utoutf8 } = require("jsrsasign");
const protocol = require("../node-common/protocol.js");

const VERSION = require("jsrsasign/package.json").version;
const JWS = KJUR.jws.JWS;

// The JWK as jsrsasign takes keys: a shared secret as { b64u }, a public key through
// KEYUTIL.getKey, a key pair as its public half (derived by Node's crypto).
function importKey(jwk) {
  if (jwk.kty === "oct") return { b64u: jwk.k ?? "" };
  if (jwk.d !== undefined) {
    return KEYUTIL.getKey(createPublicKey({ key: jwk, format: "jwk" }).export({ format: "jwk" }));
  }
  return KEYUTIL.getKey(jwk);
}

// jsrsasign configured for one policy, or why it cannot be.
function prepare(policy) {
  if (policy.typ != null) return { unsupported: "jsrsasign has no check of the typ header" };
  const others = (policy.required_claims ?? []).filter((c) => c !== "exp");
  if (others.length) return { unsupported: `jsrsasign cannot require the claim(s) ${others.join(", ")}` };
  const keys = (policy.keys?.keys ?? []).map((jwk) => {
    try {
      return { kid: jwk.kid, key: importKey(jwk) };
    } catch (e) {
      return { kid: jwk.kid, error: e };
    }
  });
  const accept = { alg: policy.algorithms, gracePeriod: policy.leeway ?? 0 };
  if (policy.issuer != null) accept.iss = [policy.issuer];
  if (policy.audience?.length) accept.aud = policy.audience;
  if (policy.now != null) accept.verifyAt = policy.now;
  return { keys, accept };
}

const prepared = protocol.preparedCache(prepare);

function verify(message) {
  const id = message.id;
  const verifier = prepared(message.policy);
  if (verifier.unsupported) return protocol.unsupported(id, verifier.unsupported);
  const token = message.token;
  try {
    const header = JWS.readSafeJSONString(b64utoutf8(String(token).split(".")[0]));
    if (header === null) return protocol.rejected(id, "jsrsasign: unreadable header", "malformed");
    const named = !("kid" in header)
      ? (verifier.keys.length === 1 ? verifier.keys : [])
      : verifier.keys.filter((k) => k.kid === header.kid);
    if (named.length === 0) return protocol.rejected(id, `no trusted key for kid ${JSON.stringify(header.kid)}`, "key");
    if (named[0].error) return protocol.rejection(id, named[0].error, "key");
    if (!JWS.verifyJWT(token, named[0].key, verifier.accept)) {
      return protocol.rejected(id, "KJUR.jws.JWS.verifyJWT returned false");
    }
    return protocol.accepted(id, JWS.readSafeJSONString(b64utoutf8(token.split(".")[1])));
  } catch (e) {
    // Any failure on attacker input is a rejection, never a crash; jsrsasign also
    // throws plain strings.
    return protocol.rejected(id, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
}

function hello() {
  return protocol.hello("jsrsasign", VERSION, Object.keys(JWS.jwsalg2sigalg), "injectable");
}

protocol.serve({ hello, verify });
