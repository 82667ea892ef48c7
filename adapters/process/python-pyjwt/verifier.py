#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around PyJWT.

Run it as `jwt-conformance run --exec 'adapters/process/python-pyjwt/.venv/bin/python
adapters/process/python-pyjwt/verifier.py'`. It reads one JSON object a line on stdin and
answers one a line on stdout; diagnostics go to stderr.

How PyJWT is used, following its documentation:
- keys: each JWK of the policy becomes a `PyJWK`; a JWK without its own `alg` is bound to
  each allowed algorithm in turn (`PyJWK(jwk, algorithm=...)`), the way a service
  configures the algorithm "in the same place as the key" (PyJWT's advice);
- a JWK that carries its private part (a service holding its key pair): PyJWT's RSA
  verification needs the public key object (an `RSAPrivateKey` has no `verify`), so the
  key becomes its public half, derived by `cryptography` (`private_key.public_key()`) and
  written back as a JWK by PyJWT's own `to_jwk`, keeping the JWK's `kid`, `alg`, `use`
  and `key_ops`;
- the key is picked by the header's `kid` (`jwt.get_unverified_header`), among keys whose
  `use` is `sig` or absent, as `PyJWKClient.get_signing_key_from_jwt` does;
- `jwt.decode(token, key, algorithms=..., audience=..., issuer=..., leeway=...,
  options={"require": [...], "enforce_minimum_key_length": True})` decides; the wrapper
  never checks a claim itself.

Clock: PyJWT reads `datetime.now()` and has no option to set it, so the wrapper declares
a system clock. PyJWT has no check of the `typ` header: a policy requiring one is
answered `unsupported`.

Remote key sets (a policy with `jwks`): `PyJWKClient(uri, lifespan=max age,
cooldown_duration=cooldown, timeout=timeout)`, one per policy so its cache lasts the
scenario, and `get_signing_key_from_jwt(token)` picks the key. Not mapped: PyJWKClient's
`timeout` is urllib's socket timeout, which bounds each read and not the whole fetch; its
cooldown runs from the last successful fetch only; it has no limit on the size of the
body.
"""

import os
import sys
from importlib.metadata import version

import jwt
from jwt import exceptions as errors
from jwt.algorithms import get_default_algorithms

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import jwtc_protocol as protocol  # noqa: E402


class Rejection(Exception):
    """A rejection decided before PyJWT's decode runs (no usable key)."""

    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


# Most specific first: InvalidSignatureError is a DecodeError, for one.
ERROR_KINDS = [
    (errors.InvalidSignatureError, "signature"),
    (errors.ExpiredSignatureError, "expired"),
    (errors.ImmatureSignatureError, "not-yet-valid"),
    (errors.InvalidAudienceError, "audience"),
    (errors.InvalidIssuerError, "issuer"),
    (errors.MissingRequiredClaimError, "missing-claim"),
    (errors.InvalidAlgorithmError, "algorithm"),
    ((errors.InvalidKeyError, errors.PyJWKError, errors.PyJWKSetError, errors.PyJWKClientError), "key"),
    (errors.DecodeError, "malformed"),
]


def public_half(key, jwk, alg):
    """The PyJWK `key` itself, or, when it holds a private key, a PyJWK of its public half."""
    if not hasattr(key.key, "public_key"):  # a public key or an HMAC secret
        return key
    public = key.Algorithm.to_jwk(key.key.public_key(), as_dict=True)
    public.update({m: jwk[m] for m in ("kid", "alg", "use", "key_ops") if m in jwk})
    return jwt.PyJWK(public, algorithm=alg)


class RemoteKeys:
    """The policy's remote key set through PyJWKClient, with its cache settings."""

    def __init__(self, jwks):
        self.client = jwt.PyJWKClient(
            jwks["uri"],
            lifespan=jwks["max_age_ms"] / 1000,
            cooldown_duration=jwks["cooldown_ms"] / 1000,
            timeout=jwks["timeout_ms"] / 1000,
        )

    def select_key(self, token):
        return self.client.get_signing_key_from_jwt(token)


class Prepared:
    """PyJWT configured for one policy: the keys and the arguments of `jwt.decode`."""

    def __init__(self, policy):
        self.remote = RemoteKeys(policy["jwks"]) if policy.get("jwks") else None
        self.algorithms = list(policy["algorithms"])
        self.keys = []
        self.key_errors = []
        self.jwk_count = 0
        for jwk in policy["keys"].get("keys", []):
            # PyJWKClient skips keys that are not for signatures.
            if jwk.get("use") not in ("sig", None):
                continue
            self.jwk_count += 1
            bindings = [None] if jwk.get("alg") else self.algorithms
            for alg in bindings:
                try:
                    self.keys.append(public_half(jwt.PyJWK(jwk, algorithm=alg), jwk, alg))
                except errors.PyJWTError as e:
                    self.key_errors.append(f"{jwk.get('kid')!r} for {alg}: {e}")
        audience = policy.get("audience") or []
        self.decode_args = {
            "algorithms": self.algorithms,
            "audience": audience if audience else None,
            "issuer": policy.get("issuer"),
            "leeway": policy.get("leeway", 0),
            "options": {
                "require": list(policy.get("required_claims") or []),
                # PyJWT's documented switch from a warning to a rejection for keys
                # shorter than RFC 7518 allows; a careful service turns it on.
                "enforce_minimum_key_length": True,
            },
        }

    def select_key(self, token):
        if self.remote is not None:
            return self.remote.select_key(token)
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        if kid is None:
            # Without a kid, only a single trusted key is unambiguous.
            candidates = self.keys if self.jwk_count == 1 else []
        else:
            candidates = [k for k in self.keys if k.key_id == kid]
        if not candidates:
            detail = f" ({'; '.join(self.key_errors)})" if self.key_errors else ""
            raise Rejection(f"no trusted key for kid {kid!r}{detail}", "key")
        # With several bindings of one JWK, the one for the token's alg; otherwise the
        # first, and PyJWT itself rejects the algorithm mismatch.
        for key in candidates:
            if key.algorithm_name == header.get("alg"):
                return key
        return candidates[0]

    def verify(self, token):
        key = self.select_key(token)
        return jwt.decode(token, key=key, **self.decode_args)

    def error_kind(self, exc):
        if isinstance(exc, Rejection):
            return exc.kind
        return protocol.error_kind(exc, ERROR_KINDS)


# What PyJWT cannot apply: a policy that sets it is answered `unsupported`.
UNSUPPORTED = {"typ": "PyJWT has no check of the typ header", "now": "PyJWT reads the system clock"}


def hello():
    # The hello lists the protocol's algorithms PyJWT implements.
    answer = protocol.hello("pyjwt", version("PyJWT"), get_default_algorithms(), "system")
    answer["remote_jwks"] = True
    return answer


if __name__ == "__main__":
    protocol.serve(hello, protocol.PreparedVerifier(Prepared, UNSUPPORTED))
