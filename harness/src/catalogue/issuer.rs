//! `issuer/*`: the `iss` claim (RFC 7519 section 4.1.1, RFC 8725 section 3.8).
//!
//! A verifier configured with an issuer accepts only tokens whose `iss` is exactly that
//! string (RFC 7519 section 7.3). PyJWT 2.10.0 compared with `in`, so any substring of
//! the expected issuer passed (CVE-2024-53861); other libraries accept an array of
//! issuers or skip the check when `iss` is not a string.
//!
//! Levels: RFC 7519 leaves `iss` to the application ("The processing of this claim is
//! generally application specific"); RFC 8725 3.8 binds it: "When a JWT contains an
//! "iss" (issuer) claim, the application MUST validate that the cryptographic keys used
//! for the cryptographic operations in the JWT belong to the issuer. If they do not,
//! the application MUST reject the JWT." The policy trusts the keys of the expected
//! issuer, so a token naming any other issuer is `bcp` reject. An absent or `null`
//! `iss` depends on the policy: RFC 7519 makes the claim optional, so where the policy
//! expects an issuer without requiring the claim (`missing`, `null`) refusing is
//! `strict`; where it also lists `iss` in its required claims (`missing-required`,
//! `null-required`) the deployment asks every token to name the issuer whose keys
//! section 3.8 validates, and the token is `bcp` reject. An array holding the expected
//! issuer is `strict`: the keys belong to that issuer either way, so it is a type
//! confusion, not a token from another issuer.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, claims_without, default_header, exact_comparison, near_misses, policy_for, signed,
    signed_bytes, valid_claims,
};
use crate::context::Context;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;

/// RFC 8725 3.8, the `bcp` rule for a present `iss`.
const KEYS_REQ: &str = "RFC 8725 3.8: \"When a JWT contains an \"iss\" (issuer) claim, the \
    application MUST validate that the cryptographic keys used for the cryptographic operations in \
    the JWT belong to the issuer. If they do not, the application MUST reject the JWT.\"";
/// RFC 7519 4.1.1, the type of `iss` and its being optional.
const ISS_TYPE: &str = "RFC 7519 4.1.1: \"The processing of this claim is generally application \
    specific. The \"iss\" value is a case-sensitive string containing a StringOrURI value. Use of \
    this claim is OPTIONAL.\"";
/// Why the twins whose policy does not require `iss` are `strict`.
const NOT_REQUIRED: &str = "The policy expects an issuer but does not list iss in its required \
    claims: the claim is optional, and RFC 8725 3.8 binds a token that contains one, so refusing \
    a token that names no issuer is hardening (strict); a verifier that compares iss only when \
    present accepts it. The -required twin of this case lists iss and is bcp";
/// Why the twins whose policy requires `iss` are `bcp`.
const REQUIRED: &str =
    "The policy expects an issuer and lists iss in its required claims (RFC 7519 \
    4: \"The set of claims that a JWT must contain to be considered valid is context \
    dependent\"): the deployment asks every token to name the issuer whose keys RFC 8725 3.8 has \
    the application validate, and a token that names none gives that check nothing to validate, \
    so it is refused (bcp); the reject kind is missing-claim. Its twin without the requirement is \
    strict";

/// The issuer cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let expected = expected_issuer(ctx);
    let mut out = Vec::new();
    for miss in near_misses(&expected) {
        let mut refs = vec![
            "RFC7519#section-4.1.1",
            "RFC7519#section-7.3",
            "RFC8725#section-3.8",
        ];
        // PyJWT 2.10.0 accepted any iss that is a substring of the expected issuer.
        if miss.name == "substring" || miss.name == "prefix" {
            refs.push("CVE-2024-53861");
        }
        out.push(
            rejects(
                ctx,
                miss.name,
                miss.what,
                json!(miss.value),
                RejectKind::Issuer,
            )
            .refs(refs)
            .sends(miss.describe("iss", &expected))
            .requirement(format!(
                "{KEYS_REQ} {} The token names another issuer than the one whose keys the verifier \
                    trusts, so the keys do not belong to the issuer it names (bcp)",
                exact_comparison()
            ))
            .build(),
        );
    }
    out.extend(absent_or_null(ctx, &expected));
    for (name, what, iss) in [
        ("number", "a number", json!(12345)),
        (
            "object",
            "an object naming the expected issuer",
            json!({ "iss": expected }),
        ),
    ] {
        out.push(
            rejects(ctx, name, what, iss.clone(), RejectKind::Malformed)
                .refs(["RFC7519#section-4.1.1", "RFC8725#section-3.8"])
                .sends(format!("iss {iss}; the verifier expects {expected:?}"))
                .requirement(format!(
                    "{ISS_TYPE} {KEYS_REQ} The token contains an iss, and a number or an object \
                        is not the issuer whose keys the verifier trusts: rejected whether read as \
                        malformed or as another issuer (bcp)"
                ))
                .build(),
        );
    }
    out.push(
        rejects(
            ctx,
            "array-with-expected",
            "an array holding the expected issuer",
            json!([expected]),
            RejectKind::Malformed,
        )
        .refs([
            "RFC7519#section-4.1.1",
            "RFC8725#section-3.8",
            "CVE-2024-53861",
        ])
        .strict("RFC7519#section-4.1.1")
        .sends(format!("iss {}", json!([expected])))
        .requirement(format!(
            "{ISS_TYPE} Unlike aud, iss has no array form, so the claim is malformed; but the \
                keys do belong to the issuer the array names, so RFC 8725 3.8's MUST-reject does \
                not apply: this is a type confusion, not a token from another issuer, and refusing \
                it is hardening (strict)"
        ))
        .build(),
    );
    // The same claims with the solidus escaped as `\/`: after JSON unescaping it is
    // exactly the expected issuer, so byte comparison of the raw text would be wrong.
    let claims = valid_claims(ctx);
    let escaped = claims
        .to_string()
        .replace("https://issuer.example", "https:\\/\\/issuer.example");
    out.push(
        case(
            ctx,
            "escaped-solidus",
            "A token whose iss matches only after JSON unescaping is accepted",
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-7.3", "RFC8259#section-7"])
        .rfc("RFC7519#section-7.3")
        .sends(r#"iss written "https:\/\/issuer.example", JSON for the expected issuer"#)
        .requirement(format!(
            "{} RFC 8259 8.3: \"implementations that compare strings with escaped characters \
                unconverted may incorrectly find that \"a\\\\b\" and \"a\\u005Cb\" are not \
                equal.\" Unescaped, the value is the expected issuer, so refusing the token \
                refuses a valid JWT (rfc)",
            exact_comparison()
        ))
        .token(signed_bytes(
            ALG,
            default_header(ALG).to_string().as_bytes(),
            escaped.as_bytes(),
        ))
        .expect_accept(&claims)
        .build(),
    );
    let other = claims_with(ctx, "iss", "https://other-issuer.example");
    out.push(
        case(
            ctx,
            "unchecked",
            "Without an expected issuer, any iss is accepted",
        )
        .policy(policy_for(ctx, ALG))
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.1"])
        .rfc("RFC7519#section-4.1.1")
        .sends("iss \"https://other-issuer.example\"; the verifier is configured with no issuer")
        .requirement(format!(
            "{ISS_TYPE} With no issuer configured there is nothing to compare, and RFC 7519 4: \
                \"all claims that are not understood by implementations MUST be ignored\": \
                refusing the token refuses a valid JWT (rfc)"
        ))
        .token(signed(ALG, &other))
        .expect_accept(&other)
        .build(),
    );
    out
}

/// No `iss`, or `iss: null`, under a policy expecting an issuer: `strict` where the
/// policy does not require the claim, `bcp` where it does.
fn absent_or_null(ctx: &Context, expected: &str) -> Vec<Case> {
    let absent = claims_without(ctx, "iss");
    let null = claims_with(ctx, "iss", Value::Null);
    let mut requiring = issuer_policy(ctx);
    requiring.required_claims.push("iss".to_string());
    let refs = [
        "RFC7519#section-4.1.1",
        "RFC7519#section-4",
        "RFC8725#section-3.8",
    ];
    vec![
        case(
            ctx,
            "missing",
            "A token without iss is rejected by a verifier that expects an issuer",
        )
        .severity(Severity::High)
        .refs(refs)
        .strict("RFC7519#section-4.1.1")
        .sends(format!(
            "no iss claim; the verifier expects {expected:?} and requires only exp"
        ))
        .requirement(format!("{ISS_TYPE} {KEYS_REQ} {NOT_REQUIRED}"))
        .token(signed(ALG, &absent))
        .expect_reject(RejectKind::Issuer)
        .control(control(ctx))
        .build(),
        case(ctx, "null", "A token whose iss is null is rejected")
            .severity(Severity::High)
            .refs(refs)
            .strict("RFC7519#section-4.1.1")
            .sends(format!(
                "iss null; the verifier expects {expected:?} and requires only exp"
            ))
            .requirement(format!(
                "{ISS_TYPE} {KEYS_REQ} null names no issuer: a verifier may read it as an absent \
                claim. {NOT_REQUIRED}; the hardened reading refuses null as a claim of the wrong \
                type"
            ))
            .token(signed(ALG, &null))
            .expect_reject(RejectKind::Malformed)
            .control(control(ctx))
            .build(),
        case(
            ctx,
            "missing-required",
            "A token without iss is rejected by a verifier that requires one",
        )
        .policy(requiring.clone())
        .severity(Severity::High)
        .refs(refs)
        .bcp("RFC8725#section-3.8")
        .sends(format!(
            "no iss claim; the verifier expects {expected:?} and requires exp and iss"
        ))
        .requirement(format!("{KEYS_REQ} {REQUIRED}"))
        .token(signed(ALG, &absent))
        .expect_reject(RejectKind::MissingClaim)
        .control(control(ctx))
        .build(),
        case(
            ctx,
            "null-required",
            "A token whose iss is null is rejected by a verifier that requires one",
        )
        .policy(requiring)
        .severity(Severity::High)
        .refs(refs)
        .bcp("RFC8725#section-3.8")
        .sends(format!(
            "iss null; the verifier expects {expected:?} and requires exp and iss"
        ))
        .requirement(format!(
            "{KEYS_REQ} null names no issuer, so the required claim has no value. {REQUIRED}"
        ))
        .token(signed(ALG, &null))
        .expect_reject(RejectKind::MissingClaim)
        .control(control(ctx))
        .build(),
    ]
}

/// The issuer of [`valid_claims`].
fn expected_issuer(ctx: &Context) -> String {
    valid_claims(ctx)["iss"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The usual policy, expecting the issuer of [`valid_claims`].
fn issuer_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.issuer = Some(expected_issuer(ctx));
    policy
}

/// The token every issuer attack is a variation of: the expected issuer.
fn control(ctx: &Context) -> String {
    signed(ALG, &valid_claims(ctx))
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("issuer/{name}"), title)
        .policy(issuer_policy(ctx))
        .needs_algorithms(&[ALG])
}

/// A high-severity `bcp` case whose token carries `iss` (which is `what`) and must be
/// rejected as `kind`; its control has the expected issuer.
#[track_caller]
fn rejects(ctx: &Context, name: &str, what: &str, iss: Value, kind: RejectKind) -> CaseBuilder {
    case(
        ctx,
        name,
        &format!("A token whose iss is {what} is rejected"),
    )
    .severity(Severity::High)
    .bcp("RFC8725#section-3.8")
    .token(signed(ALG, &claims_with(ctx, "iss", iss)))
    .expect_reject(kind)
    .control(control(ctx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Level;
    use crate::catalogue::common::testing::case_by_id;
    use crate::forge;

    #[test]
    fn the_escaped_issuer_is_escaped_in_the_token_and_equal_once_parsed() {
        let cases = cases(&Context::listing());
        let case = cases
            .iter()
            .find(|c| c.id == "issuer/escaped-solidus")
            .unwrap();
        let payload = forge::decode(&case.token).payload.unwrap();
        let text = String::from_utf8(payload.clone()).unwrap();
        assert!(
            text.contains(r#""iss":"https:\/\/issuer.example""#),
            "{text}"
        );
        let parsed: Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(parsed["iss"], json!(expected_issuer(&Context::listing())));
    }

    #[test]
    fn the_twins_differ_only_in_whether_the_policy_requires_iss() {
        let cases = cases(&Context::listing());
        for (loose, required) in [
            ("issuer/missing", "issuer/missing-required"),
            ("issuer/null", "issuer/null-required"),
        ] {
            let loose = case_by_id(&cases, loose);
            let required = case_by_id(&cases, required);
            assert_eq!(loose.token, required.token);
            assert_eq!(loose.control_token(), required.control_token());
            let mut same = required.policy.clone();
            same.required_claims.retain(|c| c != "iss");
            assert_eq!(same, loose.policy);
            assert!(required.policy.required_claims.contains(&"iss".to_string()));
            assert_eq!((loose.level, required.level), (Level::Strict, Level::Bcp));
        }
    }
}
