//! Building blocks shared by the catalogue's classes.

use crate::alg::Alg;
use crate::context::{Context, MARGIN};
use crate::forge::keys;
use crate::policy::Policy;
use serde_json::{json, Value};

/// An ordinary claim set valid at `ctx.now`: issued now, expiring well after.
pub fn valid_claims(ctx: &Context) -> Value {
    json!({
        "iss": "https://issuer.example",
        "sub": "conformance-subject",
        "iat": ctx.now,
        "exp": ctx.now + MARGIN,
    })
}

/// A policy trusting the fixture keys `key_names` for `algs`, requiring `exp`.
pub fn policy(ctx: &Context, algs: &[Alg], key_names: &[&str]) -> Policy {
    Policy::new(keys::public_set(key_names), algs.to_vec(), ctx.policy_now())
}

/// The usual policy for one algorithm: its default fixture key, only that algorithm.
pub fn policy_for(ctx: &Context, alg: Alg) -> Policy {
    policy(ctx, &[alg], &[keys::default_key_name(alg)])
}
