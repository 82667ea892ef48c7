// jwt-conformance process protocol v1 wrapper around jose (panva).
//
// Run it as `jwt-conformance run --exec 'node adapters/process/node-jose/verifier.mjs'`
// after `npm ci` in this directory. It reads one JSON object a line on stdin and answers
// one a line on stdout, in order; diagnostics go to stderr.
//
// How jose is used, following its documentation:
// - asymmetric keys: `createLocalJWKSet(jwks)`, which picks the key from the header's
//   `kid` and `alg` itself;
// - shared secrets: jose's JWK Sets hold public keys only, so an HMAC token gets the
//   `oct` JWK its `kid` names, handed to jose as a JWK (jose then checks its `alg`,
//   `use` and `key_ops` against the token);
// - key pairs: jose verifies with public keys only (a JWK Set with a private member is
//   "JWKSInvalid", and a private JWK, KeyObject or CryptoKey is refused for verifying), so
//   a policy JWK that carries its private part goes into the set as its public half,
//   derived by Node's `crypto.createPublicKey` and exported as a JWK, with the JWK's own
//   `kid`, `alg`, `use` and `key_ops`;
// - `jwtVerify(token, keyResolver, { algorithms, issuer, audience, requiredClaims, typ,
//   clockTolerance, currentDate })` decides; the wrapper never checks a claim itself.
// Clock: `currentDate` is jose's documented clock injection, so the clock is injectable.

import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { createLocalJWKSet, errors, jwtVerify } from "jose";
import protocol from "../node-common/protocol.js";

const JOSE_VERSION = JSON.parse(
  readFileSync(new URL("./node_modules/jose/package.json", import.meta.url), "utf8"),
).version;

// Reject kinds where the error class (and, for claim failures, jose's documented
// `claim`/`reason` properties) names the reason; anything else goes without a kind.
function errorKind(e) {
  if (e instanceof errors.JWTExpired) return "expired";
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.reason === "missing") return "missing-claim";
    if (e.reason === "invalid") return "malformed";
    return { nbf: "not-yet-valid", aud: "audience", iss: "issuer", typ: "type" }[e.claim];
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return "signature";
  if (e instanceof errors.JOSEAlgNotAllowed) return "algorithm";
  if (
    e instanceof errors.JWKSNoMatchingKey ||
    e instanceof errors.JWKSMultipleMatchingKeys ||
    e instanceof errors.JWKSInvalid ||
    e instanceof errors.JWKInvalid
  ) {
    return "key";
  }
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return "malformed";
  return undefined;
}

// The public half of an asymmetric JWK that carries its private part, derived by Node's
// crypto; every other member of the JWK (kid, alg, use, key_ops, …) is kept. A public JWK
// is returned as it is.
function publicHalf(jwk) {
  if (jwk.d === undefined) return jwk;
  const { d, p, q, dp, dq, qi, oth, ...members } = jwk;
  const derived = createPublicKey({ key: jwk, format: "jwk" }).export({ format: "jwk" });
  return { ...members, ...derived };
}

// jose configured for one policy: the key resolver and the jwtVerify options.
function prepare(policy) {
  const jwks = policy.keys?.keys ?? [];
  let asymmetric = jwks.filter((k) => k.kty !== "oct");
  const secrets = jwks.filter((k) => k.kty === "oct");
  let localSet;
  let setError;
  try {
    asymmetric = asymmetric.map(publicHalf);
    localSet = createLocalJWKSet({ keys: asymmetric });
  } catch (e) {
    setError = e;
  }
  const resolveKey = async (header, token) => {
    if (typeof header.alg === "string" && header.alg.startsWith("HS")) {
      const named = header.kid === undefined
        ? (secrets.length === 1 ? secrets : [])
        : secrets.filter((k) => k.kid === header.kid);
      if (named.length === 0) throw new errors.JWKSNoMatchingKey();
      return named[0];
    }
    if (setError) throw setError;
    return localSet(header, token);
  };
  const options = {
    algorithms: policy.algorithms,
    requiredClaims: policy.required_claims ?? [],
    clockTolerance: policy.leeway ?? 0,
  };
  if (policy.issuer != null) options.issuer = policy.issuer;
  if (policy.audience?.length) options.audience = policy.audience;
  if (policy.typ != null) options.typ = policy.typ;
  if (policy.now != null) options.currentDate = new Date(policy.now * 1000);
  return { resolveKey, options };
}

const prepared = protocol.preparedCache(prepare);

async function verify(message) {
  const id = message.id;
  const verifier = prepared(message.policy);
  try {
    const { payload } = await jwtVerify(message.token, verifier.resolveKey, verifier.options);
    return protocol.accepted(id, payload);
  } catch (e) {
    // Any failure on attacker input is a rejection, never a crash.
    return protocol.rejection(id, e, errorKind(e));
  }
}

function hello() {
  // jose verifies every algorithm of the protocol.
  return protocol.hello("jose", JOSE_VERSION, protocol.PROTOCOL_ALGORITHMS, "injectable");
}

protocol.serve({ hello, verify });
