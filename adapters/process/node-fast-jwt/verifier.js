// jwt-conformance process protocol v1 wrapper around fast-jwt (nearform).
//
// Run it as `jwt-conformance run --exec 'node adapters/process/node-fast-jwt/verifier.js'`
// after `npm ci` in this directory. It reads one JSON object a line on stdin and answers
// one a line on stdout, in order; diagnostics go to stderr.
//
// How fast-jwt is used, following its README:
// - `createVerifier({ key: async ({ header }) => …, algorithms, allowedIss, allowedAud,
//   requiredClaims, checkTyp, clockTimestamp, clockTolerance })`, built once per policy,
//   then `verify(token)` decides; the wrapper never checks a claim itself;
// - keys: the README's pattern for key sets is a `key` callback that returns the key the
//   header's `kid` names (as get-jwks does); fast-jwt takes a PEM string or a secret's
//   bytes, so a public JWK becomes PEM through Node's own JWK import
//   (`crypto.createPublicKey({ format: "jwk" })`, which derives the public key from a
//   JWK that carries its private part) and an `oct` JWK its `k` bytes;
// - `clockTimestamp` and `clockTolerance` are in milliseconds: fast-jwt's clock
//   injection, so the clock is injectable.
// Everything a policy holds maps onto an option; nothing is unsupported. fast-jwt has no
// way to say "no audience is expected", so without an expected audience `aud` goes
// unchecked, which the matrix shows. Reject kinds come from the error's documented `code`.

"use strict";

const crypto = require("node:crypto");
const { createVerifier, TokenError } = require("fast-jwt");
// fast-jwt's own lists of the algorithms it verifies (HS, RS/PS, ES, EdDSA).
const { hsAlgorithms, rsaAlgorithms, esAlgorithms, edAlgorithms } = require("fast-jwt/src/crypto");
const protocol = require("../node-common/protocol.js");

const VERSION = require("fast-jwt/package.json").version;
const ALGORITHMS = [...hsAlgorithms, ...rsaAlgorithms, ...esAlgorithms, ...edAlgorithms];

const CODES = TokenError.codes;
const KINDS = new Map([
  [CODES.invalidSignature, "signature"],
  [CODES.missingSignature, "signature"],
  [CODES.invalidAlgorithm, "algorithm"],
  [CODES.expired, "expired"],
  [CODES.inactive, "not-yet-valid"],
  [CODES.missingRequiredClaim, "missing-claim"],
  [CODES.invalidCritHeader, "critical"],
  [CODES.invalidKey, "key"],
  [CODES.missingKey, "key"],
  [CODES.keyFetchingError, "key"],
  [CODES.malformed, "malformed"],
  [CODES.invalidPayload, "malformed"],
  [CODES.invalidClaimType, "malformed"],
]);

function errorKind(e) {
  if (!(e instanceof TokenError)) return undefined;
  if (e.code === CODES.invalidType) return e.message === "Invalid typ." ? "type" : "malformed";
  if (e.code === CODES.invalidClaimValue) {
    // The message names the claim: "The aud claim value is not allowed.", …
    if (/\baud\b/.test(e.message)) return "audience";
    if (/\biss\b/.test(e.message)) return "issuer";
    return "malformed";
  }
  return KINDS.get(e.code);
}

// The JWK as fast-jwt takes keys: a shared secret as its bytes, a public key as PEM.
function importKey(jwk) {
  if (jwk.kty === "oct") return Buffer.from(jwk.k ?? "", "base64url");
  return crypto.createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "pem" });
}

// fast-jwt configured for one policy.
function prepare(policy) {
  const keys = (policy.keys?.keys ?? []).map((jwk) => {
    try {
      return { kid: jwk.kid, key: importKey(jwk) };
    } catch (e) {
      return { kid: jwk.kid, error: e };
    }
  });
  const key = async ({ header }) => {
    const named = header.kid === undefined
      ? (keys.length === 1 ? keys : [])
      : keys.filter((k) => k.kid === header.kid);
    if (named.length === 0) throw new Error(`no trusted key for kid ${JSON.stringify(header.kid)}`);
    if (named[0].error) throw named[0].error;
    return named[0].key;
  };
  const options = {
    key,
    algorithms: policy.algorithms,
    requiredClaims: policy.required_claims ?? [],
    clockTolerance: (policy.leeway ?? 0) * 1000,
  };
  if (policy.issuer != null) options.allowedIss = policy.issuer;
  if (policy.audience?.length) options.allowedAud = policy.audience;
  if (policy.typ != null) options.checkTyp = policy.typ;
  if (policy.now != null) options.clockTimestamp = policy.now * 1000;
  try {
    return { verify: createVerifier(options) };
  } catch (e) {
    return { error: e };
  }
}

const prepared = protocol.preparedCache(prepare);

async function verify(message) {
  const id = message.id;
  const verifier = prepared(message.policy);
  try {
    if (verifier.error) throw verifier.error;
    return protocol.accepted(id, await verifier.verify(message.token));
  } catch (e) {
    // Any failure on attacker input is a rejection, never a crash.
    return protocol.rejection(id, e, errorKind(e));
  }
}

function hello() {
  return protocol.hello("fast-jwt", VERSION, ALGORITHMS, "injectable");
}

protocol.serve({ hello, verify });
