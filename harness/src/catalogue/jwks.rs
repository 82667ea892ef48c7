//! `jwks/*`: verifiers that fetch their keys from a remote JWK Set (RFC 7517 section 5;
//! OpenID Connect Core section 10.1.1), scripted step by step against the loopback
//! issuer (see [`crate::scenario`]).
//!
//! K1 is the key the issuer starts with, K2 the key it rotates in; every token is an
//! ES256 token whose `kid` names its key. Cache settings are short, so a case takes well
//! under a second: the verifier may fetch again after [`COOLDOWN_MS`] for an unknown
//! `kid`, and must refresh the set after [`MAX_AGE_MS`].

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::valid_claims;
use crate::context::Context;
use crate::forge::{self, keys};
use crate::issuer::Reply;
use crate::jwk::JwkSet;
use crate::policy::{Policy, RemoteJwks};
use crate::scenario::Step;
use serde_json::Value;

const ALG: Alg = Alg::ES256;
/// The key the issuer serves first.
const K1: &str = "ec-p256-a";

/// The least time between fetches for an unknown `kid`.
pub const COOLDOWN_MS: u64 = 200;
/// How long a fetched set may be used.
pub const MAX_AGE_MS: u64 = 600;
/// How long one fetch may take.
pub const TIMEOUT_MS: u64 = 500;

/// The jwks cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let valid = token(ctx, K1);
    vec![case(
        ctx,
        "many-tokens-one-fetch",
        "Twenty tokens within the max age cost one fetch of the key set",
    )
    .severity(Severity::Medium)
    .strict("RFC7517#section-5")
    .refs(["RFC7517#section-5", "OIDC-Core#section-10.1.1"])
    .sends(format!(
        "twenty valid ES256 tokens signed by {K1}, all within the {MAX_AGE_MS} ms max age of the \
         key set the issuer serves"
    ))
    .requirement(
        "RFC 7517 section 5 defines the JWK Set a verifier fetches; caching it for its max age is \
         what keeps a busy verifier from fetching it on every token (a convention of this suite: \
         no RFC bounds the number of fetches)",
    )
    .token(valid.clone())
    .expect_accept(&valid_claims(ctx))
    .scenario(vec![
        Step::serve(set(&[K1])),
        Step::Flood {
            tokens: vec![valid; 20],
            threads: 1,
            expect: crate::case::Expected::accept(&valid_claims(ctx)),
            why: "every token verifies with K1".to_string(),
        },
        Step::fetches(1, 1, "one fetch serves every token within the max age"),
    ])
    .build()]
}

/// A jwks case: its policy trusts only the key set at its own issuer path.
#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    let id = format!("jwks/{name}");
    Case::builder(&id, title)
        .policy(remote_policy(ctx, &id))
        .needs_algorithms(&[ALG])
}

/// ES256 only, no policy keys, the case's remote key set with the short cache settings.
fn remote_policy(ctx: &Context, id: &str) -> Policy {
    let mut policy = Policy::new(JwkSet::default(), vec![ALG], ctx.policy_now());
    policy.jwks = Some(RemoteJwks {
        uri: ctx.jwks_uri(id),
        cooldown_ms: COOLDOWN_MS,
        max_age_ms: MAX_AGE_MS,
        timeout_ms: TIMEOUT_MS,
    });
    policy
}

/// The public JWK Set of the fixture keys `names`, as the issuer serves it.
fn set(names: &[&str]) -> Reply {
    let jwks = serde_json::to_value(keys::public_set(names)).unwrap_or(Value::Null);
    Reply::json(&jwks)
}

/// A valid ES256 token whose `kid` names `key`.
fn token(ctx: &Context, key: &str) -> String {
    forge::jwt(ALG, key, &valid_claims(ctx))
}
