#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around python-jose.

Run it as `jwt-conformance run --exec 'adapters/process/python-jose/.venv/bin/python
adapters/process/python-jose/verifier.py'`. It reads one JSON object a line on stdin and
answers one a line on stdout; diagnostics go to stderr.

How python-jose is used, following its documentation (`jose.jwt.decode`):
- keys: the policy's JWK Set is handed to `jwt.decode` as it is, which python-jose
  documents as a key argument; python-jose then tries every key of the set with the
  token's `alg` (it does not select by `kid`), and accepts when one verifies;
- `jwt.decode(token, jwks, algorithms=..., audience=..., issuer=..., options={"leeway":
  ..., "require_exp": True, ...})` decides; the wrapper never checks a claim itself;
- the backend is `cryptography` (the `python-jose[cryptography]` extra the project
  recommends);
- a JWK that carries its private part (a service holding its key pair) goes into the set
  as its public half, derived by python-jose itself (`jwk.construct(...).public_key()
  .to_dict()`) with the JWK's own `kid`, `alg`, `use` and `key_ops`: python-jose's EC
  verification fails with a private key (RSA only warns).

What cannot be mapped, answered `unsupported`: a `typ` requirement (python-jose has no
check of the header's `typ`); a required claim outside python-jose's `require_*` options
(aud, iat, exp, nbf, iss, sub, jti, at_hash); more than one accepted audience
(`audience` is one string). Clock: python-jose reads the system clock, so the wrapper
declares a system clock.

Reject kinds: `ExpiredSignatureError` is "expired" and `JWKError` "key"; every other
failure is a `JWTError` or `JWTClaimsError`, whose fixed messages name the reason, so
those messages are mapped; anything else goes without a kind.
"""

import os
import sys
from importlib.metadata import version

from jose import jwk, jwt
from jose.constants import ALGORITHMS
from jose.exceptions import ExpiredSignatureError, JWKError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import jwtc_protocol as protocol  # noqa: E402

# The claims python-jose can require, each with its `require_<claim>` option.
REQUIRABLE = ("aud", "iat", "exp", "nbf", "iss", "sub", "jti", "at_hash")

ERROR_KINDS = [
    (ExpiredSignatureError, "expired"),
    (JWKError, "key"),
]

# python-jose's own messages, by prefix, for the exceptions whose type is generic.
MESSAGE_KINDS = [
    ("Signature verification failed", "signature"),
    ("The specified alg value is not allowed", "algorithm"),
    ("Invalid or unsupported algorithm", "algorithm"),
    ("The token is not yet valid", "not-yet-valid"),
    ("Invalid audience", "audience"),
    ("Invalid issuer", "issuer"),
    ("missing required key", "missing-claim"),
    ("Error decoding token", "malformed"),
    ("Invalid payload string", "malformed"),
    ("Invalid header string", "malformed"),
    ("Invalid claim format", "malformed"),
    ("Not enough segments", "malformed"),
]


# An algorithm of each key family, for building a key python-jose can derive from.
FAMILY_ALGORITHM = {"RSA": "RS256", "P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth")


def public_half(key):
    """The JWK itself, or, when it carries its private part, its public half."""
    family = FAMILY_ALGORITHM.get(key.get("crv") or key.get("kty"))
    if "d" not in key or key.get("kty") == "oct" or family is None:
        return key
    derived = jwk.construct(key, family).public_key().to_dict()
    derived.pop("alg", None)
    members = {m: v for m, v in key.items() if m not in PRIVATE_MEMBERS}
    return {**members, **derived}


class Prepared:
    """python-jose configured for one policy, or why it cannot be."""

    def __init__(self, policy):
        self.unsupported = None
        required = list(policy.get("required_claims") or [])
        others = [c for c in required if c not in REQUIRABLE]
        if others:
            self.unsupported = f"python-jose cannot require the claim(s) {', '.join(others)}"
            return
        audience = list(policy.get("audience") or [])
        if len(audience) > 1:
            self.unsupported = "python-jose accepts one audience, not several"
            return
        options = {"leeway": policy.get("leeway", 0)}
        for claim in required:
            options[f"require_{claim}"] = True
        self.keys = dict(policy["keys"], keys=[public_half(k) for k in policy["keys"]["keys"]])
        self.decode_args = {
            "algorithms": list(policy["algorithms"]),
            "audience": audience[0] if audience else None,
            "issuer": policy.get("issuer"),
            "options": options,
        }

    def verify(self, token):
        return jwt.decode(token, self.keys, **self.decode_args)

    def error_kind(self, exc):
        kind = protocol.error_kind(exc, ERROR_KINDS)
        if kind:
            return kind
        message = str(exc)
        for prefix, kind in MESSAGE_KINDS:
            if message.startswith(prefix):
                return kind
        return None


# What python-jose cannot apply: a policy that sets it is answered `unsupported`, about the
# clock first.
UNSUPPORTED = {"now": "python-jose reads the system clock", "typ": "python-jose has no check of the typ header"}


def hello():
    return protocol.hello("python-jose", version("python-jose"), ALGORITHMS.SUPPORTED, "system")


if __name__ == "__main__":
    protocol.serve(hello, protocol.PreparedVerifier(Prepared, UNSUPPORTED))
