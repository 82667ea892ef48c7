"""A policy's claim requirements as the claims options of Authlib's `authlib.jose` and of
joserfc, its successor by the same author, which take them in the same form.

A wrapper imports it beside `jwtc_protocol` (the same `sys.path` entry):

    from jwtc_claims_options import claims_options
"""


def claims_options(policy):
    """The claims options for `policy`: each required claim `{"essential": True}`, the issuer
    `{"value": iss}` and the audiences `{"values": [...]}`, essential only when the policy
    requires the claim. The library checks them; the wrapper never checks a claim itself."""
    options = {name: {"essential": True} for name in policy.get("required_claims") or []}
    if policy.get("issuer") is not None:
        options.setdefault("iss", {})["value"] = policy["issuer"]
    if policy.get("audience"):
        options.setdefault("aud", {})["values"] = list(policy["audience"])
    return options
