//! `positive/*`: a well-formed, correctly signed token for every algorithm, inside its
//! policy. A verifier that rejects these is unusable; one that changes the claims is
//! lying to its caller.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy_for, valid_claims};
use crate::context::Context;
use crate::forge::{self, keys};

/// One accept case per algorithm.
pub fn cases(ctx: &Context) -> Vec<Case> {
    Alg::ALL
        .into_iter()
        .map(|alg| {
            let claims = valid_claims(ctx);
            Case::builder(
                format!("positive/{}", alg.slug()),
                format!("A valid {alg} JWT is accepted with exactly its claims"),
            )
            .severity(Severity::Low)
            .refs([
                "RFC7519#section-7.2",
                "RFC7515#section-5.2",
                "RFC7518#section-3.1",
            ])
            .sends(format!(
                "a JWT signed with {alg} by the trusted key {}, exp three hours ahead",
                keys::default_key_name(alg)
            ))
            .requirement(
                "RFC 7519 7.2: a JWT whose signature validates and whose claims are valid is \
                 accepted, and the claims returned are those that were signed",
            )
            .token(forge::jwt(alg, keys::default_key_name(alg), &claims))
            .policy(policy_for(ctx, alg))
            .expect_accept(&claims)
            .needs_algorithms(&[alg])
            .build()
        })
        .collect()
}
