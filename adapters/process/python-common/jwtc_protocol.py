"""jwt-conformance process protocol v1, the part every Python wrapper shares.

A wrapper in a sibling directory imports it with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
    import jwtc_protocol as protocol

and calls `protocol.serve(hello, verify)`: `hello()` returns the hello answer and
`verify(message)` the result of one verify request (built with `accepted`, `rejected`,
`rejection` or `unsupported`, or a `PreparedVerifier` that builds it from the library
configured once per policy). A policy naming a profile (`"profile": "rfc9068"`, …) is
answered `unsupported` before `verify` sees it, unless the wrapper lists the profile in
`serve(hello, verify, profiles=[...])`: applying a profile's rules is the library's job. This module reads one JSON object a line on stdin, answers
one a line on stdout, in order, and writes diagnostics to stderr only. It knows nothing
about any JWT library: choosing the verify call, its options and the meaning of its
errors is the wrapper's job.
"""

import json
import re
import sys

# The algorithm names protocol v1 knows; a wrapper's hello lists those its library
# verifies, in this order.
PROTOCOL_ALGORITHMS = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA",
]


def hello(name, version, algorithms, clock):
    """The hello answer; `algorithms` is filtered to the protocol's names, in order."""
    return {
        "type": "hello",
        "protocol": 1,
        "name": name,
        "version": version,
        "algorithms": [a for a in PROTOCOL_ALGORITHMS if a in algorithms],
        "clock": clock,
    }


def accepted(case_id, claims):
    """An acceptance. Claims that are not a JSON object travel under the name "", so the
    comparison with the signed claims fails visibly instead of the reply being garbage."""
    if not isinstance(claims, dict):
        claims = {"": claims}
    return {"type": "result", "id": case_id, "accepted": True, "claims": claims}


def rejected(case_id, error, kind=None):
    result = {"type": "result", "id": case_id, "accepted": False, "error": error}
    if kind:
        result["kind"] = kind
    return result


def rejection(case_id, exc, kind=None):
    """A rejection for the exception `exc`: its type and message, and `kind` if known."""
    return rejected(case_id, f"{type(exc).__name__}: {exc}", kind)


def unsupported(case_id, why):
    return {"type": "result", "id": case_id, "unsupported": why}


def error_kind(exc, kinds):
    """The reject kind of the first `(exception class, kind)` pair `exc` is an instance
    of, so the most specific classes go first; None when none matches."""
    for cls, kind in kinds:
        if isinstance(exc, cls):
            return kind
    return None


class PreparedCache:
    """One prepared verifier per distinct policy, built on first use, as a service builds
    its verifier once and reuses it."""

    def __init__(self, prepare):
        self.prepare = prepare
        self.prepared = {}

    def get(self, policy):
        key = json.dumps(policy, sort_keys=True)
        prepared = self.prepared.get(key)
        if prepared is None:
            prepared = self.prepared[key] = self.prepare(policy)
        return prepared


def unsupported_member(policy, reasons):
    """Why a policy is `unsupported` when it sets a member the library cannot apply
    (`{"typ": "... has no check of the typ header", "now": "... reads the system clock"}`):
    the reason of the first member of `reasons`, in their order, that the policy sets;
    None when it sets none. The wrapper never applies such a member itself."""
    for member, reason in reasons.items():
        if policy.get(member) is not None:
            return reason
    return None


class PreparedVerifier:
    """The `verify` of `serve` for a wrapper that configures its library once per policy.

    `prepare(policy)`, called once per distinct policy (PreparedCache), returns the library
    configured for it: its `unsupported`, when it has one and it is set, says why the
    policy cannot be mapped; `verify(token)` returns the claims or raises; `error_kind(exc)`
    is the reject kind of what `verify` raised, or None. `unsupported_members` are the
    policy members the library cannot apply at all, with their reasons
    (`unsupported_member`): they are answered before anything is prepared."""

    def __init__(self, prepare, unsupported_members=None):
        self.prepared = PreparedCache(prepare)
        self.unsupported_members = unsupported_members or {}

    def __call__(self, message):
        case_id = message.get("id")
        policy = message["policy"]
        why = unsupported_member(policy, self.unsupported_members)
        if why:
            return unsupported(case_id, why)
        prepared = self.prepared.get(policy)
        if getattr(prepared, "unsupported", None):
            return unsupported(case_id, prepared.unsupported)
        try:
            claims = prepared.verify(message["token"])
        except Exception as e:  # any failure on attacker input is a rejection, never a crash
            return rejection(case_id, e, prepared.error_kind(e))
        return accepted(case_id, claims)


class ImportedKeys:
    """The policy's keys as the library imports them when the policy is prepared. A key
    the library refuses rejects every token verified under the policy, as it would in a
    service, instead of failing the preparation: `get()` raises the import's exception."""

    def __init__(self, import_keys, jwks):
        try:
            self.keys = import_keys(jwks)
            self.error = None
        except Exception as e:
            self.keys = None
            self.error = e

    def get(self):
        if self.error is not None:
            raise self.error
        return self.keys


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
    """The reply as one line of JSON text."""
    try:
        return json.dumps(well_formed(reply), allow_nan=False)
    except Exception as e:
        # Accepted claims JSON text cannot carry (NaN, nesting deeper than the encoder
        # goes): report the acceptance, with claims that fail the comparison visibly.
        reply = dict(reply, claims={"": f"claims not representable as JSON text ({type(e).__name__}: {e})"})
        return json.dumps(reply)


def unhandled_profile(message, profiles=()):
    """`unsupported` for a verify request whose policy names a profile not in `profiles`,
    else None."""
    profile = (message.get("policy") or {}).get("profile")
    if profile is None or profile in profiles:
        return None
    return unsupported(message.get("id"), f"the wrapper does not apply the {profile} profile")


def serve(hello_reply, verify, profiles=()):
    """The request loop: one message at a time, so answers leave in the order the
    requests came. A message that cannot be handled is logged and skipped. `profiles`
    names the profiles `verify` applies; a policy naming any other is `unsupported`."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            kind = message.get("type")
        except Exception as e:
            print(f"cannot read {line[:200]!r}: {e!r}", file=sys.stderr)
            continue
        try:
            if kind == "hello":
                reply = hello_reply()
            elif kind == "verify":
                reply = unhandled_profile(message, profiles) or verify(message)
            else:
                print(f"ignoring message of type {kind!r}", file=sys.stderr)
                continue
        except Exception as e:
            # A verify request always gets an answer: a failure the wrapper did not
            # expect is a rejection carrying its message, never a silent hang.
            print(f"cannot handle {line[:200]!r}: {e!r}", file=sys.stderr)
            if kind != "verify":
                continue
            reply = rejection(message.get("id"), e, "other")
        sys.stdout.write(encode(reply) + "\n")
        sys.stdout.flush()
