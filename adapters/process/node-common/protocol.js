// jwt-conformance process protocol v1, the part every Node wrapper shares.
//
// CommonJS, so both kinds of wrapper take it:
//   const protocol = require("../node-common/protocol.js");        // verifier.js
//   import protocol from "../node-common/protocol.js";             // verifier.mjs
// A wrapper calls `protocol.serve({ hello, verify })`: `hello()` returns the hello answer
// and `verify(message)` (which may be async) the result of one verify request, built with
// `accepted`, `rejected` or `unsupported`. This module reads one JSON object a line on
// stdin, answers one a line on stdout, in order, and writes diagnostics to stderr only.
// It knows nothing about any JWT library: choosing the verify call, its options and the
// meaning of its errors is the wrapper's job. A policy naming a profile ("profile":
// "rfc9068", …) is answered `unsupported` before `verify` sees it, unless the wrapper lists
// the profile in `serve({ hello, verify, profiles: [...] })`.

"use strict";

const readline = require("node:readline");

// The algorithm names protocol v1 knows; a wrapper's hello lists those its library
// verifies, in this order.
const PROTOCOL_ALGORITHMS = [
  "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
  "ES256", "ES384", "ES512", "EdDSA",
];

// The hello answer; `algorithms` is filtered to the protocol's names, in order.
function hello(name, version, algorithms, clock) {
  return {
    type: "hello",
    protocol: 1,
    name,
    version,
    algorithms: PROTOCOL_ALGORITHMS.filter((a) => algorithms.includes(a)),
    clock,
  };
}

// An acceptance. A payload that is not a JSON object travels under the name "", so the
// comparison with the signed claims fails visibly instead of the reply being garbage.
function accepted(id, claims) {
  const object = claims !== null && typeof claims === "object" && !Array.isArray(claims);
  return { type: "result", id, accepted: true, claims: object ? claims : { "": claims } };
}

function rejected(id, error, kind) {
  const result = { type: "result", id, accepted: false, error };
  if (kind) result.kind = kind;
  return result;
}

// A rejection for the thrown value `e`: its name and message, and `kind` if known.
function rejection(id, e, kind) {
  return rejected(id, `${e?.name}: ${e?.message}`, kind);
}

function unsupported(id, why) {
  return { type: "result", id, unsupported: why };
}

// One prepared verifier per distinct policy, built on first use, as a service builds its
// verifier once and reuses it.
function preparedCache(prepare) {
  const prepared = new Map();
  return (policy) => {
    const key = JSON.stringify(policy);
    let verifier = prepared.get(key);
    if (verifier === undefined) {
      verifier = prepare(policy);
      prepared.set(key, verifier);
    }
    return verifier;
  };
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

// The reply as one line of JSON text.
function encode(reply) {
  try {
    return JSON.stringify(wellFormed(reply));
  } catch (e) {
    // Accepted claims too deeply nested to encode: report the acceptance, with claims
    // that fail the comparison visibly.
    return JSON.stringify({ ...reply, claims: { "": `claims not representable as JSON text (${e})` } });
  }
}

// `unsupported` for a verify request whose policy names a profile not in `profiles`, else
// undefined.
function unhandledProfile(message, profiles = []) {
  const profile = message?.policy?.profile;
  if (profile === undefined || profile === null || profiles.includes(profile)) return undefined;
  return unsupported(message.id, `the wrapper does not apply the ${profile} profile`);
}

// The request loop: one message at a time, so answers leave in the order the requests
// came. A line that is not JSON is logged and skipped; a verify request whose handling
// throws is answered with a rejection carrying the message, never left unanswered.
async function serve({ hello: helloReply, verify, profiles = [] }) {
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    let message;
    try {
      message = JSON.parse(line);
    } catch (e) {
      console.error(`cannot read ${JSON.stringify(line.slice(0, 200))}: ${e}`);
      continue;
    }
    let reply;
    try {
      if (message?.type === "hello") reply = helloReply();
      else if (message?.type === "verify") reply = unhandledProfile(message, profiles) ?? (await verify(message));
      else {
        console.error(`ignoring message of type ${JSON.stringify(message?.type)}`);
        continue;
      }
    } catch (e) {
      console.error(`cannot handle ${JSON.stringify(line.slice(0, 200))}: ${e}`);
      if (message?.type !== "verify") continue;
      reply = rejection(message.id, e, "other");
    }
    process.stdout.write(`${encode(reply)}\n`);
  }
}

module.exports = {
  PROTOCOL_ALGORITHMS,
  hello,
  accepted,
  rejected,
  rejection,
  unsupported,
  unhandledProfile,
  preparedCache,
  wellFormed,
  encode,
  serve,
};
