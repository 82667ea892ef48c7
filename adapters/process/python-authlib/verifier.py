#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around Authlib's JOSE (`authlib.jose`).

Run it as `jwt-conformance run --exec 'adapters/process/python-authlib/.venv/bin/python
adapters/process/python-authlib/verifier.py'`. It reads one JSON object a line on stdin
and answers one a line on stdout; diagnostics go to stderr.

Authlib's `authlib.jose` is its own JOSE implementation (deprecated in favour of joserfc
but still shipped and used; its verify path shares no code with joserfc), so it is a
verifier of its own here. How it is used, following its documentation ("JSON Web Token"):
- keys: `JsonWebKey.import_key_set(jwks)`; `JsonWebToken(algorithms).decode(token,
  key_set, claims_options=...)` picks the key by the header's `kid` (`find_by_kid`) and
  verifies the signature with the allowed algorithms only. A JWK that carries its private
  part is imported whole, and Authlib verifies with its public part;
- claims: the returned `JWTClaims.validate(now=..., leeway=...)` checks them, configured
  with `claims_options`: each required claim is `{"essential": True}`, the issuer
  `{"value": iss}` and the audiences `{"values": [...]}` (essential only when the policy
  requires the claim); the wrapper never checks a claim itself.

Clock: `validate(now=...)` is Authlib's documented clock, so the clock is injectable.
Authlib has no check of the header's `typ`: a policy requiring one is answered
`unsupported`. Authlib has no way to say "no audience is expected", so without an
expected audience `aud` goes unchecked, which the matrix shows.
"""

import os
import sys
import warnings
from importlib.metadata import version

# authlib.jose warns on import that it is deprecated; that is known and not a diagnostic.
# Authlib's own module sets its warnings to "always" when first imported, so the filter
# that silences this one comes after it.
import authlib.deprecate  # noqa: E402,F401

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken, errors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import jwtc_protocol as protocol  # noqa: E402

# InvalidClaimError is refined by its `claim_name` below.
ERROR_KINDS = [
    (errors.BadSignatureError, "signature"),
    (errors.ExpiredTokenError, "expired"),
    (errors.InvalidTokenError, "not-yet-valid"),
    (errors.MissingClaimError, "missing-claim"),
    (errors.UnsupportedAlgorithmError, "algorithm"),
    (errors.MissingAlgorithmError, "algorithm"),
    (errors.InvalidCritHeaderParameterNameError, "critical"),
    (errors.KeyMismatchError, "key"),
    (errors.InvalidUseError, "key"),
    (errors.DecodeError, "malformed"),
]

CLAIM_KINDS = {"aud": "audience", "iss": "issuer", "exp": "malformed", "nbf": "malformed", "iat": "malformed"}


def error_kind(exc):
    if isinstance(exc, errors.InvalidClaimError):
        return CLAIM_KINDS.get(exc.claim_name)
    return protocol.error_kind(exc, ERROR_KINDS)


class Prepared:
    """Authlib configured for one policy: the key set, the decoder and claims options."""

    def __init__(self, policy):
        self.unsupported = None
        if policy.get("typ") is not None:
            self.unsupported = "Authlib has no check of the typ header"
            return
        self.jwt = JsonWebToken(list(policy["algorithms"]))
        try:
            self.keys = JsonWebKey.import_key_set(policy["keys"])
            self.key_error = None
        except Exception as e:  # a key Authlib refuses rejects every token under it
            self.keys = None
            self.key_error = e
        options = {name: {"essential": True} for name in policy.get("required_claims") or []}
        if policy.get("issuer") is not None:
            options.setdefault("iss", {})["value"] = policy["issuer"]
        if policy.get("audience"):
            options.setdefault("aud", {})["values"] = list(policy["audience"])
        self.claims_options = options
        self.now = policy.get("now")
        self.leeway = int(policy.get("leeway", 0))

    def verify(self, token):
        if self.keys is None:
            raise self.key_error
        claims = self.jwt.decode(token, self.keys, claims_options=self.claims_options)
        claims.validate(now=self.now, leeway=self.leeway)
        return dict(claims)


PREPARED = protocol.PreparedCache(Prepared)


def hello():
    return protocol.hello("authlib", version("Authlib"), JsonWebSignature.ALGORITHMS_REGISTRY, "injectable")


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
