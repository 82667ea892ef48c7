#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around jwcrypto.

Run it as `jwt-conformance run --exec 'adapters/process/python-jwcrypto/.venv/bin/python
adapters/process/python-jwcrypto/verifier.py'`. It reads one JSON object a line on stdin
and answers one a line on stdout; diagnostics go to stderr.

How jwcrypto is used, following its documentation:
- the trusted keys are a `JWKSet.from_json(...)`, and jwcrypto picks the key itself from
  the header's `kid` when given the set;
- `JWT(algs=..., check_claims=..., expected_type="JWS", strict_serialization=True)`,
  `leeway` set on the object, then `deserialize(token, keyset)` verifies the signature and
  checks the claims; the wrapper never checks a claim itself.
- `check_claims` carries the required claims (`{"exp": None}`), the issuer and the
  audiences. jwcrypto documents that without `check_claims` it checks `exp` and `nbf`
  when present; with it, only the claims it lists, which is what gets measured here.

Clock: jwcrypto reads `time.time()`. A value for `exp`/`nbf` in `check_claims` is used as
the comparison time, but that also makes the claim required and drops the leeway, so
it cannot stand in for "now": the wrapper declares a system clock. jwcrypto has no check
of the `typ` header: a policy requiring one is answered `unsupported`.
"""

import json
import re
import sys
from importlib.metadata import version

from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWKeyNotFound

PROTOCOL_ALGORITHMS = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA",
]

# Only where the exception type names the reason; InvalidJWSSignature, for one, wraps
# every per-signature failure (an alg not allowed included), so it gets no kind.
ERROR_KINDS = [
    (jwt.JWTExpired, "expired"),
    (jwt.JWTNotYetValid, "not-yet-valid"),
    (jwt.JWTMissingClaim, "missing-claim"),
    (jwt.JWTInvalidClaimFormat, "malformed"),
    (JWKeyNotFound, "key"),
    (jwk.InvalidJWKValue, "key"),
    (jwk.InvalidJWKType, "key"),
    (jws.InvalidJWSObject, "malformed"),
]


class Prepared:
    """jwcrypto configured for one policy."""

    def __init__(self, policy):
        self.algorithms = list(policy["algorithms"])
        self.leeway = int(policy.get("leeway", 0))
        try:
            self.keyset = jwk.JWKSet.from_json(json.dumps(policy["keys"]))
            self.key_error = None
        except Exception as e:  # a key jwcrypto refuses rejects every token under it
            self.keyset = None
            self.key_error = e
        check = {name: None for name in policy.get("required_claims") or []}
        if policy.get("issuer") is not None:
            check["iss"] = policy["issuer"]
        if policy.get("audience"):
            check["aud"] = list(policy["audience"])
        self.check_claims = check or None

    def verify(self, token):
        if self.keyset is None:
            raise self.key_error
        token_object = jwt.JWT(
            algs=self.algorithms,
            check_claims=self.check_claims,
            expected_type="JWS",
            strict_serialization=True,
        )
        token_object.leeway = self.leeway
        token_object.deserialize(token, self.keyset)
        return token_object.claims


def error_kind(exc):
    for cls, kind in ERROR_KINDS:
        if isinstance(exc, cls):
            return kind
    return None


def hello():
    return {
        "type": "hello",
        "protocol": 1,
        "name": "jwcrypto",
        "version": version("jwcrypto"),
        "algorithms": [a for a in PROTOCOL_ALGORITHMS if a in jws.default_allowed_algs],
        "clock": "system",
    }


PREPARED = {}


def verify(message):
    case_id = message.get("id")
    policy = message["policy"]
    if policy.get("typ") is not None:
        return {"type": "result", "id": case_id, "unsupported": "jwcrypto has no check of the typ header"}
    if policy.get("now") is not None:
        return {"type": "result", "id": case_id, "unsupported": "jwcrypto reads the system clock"}
    cache_key = json.dumps(policy, sort_keys=True)
    prepared = PREPARED.get(cache_key)
    if prepared is None:
        prepared = PREPARED[cache_key] = Prepared(policy)
    try:
        payload = prepared.verify(message["token"])
    except Exception as e:  # any failure on attacker input is a rejection, never a crash
        result = {"type": "result", "id": case_id, "accepted": False, "error": f"{type(e).__name__}: {e}"}
        kind = error_kind(e)
        if kind:
            result["kind"] = kind
        return result
    # jwcrypto accepts a payload that is not a JSON object when no claim is checked;
    # such an acceptance is reported as it is, so the claims comparison fails visibly.
    try:
        claims = json.loads(payload)
    except ValueError:
        claims = None
    if not isinstance(claims, dict):
        claims = {"": payload}
    return {"type": "result", "id": case_id, "accepted": True, "claims": claims}


# A regular expression, not a loop in Python: claims can be megabytes long.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(value):
    """The value with lone surrogates (which json.loads lets through from `\\ud800`
    escapes, and no UTF-8 text can carry) replaced by U+FFFD."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {well_formed(k): well_formed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [well_formed(v) for v in value]
    return value


def encode(reply):
    try:
        return json.dumps(well_formed(reply), allow_nan=False)
    except Exception as e:
        # Accepted claims JSON text cannot carry (NaN, nesting deeper than the encoder
        # goes): report the acceptance, with claims that fail the comparison visibly.
        reply = dict(reply, claims={"": f"claims not representable as JSON text ({type(e).__name__}: {e})"})
        return json.dumps(reply)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            kind = message.get("type")
            if kind == "hello":
                reply = hello()
            elif kind == "verify":
                reply = verify(message)
            else:
                print(f"ignoring message of type {kind!r}", file=sys.stderr)
                continue
        except Exception as e:
            print(f"cannot handle {line[:200]!r}: {e!r}", file=sys.stderr)
            continue
        sys.stdout.write(encode(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
