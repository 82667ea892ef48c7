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
from jwtc_claims_options import claims_options  # noqa: E402

# An InvalidClaimError names its claim, which is looked up here before ERROR_KINDS.
CLAIM_KINDS = {"nbf": "not-yet-valid", "aud": "audience", "iss": "issuer"}

# Most specific first.
ERROR_KINDS = [
    (errors.BadSignatureError, "signature"),
    (errors.ExpiredTokenError, "expired"),
    (errors.MissingClaimError, "missing-claim"),
    ((errors.UnsupportedAlgorithmError, errors.MissingAlgorithmError), "algorithm"),
    (errors.MissingCritHeaderError, "critical"),
    ((errors.KeyParameterError, errors.MissingKeyError, errors.InvalidKeyIdError, errors.InvalidKeyLengthError,
      errors.InvalidKeyCurveError), "key"),
    ((errors.DecodeError, errors.InvalidPayloadError, errors.InvalidHeaderValueError, errors.MissingHeaderError),
     "malformed"),
]


class Prepared:
    """joserfc configured for one policy: the key set, algorithms and claims options."""

    def __init__(self, policy):
        self.algorithms = list(policy["algorithms"])
        self.keys = protocol.ImportedKeys(KeySet.import_key_set, policy["keys"])
        self.options = claims_options(policy)
        self.now = policy.get("now")
        self.leeway = int(policy.get("leeway", 0))

    def verify(self, token):
        decoded = jwt.decode(token, self.keys.get(), algorithms=self.algorithms)
        # A registry per token: without `now`, joserfc reads the clock when validating.
        jwt.JWTClaimsRegistry(now=self.now, leeway=self.leeway, **self.options).validate(decoded.claims)
        return decoded.claims

    def error_kind(self, exc):
        if isinstance(exc, errors.InvalidClaimError):
            return CLAIM_KINDS.get(exc.claim, "malformed")
        return protocol.error_kind(exc, ERROR_KINDS)


# What joserfc cannot apply: a policy that sets it is answered `unsupported`.
UNSUPPORTED = {"typ": "joserfc has no check of the typ header's value"}


def hello():
    return protocol.hello("joserfc", version("joserfc"), JWSRegistry.algorithms, "injectable")


if __name__ == "__main__":
    protocol.serve(hello, protocol.PreparedVerifier(Prepared, UNSUPPORTED))
