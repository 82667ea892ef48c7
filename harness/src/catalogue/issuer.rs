//! `issuer/*`: the `iss` claim (RFC 7519 section 4.1.1, RFC 8725 section 3.8).
//!
//! A verifier configured with an issuer accepts only tokens whose `iss` is exactly that
//! string (RFC 7519 section 7.3). PyJWT 2.10.0 compared with `in`, so any substring of
//! the expected issuer passed (CVE-2024-53861); other libraries accept an array of
//! issuers or skip the check when `iss` is not a string.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, claims_without, default_header, near_miss_cases, policy_for, signed, signed_bytes,
    valid_claims, STRING_COMPARISON,
};
use crate::context::Context;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;

const ISS_REQ: &str =
    "RFC 7519 4.1.1: \"The \"iss\" value is a case-sensitive string containing a StringOrURI \
        value\"; RFC 8725 3.8: the application \"MUST validate that the cryptographic keys used for \
        the cryptographic operations in the JWT belong to the issuer. If they do not, the \
        application MUST reject the JWT.\"";

/// The issuer cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let expected = expected_issuer(ctx);
    let mut out = Vec::new();
    out.extend(near_miss_cases("iss", &expected, ISS_REQ, |miss| {
        let mut refs = vec![
            "RFC7519#section-4.1.1",
            "RFC7519#section-7.3",
            "RFC8725#section-3.8",
        ];
        // PyJWT 2.10.0 accepted any iss that is a substring of the expected issuer.
        if miss.name == "substring" || miss.name == "prefix" {
            refs.push("CVE-2024-53861");
        }
        rejects(
            ctx,
            miss.name,
            miss.what,
            json!(miss.value),
            RejectKind::Issuer,
        )
        .refs(refs)
    }));
    out.push(
        case(
            ctx,
            "missing",
            "A token without iss is rejected by a verifier that expects an issuer",
        )
        .severity(Severity::High)
        .refs(["RFC7519#section-4.1.1", "RFC8725#section-3.8"])
        .sends(format!("no iss claim; the verifier expects {expected:?}"))
        .requirement(format!(
            "{ISS_REQ} A token that names no issuer cannot be shown to come from the one the \
                verifier trusts"
        ))
        .token(signed(ALG, &claims_without(ctx, "iss")))
        .expect_reject(RejectKind::Issuer)
        .control(signed(ALG, &valid_claims(ctx)))
        .build(),
    );
    for (name, what, iss) in [
        (
            "array-with-expected",
            "an array holding the expected issuer",
            json!([expected]),
        ),
        ("number", "a number", json!(12345)),
        (
            "object",
            "an object naming the expected issuer",
            json!({ "iss": expected }),
        ),
        ("null", "null", Value::Null),
    ] {
        let mut refs = vec!["RFC7519#section-4.1.1", "RFC7519#section-2"];
        if name == "array-with-expected" {
            refs.push("CVE-2024-53861");
        }
        out.push(
            rejects(ctx, name, what, iss.clone(), RejectKind::Malformed)
                .refs(refs)
                .sends(format!("iss {iss}"))
                .requirement(
                    "RFC 7519 4.1.1: \"The \"iss\" value is a case-sensitive string containing a \
                        StringOrURI value\"; unlike aud, iss has no array form, and any other JSON \
                        type is not a valid claim",
                )
                .build(),
        );
    }
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
        .sends(r#"iss written "https:\/\/issuer.example", JSON for the expected issuer"#)
        .requirement(format!(
            "{STRING_COMPARISON}: the first step is to \"Remove any JSON-applied escaping\""
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
        .sends(
            "iss \"https://other-issuer.example\"; the verifier is configured with no issuer",
        )
        .requirement(
            "RFC 7519 4.1.1: \"The processing of this claim is generally application specific\" and \
                \"Use of this claim is OPTIONAL\": with no issuer configured there is nothing to \
                compare",
        )
        .token(signed(ALG, &other))
        .expect_accept(&other)
        .build(),
    );
    out
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

fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("issuer/{name}"), title)
        .policy(issuer_policy(ctx))
        .needs_algorithms(&[ALG])
}

/// A high-severity case whose token carries `iss` (which is `what`) and must be
/// rejected as `kind`; its control has the expected issuer.
fn rejects(ctx: &Context, name: &str, what: &str, iss: Value, kind: RejectKind) -> CaseBuilder {
    case(
        ctx,
        name,
        &format!("A token whose iss is {what} is rejected"),
    )
    .severity(Severity::High)
    .token(signed(ALG, &claims_with(ctx, "iss", iss)))
    .expect_reject(kind)
    .control(signed(ALG, &valid_claims(ctx)))
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
