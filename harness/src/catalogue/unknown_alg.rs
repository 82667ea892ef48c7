//! `unknown-alg/*`: `alg` values that are not a registered JWS algorithm, or that differ
//! from one by case, whitespace or a NUL; and registered algorithms the trusted key
//! could verify but the policy does not allow.
//!
//! RFC 7515 4.1.1: the `alg` value "is a case-sensitive ASCII string"; "This Header
//! Parameter MUST be present and MUST be understood and processed by implementations";
//! "The JWS Signature value is not valid if the "alg" value does not represent a
//! supported algorithm": a label that names no supported algorithm is an `rfc` rejection.
//! RFC 8725 3.1: libraries "MUST NOT use any other algorithms" than the caller allowed:
//! a genuine signature by a trusted key with a registered algorithm the policy leaves
//! out is a `bcp` rejection (the JOSE RFCs alone say SHOULD).
//! Each token carries valid claims, the trusted `kid` and the trusted key's genuine
//! signature for the policy's (or the named) algorithm, so only its `alg` is wrong and
//! each case expects an `algorithm` rejection.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy, valid_claims};
use crate::context::Context;
use crate::forge::draft::{header_with_alg, Draft};
use crate::forge::{self, keys};
use crate::verdict::RejectKind;
use serde_json::json;

const LABEL_REFS: [&str; 2] = ["RFC7515#section-4.1.1", "RFC8725#section-3.1"];
const POLICY_REFS: [&str; 3] = [
    "RFC7515#section-5.2",
    "RFC8725#section-3.1",
    "RFC8725#section-3.2",
];

/// The `unknown-alg` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    vec![
        mislabelled(ctx, "foo", "foo", Alg::HS256, "a name no registry has"),
        mislabelled(
            ctx,
            "lower-case-hs256",
            "hs256",
            Alg::HS256,
            "HS256 in lower case",
        ),
        mislabelled(
            ctx,
            "hs256-trailing-space",
            "HS256 ",
            Alg::HS256,
            "HS256 followed by a space",
        ),
        mislabelled(
            ctx,
            "hs256-leading-space",
            " HS256",
            Alg::HS256,
            "HS256 preceded by a space",
        ),
        mislabelled(
            ctx,
            "rs256-nul-terminated",
            "RS256\u{0}",
            Alg::RS256,
            "RS256 followed by U+0000",
        ),
        mislabelled(
            ctx,
            "es256k",
            "ES256K",
            Alg::ES256,
            "ES256K (secp256k1, RFC 8812), which the policy does not name and no trusted key \
             can do",
        ),
        mislabelled(
            ctx,
            "jwe-rsa-oaep",
            "RSA-OAEP",
            Alg::RS256,
            "RSA-OAEP, a JWE key-management algorithm",
        ),
        not_allowed(
            ctx,
            "rs512-under-rs256-policy",
            (Alg::RS512, "rsa-2048-a"),
            (Alg::RS256, "rsa-2048-a"),
        ),
        not_allowed(
            ctx,
            "ps256-under-rs256-policy",
            (Alg::PS256, "rsa-2048-a"),
            (Alg::RS256, "rsa-2048-a"),
        ),
        not_allowed(
            ctx,
            "hs512-under-hs256-policy",
            (Alg::HS512, "oct-a"),
            (Alg::HS256, "oct-a"),
        ),
        not_allowed(
            ctx,
            "es512-under-es256-policy",
            (Alg::ES512, "ec-p521-a"),
            (Alg::ES256, "ec-p256-a"),
        ),
    ]
}

/// `alg` is `label`; the signature is the trusted key's genuine `alg` signature.
#[track_caller]
fn mislabelled(ctx: &Context, name: &str, label: &str, alg: Alg, what: &str) -> Case {
    let key = keys::default_key_name(alg);
    let claims = valid_claims(ctx);
    let draft = Draft::json(&header_with_alg(Some(json!(label)), key), &claims);
    Case::builder(
        format!("unknown-alg/{name}"),
        format!("alg {label:?} is rejected by a verifier allowing {alg}"),
    )
    .severity(Severity::Medium)
    .refs(LABEL_REFS)
    .sends(format!(
        "header alg {label:?} ({what}), kid {key}, valid claims, and the genuine {alg} signature \
         of the signing input by {key}; the policy allows {alg} only"
    ))
    .requirement(
        "RFC 7515 4.1.1: \"The \"alg\" value is a case-sensitive ASCII string\"; \"This Header \
         Parameter MUST be present and MUST be understood and processed by implementations\"; \
         \"The JWS Signature value is not valid if the \"alg\" value does not represent a \
         supported algorithm or if there is not a key for use with that algorithm associated \
         with the party that digitally signed or MACed the content.\" This label names no \
         algorithm the verifier supports with its trusted key, and is never mapped to a \
         registered name: the signature is not valid and the JWT MUST be rejected (RFC 7519 \
         7.2), `rfc`. RFC 8725 3.1 forbids using any algorithm the caller did not allow as \
         well",
    )
    .rfc("RFC7515#section-4.1.1")
    .token(draft.signed(alg, key))
    .policy(policy(ctx, &[alg], &[key]))
    .expect_reject(RejectKind::Algorithm)
    .needs_algorithms(&[alg])
    .control(forge::jwt(alg, key, &claims))
    .build()
}

/// A token correctly signed with `used` by a trusted key, under a policy allowing only
/// `allowed`; each pair is an algorithm and the fixture key it is used with.
#[track_caller]
fn not_allowed(ctx: &Context, name: &str, used: (Alg, &str), allowed: (Alg, &str)) -> Case {
    let ((used, used_key), (allowed, allowed_key)) = (used, allowed);
    let claims = valid_claims(ctx);
    let mut trusted = vec![allowed_key];
    if used_key != allowed_key {
        trusted.push(used_key);
    }
    Case::builder(
        format!("unknown-alg/{name}"),
        format!("a valid {used} token is rejected when the policy allows only {allowed}"),
    )
    .severity(Severity::High)
    .refs(POLICY_REFS)
    .sends(format!(
        "a token correctly signed with {used} by the trusted key {used_key}, valid claims; the \
         policy trusts {} but allows only {allowed}",
        trusted.join(" and ")
    ))
    .requirement(
        "RFC 8725 3.1: \"Libraries MUST enable the caller to specify a supported set of \
         algorithms and MUST NOT use any other algorithms when performing cryptographic \
         operations.\" The caller's set is the policy's, which leaves this algorithm out. The \
         signature is genuine, so the JOSE RFCs alone only say SHOULD (RFC 7515 5.2: \"unless \
         the algorithm(s) used in the JWS are acceptable to the application, it SHOULD \
         consider the JWS to be invalid\"; RFC 7519 7.2 likewise): a MUST of RFC 8725, \
         `bcp`",
    )
    .bcp("RFC8725#section-3.1")
    .token(forge::jwt(used, used_key, &claims))
    .policy(policy(ctx, &[allowed], &trusted))
    .expect_reject(RejectKind::Algorithm)
    .needs_algorithms(&[allowed])
    .control(forge::jwt(allowed, allowed_key, &claims))
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{assert_same_claims_as_control, header_of, listed, verifies_as};

    #[test]
    fn only_alg_makes_each_token_invalid() {
        let all = listed(cases, 11);
        assert_same_claims_as_control(&all);
        for case in &all {
            let label = header_of(&case.token)["alg"].as_str().unwrap().to_string();
            let allowed = case.policy.algorithms[0];
            assert!(
                !case.policy.algorithms.iter().any(|a| a.as_str() == label),
                "{}",
                case.id
            );
            // The signature is genuine: for the label's algorithm where it names one the
            // key can do, else for the policy's.
            let signed_as = label.parse::<Alg>().unwrap_or(allowed);
            assert!(
                verifies_as(&case.token, signed_as, &case.policy),
                "{}",
                case.id
            );
        }
    }
}
