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
    ((JWKeyNotFound, jwk.InvalidJWKValue, jwk.InvalidJWKType), "key"),
    (jws.InvalidJWSObject, "malformed"),
]


class Prepared:
    """jwcrypto configured for one policy."""

    def __init__(self, policy):
        self.algorithms = list(policy["algorithms"])
        self.leeway = int(policy.get("leeway", 0))
        self.keyset = protocol.ImportedKeys(lambda jwks: jwk.JWKSet.from_json(json.dumps(jwks)), policy["keys"])
        check = {name: None for name in policy.get("required_claims") or []}
        if policy.get("issuer") is not None:
            check["iss"] = policy["issuer"]
        if policy.get("audience"):
            check["aud"] = list(policy["audience"])
        self.check_claims = check or None

    def verify(self, token):
        keyset = self.keyset.get()
        token_object = jwt.JWT(
            algs=self.algorithms,
            check_claims=self.check_claims,
            expected_type="JWS",
            strict_serialization=True,
        )
        token_object.leeway = self.leeway
        token_object.deserialize(token, keyset)
        payload = token_object.claims
        # jwcrypto accepts a payload that is not a JSON object when no claim is checked;
        # such an acceptance is reported as it is (`protocol.accepted` puts it under ""),
        # so the claims comparison fails visibly.
        try:
            claims = json.loads(payload)
        except ValueError:
            return payload
        return claims if isinstance(claims, dict) else payload

    def error_kind(self, exc):
        return protocol.error_kind(exc, ERROR_KINDS)


# What jwcrypto cannot apply: a policy that sets it is answered `unsupported`.
UNSUPPORTED = {"typ": "jwcrypto has no check of the typ header", "now": "jwcrypto reads the system clock"}


def hello():
    return protocol.hello("jwcrypto", version("jwcrypto"), jws.default_allowed_algs, "system")


if __name__ == "__main__":
    protocol.serve(hello, protocol.PreparedVerifier(Prepared, UNSUPPORTED))
