#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around joserfc.

Run it as `jwt-conformance run --exec 'adapters/process/python-joserfc/.venv/bin/python
adapters/process/python-joserfc/verifier.py'`. It reads one JSON object a line on stdin
and answers one a line on stdout; diagnostics go to stderr.

How joserfc is used, following its documentation ("JSON Web Token" guide):
- keys: `KeySet.import_key_set(jwks)`; `jwt.decode(token, key_set, algorithms=...)` picks
  the key by the header's `kid` itself and verifies the signature. A JWK that carries its
  private part is imported whole, and joserfc verifies with its public part;
- claims: a `JWTClaimsRegistry(now=..., leeway=..., **options)` whose `validate(claims)`
  checks the decoded token: each required claim is `{"essential": True}`, the issuer
  `{"value": iss}` and the audiences `{"values": [...]}` (essential only when the policy
  requires the claim); the wrapper never checks a claim itself.

Clock: `JWTClaimsRegistry(now=...)` is joserfc's documented clock, so the clock is
injectable. joserfc has no check of the header's `typ` value: a policy requiring one is
answered `unsupported`. joserfc has no way to say "no audience is expected", so without
an expected audience `aud` goes unchecked, which the matrix shows.
"""

import os
import sys
from importlib.metadata import version

from joserfc import errors, jwt
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import jwtc_protocol as protocol  # noqa: E402

# Most specific first; InvalidClaimError is refined by its `claim` below.
ERROR_KINDS = [
    (errors.BadSignatureError, "signature"),
    (errors.ExpiredTokenError, "expired"),
    (errors.MissingClaimError, "missing-claim"),
    (errors.UnsupportedAlgorithmError, "algorithm"),
    (errors.MissingAlgorithmError, "algorithm"),
    (errors.MissingCritHeaderError, "critical"),
    (errors.KeyParameterError, "key"),
    (errors.MissingKeyError, "key"),
    (errors.InvalidKeyIdError, "key"),
    (errors.InvalidKeyLengthError, "key"),
    (errors.InvalidKeyCurveError, "key"),
    (errors.DecodeError, "malformed"),
    (errors.InvalidPayloadError, "malformed"),
    (errors.InvalidHeaderValueError, "malformed"),
    (errors.MissingHeaderError, "malformed"),
]

# An InvalidClaimError names its claim.
CLAIM_KINDS = {"nbf": "not-yet-valid", "aud": "audience", "iss": "issuer"}


def error_kind(exc):
    if isinstance(exc, errors.InvalidClaimError):
        return CLAIM_KINDS.get(exc.claim, "malformed")
    return protocol.error_kind(exc, ERROR_KINDS)


class Prepared:
    """joserfc configured for one policy: the key set, algorithms and claims options."""

    def __init__(self, policy):
        self.unsupported = None
        if policy.get("typ") is not None:
            self.unsupported = "joserfc has no check of the typ header's value"
            return
        self.algorithms = list(policy["algorithms"])
        try:
            self.keys = KeySet.import_key_set(policy["keys"])
            self.key_error = None
        except Exception as e:  # a key joserfc refuses rejects every token under it
            self.keys = None
            self.key_error = e
        options = {name: {"essential": True} for name in policy.get("required_claims") or []}
        if policy.get("issuer") is not None:
            options.setdefault("iss", {})["value"] = policy["issuer"]
        if policy.get("audience"):
            options.setdefault("aud", {})["values"] = list(policy["audience"])
        self.options = options
        self.now = policy.get("now")
        self.leeway = int(policy.get("leeway", 0))

    def verify(self, token):
        if self.keys is None:
            raise self.key_error
        decoded = jwt.decode(token, self.keys, algorithms=self.algorithms)
        # A registry per token: without `now`, joserfc reads the clock when validating.
        jwt.JWTClaimsRegistry(now=self.now, leeway=self.leeway, **self.options).validate(decoded.claims)
        return decoded.claims


PREPARED = protocol.PreparedCache(Prepared)


def hello():
    return protocol.hello("joserfc", version("joserfc"), JWSRegistry.algorithms, "injectable")


def verify(message):
    case_id = message.get("id")
    prepared = PREPARED.get(message["policy"])
    if prepared.unsupported:
        return protocol.unsupported(case_id, prepared.unsupported)
    try:
        claims = prepared.verify(message["token"])
    except Exception as e:  # any failure on attacker input is a rejection, never a crash
        return protocol.rejection(case_id, e, error_kind(e))
    return protocol.accepted(case_id, claims)


if __name__ == "__main__":
    protocol.serve(hello, verify)
