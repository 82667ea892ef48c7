// jwt-conformance process protocol v1 wrapper around jsonwebtoken (auth0).
//
// Run it as `jwt-conformance run --exec 'node adapters/process/node-jsonwebtoken/verifier.js'`
// after `npm ci` in this directory. It reads one JSON object a line on stdin and answers
// one a line on stdout, in order; diagnostics go to stderr.
//
// How jsonwebtoken is used, following its README:
// - `jwt.verify(token, getKey, options, callback)` with a `getKey(header, callback)` that
//   hands over the trusted key the header's `kid` names (the README's pattern for key
//   sets); jsonwebtoken takes a KeyObject, which Node's crypto imports from the JWK
//   (`crypto.createPublicKey`, which derives the public key from a JWK that carries its
//   private part, so a key pair is verified with its public half);
// - options from the policy: `algorithms`, `issuer`, `audience`, `clockTolerance`, and
//   `clockTimestamp`, jsonwebtoken's clock injection, so the clock is injectable.
// The wrapper never checks a claim itself. jsonwebtoken has no option to require a
// claim: `exp`, which every policy requires by default, is left to the library (it
// checks `exp` only when present, and the cases without one show that); requiring any
// other claim, or a `typ` header, is answered `unsupported`.

"use strict";

const crypto = require("node:crypto");
const path = require("node:path");
const jwt = require("jsonwebtoken");
const protocol = require("../node-common/protocol.js");

// jsonwebtoken verifies signatures with jws; its algorithm list is what can be verified.
const { ALGORITHMS } = require(
  require.resolve("jws", { paths: [path.dirname(require.resolve("jsonwebtoken"))] }),
);

const VERSION = require("jsonwebtoken/package.json").version;

// The error messages the README documents for JsonWebTokenError, by prefix.
const DOCUMENTED_MESSAGES = [
  ["invalid signature", "signature"],
  ["jwt signature is required", "signature"],
  ["jwt malformed", "malformed"],
  ["invalid token", "malformed"],
  ["invalid algorithm", "algorithm"],
  ["jwt audience invalid", "audience"],
  ["jwt issuer invalid", "issuer"],
];

function errorKind(e) {
  if (e instanceof jwt.TokenExpiredError) return "expired";
  if (e instanceof jwt.NotBeforeError) return "not-yet-valid";
  if (e instanceof jwt.JsonWebTokenError) {
    const found = DOCUMENTED_MESSAGES.find(([prefix]) => e.message.startsWith(prefix));
    return found?.[1];
  }
  return undefined;
}

// The JWK as jsonwebtoken takes keys: a shared secret as its bytes, a public key as a
// KeyObject.
function importKey(jwk) {
  if (jwk.kty === "oct") return Buffer.from(jwk.k ?? "", "base64url");
  return crypto.createPublicKey({ key: jwk, format: "jwk" });
}

// jsonwebtoken configured for one policy, or why it cannot be.
function prepare(policy) {
  if (policy.typ != null) return { unsupported: "jsonwebtoken has no check of the typ header" };
  const required = policy.required_claims ?? [];
  const enforced = (claim) =>
    claim === "exp" ||
    (claim === "iss" && policy.issuer != null) ||
    (claim === "aud" && policy.audience?.length > 0);
  const missing = required.filter((c) => !enforced(c));
  if (missing.length) {
    return { unsupported: `jsonwebtoken cannot require the claim(s) ${missing.join(", ")}` };
  }
  const keys = (policy.keys?.keys ?? []).map((jwk) => {
    try {
      return { kid: jwk.kid, key: importKey(jwk) };
    } catch (e) {
      return { kid: jwk.kid, error: e };
    }
  });
  const getKey = (header, callback) => {
    const named = header.kid === undefined
      ? (keys.length === 1 ? keys : [])
      : keys.filter((k) => k.kid === header.kid);
    if (named.length === 0) {
      return callback(new Error(`no trusted key for kid ${JSON.stringify(header.kid)}`));
    }
    if (named[0].error) return callback(named[0].error);
    return callback(null, named[0].key);
  };
  const options = {
    algorithms: policy.algorithms,
    clockTolerance: policy.leeway ?? 0,
  };
  if (policy.issuer != null) options.issuer = policy.issuer;
  if (policy.audience?.length) options.audience = policy.audience;
  if (policy.now != null) options.clockTimestamp = policy.now;
  return { getKey, options };
}

const prepared = protocol.preparedCache(prepare);

function verify(message) {
  const id = message.id;
  const verifier = prepared(message.policy);
  if (verifier.unsupported) return Promise.resolve(protocol.unsupported(id, verifier.unsupported));
  // A failed key lookup is reported by jsonwebtoken as a callback error; remember it
  // here, where its cause is known.
  let lookupFailed = false;
  const getKey = (header, callback) =>
    verifier.getKey(header, (err, key) => {
      lookupFailed = Boolean(err);
      callback(err, key);
    });
  return new Promise((resolve) => {
    try {
      jwt.verify(message.token, getKey, verifier.options, (err, claims) => {
        // jsonwebtoken hands back a payload that is not a JSON object as it is; the
        // protocol helper sends it under the name "".
        if (!err) return resolve(protocol.accepted(id, claims));
        resolve(protocol.rejection(id, err, lookupFailed ? "key" : errorKind(err)));
      });
    } catch (e) {
      // Any failure on attacker input is a rejection, never a crash.
      resolve(protocol.rejection(id, e));
    }
  });
}

function hello() {
  return protocol.hello("node-jsonwebtoken", VERSION, ALGORITHMS, "injectable");
}

protocol.serve({ hello, verify });
