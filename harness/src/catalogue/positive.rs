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
                "RFC7515#section-5.2",
                "RFC7518#section-3.1",
                "RFC7519#section-4.1.4",
            ])
            .sends(format!(
                "a JWT signed with {alg} by the trusted key {}, exp three hours ahead",
                keys::default_key_name(alg)
            ))
            .requirement(
                "RFC 7519 7.2 lists the steps of validating a JWT (\"If any of the listed steps \
                 fail, then the JWT MUST be rejected\"), and this token passes every one: RFC \
                 7515 5.2 step 8 validates the signature \"in the manner defined for the \
                 algorithm being used\", which the policy allows, and it verifies under the \
                 trusted key; RFC 7519 4.1.4's \"the current date/time MUST be before the \
                 expiration date/time listed in the exp claim\" holds. No step leaves a choice \
                 (`rfc`): the token is a valid JWT, accepted with exactly the claims that were \
                 signed",
            )
            .rfc("RFC7519#section-7.2")
            .token(forge::jwt(alg, keys::default_key_name(alg), &claims))
            .policy(policy_for(ctx, alg))
            .expect_accept(&claims)
            .needs_algorithms(&[alg])
            .build()
        })
        .collect()
}
