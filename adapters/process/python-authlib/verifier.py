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

Profile `rfc9068` (OAuth 2.0 access tokens, RFC 9068 section 4) is Authlib's own
resource-server validator, `authlib.oauth2.rfc9068.JWTBearerTokenValidator`, built with
the policy's issuer and its one resource as `resource_server`, its `get_jwks` returning
the policy's keys: `authenticate_token(token)` decodes and verifies the token (with
joserfc, whatever the policy's algorithms) and `validate(now=..., leeway=...)` on the
claims it returns checks `typ`, the claims and the time, the clock injected where
`validate_token` would read the system's (its scope checks are not exercised). Other
profiles are answered `unsupported` by the protocol helper.
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

import joserfc.errors  # noqa: E402
from authlib.oauth2.rfc6750.errors import InvalidTokenError  # noqa: E402
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import jwtc_protocol as protocol  # noqa: E402
from jwtc_claims_options import claims_options  # noqa: E402

# An InvalidClaimError names its claim (`claim_name`), which is looked up here before
# ERROR_KINDS.
CLAIM_KINDS = {"aud": "audience", "iss": "issuer", "exp": "malformed", "nbf": "malformed", "iat": "malformed"}

ERROR_KINDS = [
    (errors.BadSignatureError, "signature"),
    (errors.ExpiredTokenError, "expired"),
    (errors.InvalidTokenError, "not-yet-valid"),
    (errors.MissingClaimError, "missing-claim"),
    ((errors.UnsupportedAlgorithmError, errors.MissingAlgorithmError), "algorithm"),
    (errors.InvalidCritHeaderParameterNameError, "critical"),
    ((errors.KeyMismatchError, errors.InvalidUseError), "key"),
    (errors.DecodeError, "malformed"),
]


class Prepared:
    """Authlib configured for one policy: the key set, the decoder and claims options."""

    def __init__(self, policy):
        self.unsupported = protocol.unsupported_member(policy, {"typ": "Authlib has no check of the typ header"})
        if self.unsupported:
            return
        self.jwt = JsonWebToken(list(policy["algorithms"]))
        self.keys = protocol.ImportedKeys(JsonWebKey.import_key_set, policy["keys"])
        self.claims_options = claims_options(policy)
        self.now = policy.get("now")
        self.leeway = int(policy.get("leeway", 0))

    def verify(self, token):
        claims = self.jwt.decode(token, self.keys.get(), claims_options=self.claims_options)
        claims.validate(now=self.now, leeway=self.leeway)
        return dict(claims)

    def error_kind(self, exc):
        if isinstance(exc, errors.InvalidClaimError):
            return CLAIM_KINDS.get(exc.claim_name)
        return protocol.error_kind(exc, ERROR_KINDS)


# The joserfc errors under the access-token validator, most specific first; an
# InvalidClaimError is refined by its `claim`.
ACCESS_TOKEN_KINDS = [
    (joserfc.errors.BadSignatureError, "signature"),
    (joserfc.errors.ExpiredTokenError, "expired"),
    (joserfc.errors.MissingClaimError, "missing-claim"),
    ((joserfc.errors.UnsupportedAlgorithmError, joserfc.errors.MissingAlgorithmError), "algorithm"),
    (joserfc.errors.DecodeError, "malformed"),
]
ACCESS_TOKEN_CLAIM_KINDS = {"typ": "type", "aud": "audience", "iss": "issuer", "nbf": "not-yet-valid"}


class AccessTokenValidator(JWTBearerTokenValidator):
    """Authlib's RFC 9068 validator, its keys the policy's."""

    def __init__(self, jwks, issuer, resource_server):
        super().__init__(issuer=issuer, resource_server=resource_server)
        self.jwks = jwks

    def get_jwks(self):
        return self.jwks


class PreparedAccessToken:
    """Authlib's RFC 9068 resource-server validator for one policy."""

    def __init__(self, policy):
        self.unsupported = None
        audience = policy.get("audience") or []
        if len(audience) != 1 or policy.get("issuer") is None:
            self.unsupported = "JWTBearerTokenValidator takes one issuer and one resource server"
            return
        self.validator = AccessTokenValidator(policy["keys"], policy["issuer"], audience[0])
        self.now = policy.get("now")
        self.leeway = int(policy.get("leeway", 0))

    def verify(self, token):
        claims = self.validator.authenticate_token(token)
        claims.validate(now=self.now, leeway=self.leeway)
        return dict(claims)

    def error_kind(self, exc):
        cause = exc.__cause__ if isinstance(exc, InvalidTokenError) and exc.__cause__ else exc
        if isinstance(cause, joserfc.errors.InvalidClaimError):
            return ACCESS_TOKEN_CLAIM_KINDS.get(cause.claim, "malformed")
        return protocol.error_kind(cause, ACCESS_TOKEN_KINDS)


def prepare(policy):
    if policy.get("profile") == "rfc9068":
        return PreparedAccessToken(policy)
    return Prepared(policy)


def hello():
    return protocol.hello("authlib", version("Authlib"), JsonWebSignature.ALGORITHMS_REGISTRY, "injectable")


if __name__ == "__main__":
    protocol.serve(hello, protocol.PreparedVerifier(prepare), profiles=["rfc9068"])
