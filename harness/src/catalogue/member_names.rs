//! `member-names/*`: header parameters and claims whose names differ from registered
//! ones only in case (`ALG`, `Exp`, `AUD`).
//!
//! JSON names are compared code point by code point (RFC 8259 section 8.3; RFC 7519
//! section 7.3), so `EXP` is not `exp` but an unknown name, and unknown names are
//! ignored: "all Header Parameters not defined by this specification MUST be ignored
//! when not understood" (RFC 7515 section 4), "all claims that are not understood by
//! implementations MUST be ignored" (RFC 7519 section 4). A parser that matches names
//! case-insensitively (Go's encoding/json does, "preferring an exact match but also
//! accepting a case-insensitive match", and the later member wins) reads the variant as
//! the registered member: it refuses a valid token when the variant is harmful, and
//! accepts an invalid one when the variant repairs it. Both directions are sent: a
//! harmful variant beside the real member must be accepted unchanged, and a variant
//! after an invalid real member must not rescue it (`rfc` each way).

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{policy_for, signed, signed_bytes, valid_claims};
use crate::context::{Context, MARGIN};
use crate::forge;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example/orders";
const ELSEWHERE: &str = "https://attacker.example";

const CASE_SENSITIVE: &str = "RFC 7519 7.3 compares names after removing escaping, \"as a Unicode \
    code-point-to-code-point equality comparison\" (RFC 8259 8.3 likewise compares \"code unit \
    by code unit\"), so a name in other letter case is another name";
const HEADER_IGNORED: &str = "RFC 7515 4: \"Unless listed as a critical Header Parameter, per \
    Section 4.1.11, all Header Parameters not defined by this specification MUST be ignored when \
    not understood.\"";
const CLAIMS_IGNORED: &str = "RFC 7519 4: \"However, in the absence of such requirements, all \
    claims that are not understood by implementations MUST be ignored.\"";

/// The member-names cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = header_variants(ctx);
    out.extend(claim_variants(ctx));
    out
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("member-names/{name}"), title)
        .refs([
            "RFC7519#section-7.3",
            "RFC8259#section-8.3",
            "https://pkg.go.dev/encoding/json#Unmarshal",
        ])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

/// A JSON object's text with `(name, value)` members appended after its own.
fn appended(object: &Value, extra: &[(&str, Value)]) -> Vec<u8> {
    let text = object.to_string();
    let members: String = extra
        .iter()
        .map(|(name, value)| format!(",{}:{value}", Value::from(*name)))
        .collect();
    format!("{}{members}}}", &text[..text.len() - 1]).into_bytes()
}

fn header() -> Value {
    forge::header_for(ALG, forge::keys::private("oct-a"))
}

fn header_variants(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let payload = claims.to_string();
    let control = signed(ALG, &claims);
    let mut out = Vec::new();
    for (name, what, extra) in [
        (
            "upper-alg-none-beside-alg",
            "\"ALG\": \"none\" after \"alg\": \"HS256\"",
            vec![("ALG", json!("none"))],
        ),
        (
            "capitalised-alg-none-beside-alg",
            "\"Alg\": \"none\" after \"alg\": \"HS256\"",
            vec![("Alg", json!("none"))],
        ),
        (
            "upper-crit-unknown-extension",
            "\"CRIT\": [\"x-unknown\"] and \"x-unknown\": 1, no crit",
            vec![("CRIT", json!(["x-unknown"])), ("x-unknown", json!(1))],
        ),
        (
            "upper-kid-unknown",
            "\"KID\": \"no-such-key\" after the trusted kid",
            vec![("KID", json!("no-such-key"))],
        ),
        (
            "upper-b64-false",
            "\"B64\": false, no crit",
            vec![("B64", json!(false))],
        ),
    ] {
        out.push(
            case(ctx, name, &format!("A header with {what} is accepted"))
                .severity(Severity::Low)
                .refs(["RFC7515#section-4", "RFC7519#section-7.3"])
                .rfc("RFC7515#section-4")
                .sends(format!(
                    "the usual HS256 header with {what}, correctly MACed, valid claims"
                ))
                .requirement(format!(
                    "{CASE_SENSITIVE}. {HEADER_IGNORED} The token is valid: refusing it refuses \
                     a valid JWT (rfc)"
                ))
                .token(signed_bytes(
                    ALG,
                    &appended(&header(), &extra),
                    payload.as_bytes(),
                ))
                .expect_accept(&claims)
                .build(),
        );
    }
    let mut none_first = header();
    none_first["alg"] = json!("none");
    out.push(
        case(
            ctx,
            "alg-none-before-upper-alg",
            "A header with alg none and \"ALG\": \"HS256\" after it is rejected",
        )
        .severity(Severity::Critical)
        .refs(["RFC7518#section-3.6", "RFC7515#section-4.1.1"])
        .rfc("RFC7518#section-3.6")
        .sends(
            "header {\"alg\":\"none\",…,\"ALG\":\"HS256\"} with a valid HS256 MAC; a \
             case-insensitive reader takes the later ALG for alg",
        )
        .requirement(format!(
            "{CASE_SENSITIVE}: the header's alg is none. RFC 7518 3.6: \"Implementations MUST NOT \
             accept Unsecured JWSs by default.\" (rfc)"
        ))
        .token(signed_bytes(
            ALG,
            &appended(&none_first, &[("ALG", json!("HS256"))]),
            payload.as_bytes(),
        ))
        .expect_reject(RejectKind::Algorithm)
        .control(control)
        .build(),
    );
    out
}

/// The usual policy expecting an issuer and an audience.
fn principal_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.issuer = Some(ISSUER.to_string());
    policy.audience = vec![AUDIENCE.to_string()];
    policy
}

fn claim_variants(ctx: &Context) -> Vec<Case> {
    let header = header().to_string();
    let mut base = valid_claims(ctx);
    base["aud"] = json!(AUDIENCE);
    let control = signed(ALG, &base);
    let past = ctx.now - MARGIN;
    let future = ctx.now + MARGIN / 2;
    let mut out = Vec::new();
    for (name, what, extra) in [
        (
            "upper-exp-expired-beside-exp",
            "\"EXP\" three hours in the past after a valid exp",
            ("EXP", json!(past)),
        ),
        (
            "capitalised-exp-expired-beside-exp",
            "\"Exp\" three hours in the past after a valid exp",
            ("Exp", json!(past)),
        ),
        (
            "upper-nbf-future",
            "\"NBF\" ninety minutes ahead, no nbf",
            ("NBF", json!(future)),
        ),
        (
            "upper-aud-elsewhere-beside-aud",
            "\"AUD\" naming another audience after the expected aud",
            ("AUD", json!(ELSEWHERE)),
        ),
        (
            "upper-iss-elsewhere-beside-iss",
            "\"ISS\" naming another issuer after the expected iss",
            ("ISS", json!(ELSEWHERE)),
        ),
    ] {
        let payload = appended(&base, std::slice::from_ref(&extra));
        let claims: Value = serde_json::from_slice(&payload).expect("JSON");
        out.push(
            case(
                ctx,
                name,
                &format!("Claims with {what} are accepted unchanged"),
            )
            .severity(Severity::Low)
            .refs(["RFC7519#section-4", "RFC7519#section-7.3"])
            .rfc("RFC7519#section-4")
            .policy(principal_policy(ctx))
            .sends(format!(
                "valid claims (the expected iss and aud) with {what}, correctly MACed"
            ))
            .requirement(format!(
                "{CASE_SENSITIVE}. {CLAIMS_IGNORED} The token is valid and the unknown \
                     member is part of its claims: accept, handing it back (rfc)"
            ))
            .token(signed_bytes(ALG, header.as_bytes(), &payload))
            .expect_accept(&claims)
            .build(),
        );
    }
    for (name, claim, wrong, right, kind, basis, level_note) in [
        (
            "exp-expired-before-upper-exp",
            "exp",
            json!(past),
            json!(ctx.now + MARGIN),
            RejectKind::Expired,
            "RFC7519#section-4.1.4",
            "RFC 7519 4.1.4: \"The processing of the \"exp\" claim requires that the current \
             date/time MUST be before the expiration date/time listed in the \"exp\" claim.\" \
             (rfc)",
        ),
        (
            "nbf-future-before-upper-nbf",
            "nbf",
            json!(future),
            json!(ctx.now - 60),
            RejectKind::NotYetValid,
            "RFC7519#section-4.1.5",
            "RFC 7519 4.1.5: the current date/time \"MUST be after or equal to the not-before \
             date/time listed in the \"nbf\" claim\" (rfc)",
        ),
        (
            "aud-elsewhere-before-upper-aud",
            "aud",
            json!(ELSEWHERE),
            json!(AUDIENCE),
            RejectKind::Audience,
            "RFC7519#section-4.1.3",
            "RFC 7519 4.1.3: \"If the principal processing the claim does not identify itself \
             with a value in the \"aud\" claim when this claim is present, then the JWT MUST be \
             rejected.\" (rfc)",
        ),
        (
            "iss-elsewhere-before-upper-iss",
            "iss",
            json!(ELSEWHERE),
            json!(ISSUER),
            RejectKind::Issuer,
            "RFC8725#section-3.8",
            "RFC 8725 3.8: \"the application MUST validate that the cryptographic keys used for \
             the cryptographic operations in the JWT belong to the issuer\", and the policy \
             expects another issuer (bcp)",
        ),
    ] {
        let mut claims = base.clone();
        claims[claim] = wrong;
        let upper = claim.to_uppercase();
        let payload = appended(&claims, &[(&upper, right)]);
        let builder = case(
            ctx,
            name,
            &format!("A wrong {claim} is not rescued by an \"{upper}\" after it"),
        )
        .severity(Severity::High)
        .refs([basis, "RFC7519#section-7.3"]);
        let builder = if basis.starts_with("RFC8725") {
            builder.bcp(basis)
        } else {
            builder.rfc(basis)
        };
        out.push(
            builder
                .policy(principal_policy(ctx))
                .sends(format!(
                    "claims whose {claim} is wrong, followed by \"{upper}\" holding the value the \
                     verifier wants; a case-insensitive reader takes the later member for {claim}"
                ))
                .requirement(format!(
                    "{CASE_SENSITIVE}: the claims' {claim} is the wrong one, and {upper} is an \
                     unknown claim. {level_note}"
                ))
                .token(signed_bytes(ALG, header.as_bytes(), &payload))
                .expect_reject(kind)
                .control(control.clone())
                .build(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;

    #[test]
    fn each_token_carries_a_case_variant_of_a_registered_name_and_a_valid_mac() {
        const REGISTERED: [&str; 8] = ["alg", "crit", "kid", "b64", "exp", "nbf", "aud", "iss"];
        let all = cases(&Context::listing());
        assert_eq!(all.len(), 15);
        for case in &all {
            let mut names: Vec<String> = Vec::new();
            for i in [0, 1] {
                let object: serde_json::Map<String, Value> =
                    serde_json::from_slice(&segment(&case.token, i)).unwrap();
                names.extend(object.keys().cloned());
            }
            let variant = names.iter().any(|name| {
                let lower = name.to_lowercase();
                *name != lower && REGISTERED.contains(&lower.as_str())
            });
            assert!(variant, "{}: {names:?}", case.id);
            assert!(
                verifies(ALG, &crate::forge::keys::public("oct-a"), &case.token),
                "{}",
                case.id
            );
        }
    }
}
