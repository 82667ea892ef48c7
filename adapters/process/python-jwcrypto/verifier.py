#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around jwcrypto.

Run it as `jwt-conformance run --exec 'adapters/process/python-jwcrypto/.venv/bin/python
adapters/process/python-jwcrypto/verifier.py'`. It reads one JSON object a line on stdin
and answers one a line on stdout; diagnostics go to stderr.

How jwcrypto is used, following its documentation:
- the trusted keys are a `JWKSet.from_json(...)`, and jwcrypto picks the key itself from
  the header's `kid` when given the set. A JWK that carries its private part stays whole
  in the set: jwcrypto's documented way for a service that holds its key pair is to hand
  over the private JWK (`JWT(jwt=..., key=...)`), and it verifies a signature with that
  key's public part. `expected_type="JWS"` keeps jwcrypto from using the set to decrypt a
  JWE handed over as a JWT;
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
import os
import sys
from importlib.metadata import version

from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWKeyNotFound

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import jwtc_protocol as protocol  # noqa: E402

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


def hello():
    return protocol.hello("jwcrypto", version("jwcrypto"), jws.default_allowed_algs, "system")


PREPARED = protocol.PreparedCache(Prepared)


def verify(message):
    case_id = message.get("id")
    policy = message["policy"]
    if policy.get("typ") is not None:
        return protocol.unsupported(case_id, "jwcrypto has no check of the typ header")
    if policy.get("now") is not None:
        return protocol.unsupported(case_id, "jwcrypto reads the system clock")
    prepared = PREPARED.get(policy)
    try:
        payload = prepared.verify(message["token"])
    except Exception as e:  # any failure on attacker input is a rejection, never a crash
        return protocol.rejection(case_id, e, protocol.error_kind(e, ERROR_KINDS))
    # jwcrypto accepts a payload that is not a JSON object when no claim is checked;
    # such an acceptance is reported as it is, so the claims comparison fails visibly.
    try:
        claims = json.loads(payload)
    except ValueError:
        claims = None
    if not isinstance(claims, dict):
        claims = {"": payload}
    return protocol.accepted(case_id, claims)


if __name__ == "__main__":
    protocol.serve(hello, verify)
