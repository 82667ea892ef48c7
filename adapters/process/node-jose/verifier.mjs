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
// - `jwtVerify(token, keyResolver, { algorithms, issuer, audience, requiredClaims, typ,
//   clockTolerance, currentDate })` decides; the wrapper never checks a claim itself.
// Clock: `currentDate` is jose's documented clock injection, so the clock is injectable.

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createLocalJWKSet, errors, jwtVerify } from "jose";

const PROTOCOL_ALGORITHMS = [
  "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
  "ES256", "ES384", "ES512", "EdDSA",
];

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

// jose configured for one policy: the key resolver and the jwtVerify options.
function prepare(policy) {
  const jwks = policy.keys?.keys ?? [];
  const asymmetric = jwks.filter((k) => k.kty !== "oct");
  const secrets = jwks.filter((k) => k.kty === "oct");
  let localSet;
  let setError;
  try {
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

const prepared = new Map();

async function verify(message) {
  const id = message.id;
  const cacheKey = JSON.stringify(message.policy);
  let verifier = prepared.get(cacheKey);
  if (!verifier) {
    verifier = prepare(message.policy);
    prepared.set(cacheKey, verifier);
  }
  try {
    const { payload } = await jwtVerify(message.token, verifier.resolveKey, verifier.options);
    return { type: "result", id, accepted: true, claims: payload };
  } catch (e) {
    // Any failure on attacker input is a rejection, never a crash.
    const result = { type: "result", id, accepted: false, error: `${e?.name}: ${e?.message}` };
    const kind = errorKind(e);
    if (kind) result.kind = kind;
    return result;
  }
}

// The value with lone surrogates (JSON.parse lets them through from `\ud800` escapes,
// and no UTF-8 text can carry them) replaced by U+FFFD.
function wellFormed(value) {
  if (typeof value === "string") return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toWellFormed(), wellFormed(v)]));
  }
  return value;
}

function encode(reply) {
  try {
    return JSON.stringify(wellFormed(reply));
  } catch (e) {
    // Accepted claims too deeply nested to encode: report the acceptance, with claims
    // that fail the comparison visibly.
    return JSON.stringify({ ...reply, claims: { "": `claims not representable as JSON text (${e})` } });
  }
}

function hello() {
  return {
    type: "hello",
    protocol: 1,
    name: "jose",
    version: JOSE_VERSION,
    algorithms: PROTOCOL_ALGORITHMS,
    clock: "injectable",
  };
}

// One message at a time, so answers leave in the order the requests came.
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  let reply;
  try {
    const message = JSON.parse(line);
    if (message.type === "hello") reply = hello();
    else if (message.type === "verify") reply = await verify(message);
    else {
      console.error(`ignoring message of type ${JSON.stringify(message.type)}`);
      continue;
    }
  } catch (e) {
    console.error(`cannot handle ${JSON.stringify(line.slice(0, 200))}: ${e}`);
    continue;
  }
  process.stdout.write(`${encode(reply)}\n`);
}
