#!/usr/bin/env python3
"""jwt-conformance process protocol v1 wrapper around PyJWT.

Run it as `jwt-conformance run --exec 'adapters/process/python-pyjwt/.venv/bin/python
adapters/process/python-pyjwt/verifier.py'`. It reads one JSON object a line on stdin and
answers one a line on stdout; diagnostics go to stderr.

How PyJWT is used, following its documentation:
- keys: each JWK of the policy becomes a `PyJWK`; a JWK without its own `alg` is bound to
  each allowed algorithm in turn (`PyJWK(jwk, algorithm=...)`), the way a service
  configures the algorithm "in the same place as the key" (PyJWT's advice);
- the key is picked by the header's `kid` (`jwt.get_unverified_header`), among keys whose
  `use` is `sig` or absent, as `PyJWKClient.get_signing_key_from_jwt` does;
- `jwt.decode(token, key, algorithms=..., audience=..., issuer=..., leeway=...,
  options={"require": [...], "enforce_minimum_key_length": True})` decides; the wrapper
  never checks a claim itself.

Clock: PyJWT reads `datetime.now()` and has no option to set it, so the wrapper declares
a system clock. PyJWT has no check of the `typ` header: a policy requiring one is
answered `unsupported`.
"""

import json
import re
import sys
from importlib.metadata import version

import jwt
from jwt import exceptions as errors
from jwt.algorithms import get_default_algorithms

# The algorithm names protocol v1 knows; the hello lists those PyJWT implements.
PROTOCOL_ALGORITHMS = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA",
]

# Most specific first: InvalidSignatureError is a DecodeError, for one.
ERROR_KINDS = [
    (errors.InvalidSignatureError, "signature"),
    (errors.ExpiredSignatureError, "expired"),
    (errors.ImmatureSignatureError, "not-yet-valid"),
    (errors.InvalidAudienceError, "audience"),
    (errors.InvalidIssuerError, "issuer"),
    (errors.MissingRequiredClaimError, "missing-claim"),
    (errors.InvalidAlgorithmError, "algorithm"),
    (errors.InvalidKeyError, "key"),
    (errors.PyJWKError, "key"),
    (errors.PyJWKSetError, "key"),
    (errors.DecodeError, "malformed"),
]


class Rejection(Exception):
    """A rejection decided before PyJWT's decode runs (no usable key)."""

    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


class Prepared:
    """PyJWT configured for one policy: the keys and the arguments of `jwt.decode`."""

    def __init__(self, policy):
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
                    self.keys.append(jwt.PyJWK(jwk, algorithm=alg))
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


def error_kind(exc):
    if isinstance(exc, Rejection):
        return exc.kind
    for cls, kind in ERROR_KINDS:
        if isinstance(exc, cls):
            return kind
    return None


def hello():
    implemented = get_default_algorithms()
    return {
        "type": "hello",
        "protocol": 1,
        "name": "pyjwt",
        "version": version("PyJWT"),
        "algorithms": [a for a in PROTOCOL_ALGORITHMS if a in implemented],
        "clock": "system",
    }


PREPARED = {}


def verify(message):
    case_id = message.get("id")
    policy = message["policy"]
    if policy.get("typ") is not None:
        return {"type": "result", "id": case_id, "unsupported": "PyJWT has no check of the typ header"}
    if policy.get("now") is not None:
        return {"type": "result", "id": case_id, "unsupported": "PyJWT reads the system clock"}
    # One prepared verifier per distinct policy, as a service builds it once.
    cache_key = json.dumps(policy, sort_keys=True)
    prepared = PREPARED.get(cache_key)
    if prepared is None:
        prepared = PREPARED[cache_key] = Prepared(policy)
    try:
        claims = prepared.verify(message["token"])
    except Exception as e:  # any failure on attacker input is a rejection, never a crash
        result = {"type": "result", "id": case_id, "accepted": False, "error": f"{type(e).__name__}: {e}"}
        kind = error_kind(e)
        if kind:
            result["kind"] = kind
        return result
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
