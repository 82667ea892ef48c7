//! `audience/*`: the `aud` claim (RFC 7519 section 4.1.3, RFC 8725 section 3.9).
//!
//! A token minted for one service must not be accepted by another. The comparison is
//! exact, code point by code point (RFC 7519 section 7.3): prefixes, substrings, case
//! and Unicode look-alikes are different audiences. `aud` is a string or an array of
//! strings; the token is for this verifier if any of them is one it accepts.
//!
//! Levels: an `aud` that is present but names no audience the verifier accepts is `rfc`
//! reject (RFC 7519 4.1.3: "If the principal processing the claim does not identify
//! itself with a value in the "aud" claim when this claim is present, then the JWT MUST
//! be rejected"). An absent or `null` `aud` depends on the policy. RFC 7519 makes the
//! claim optional, and RFC 8725 3.9's MUST holds "in such cases", where one issuer
//! serves several relying parties; a deployment says it is such a case by requiring
//! `aud`. So `missing` and `null`, whose policy expects an audience without requiring
//! the claim, are `strict` (refusing is hardening), and their twins `missing-required`
//! and `null-required`, whose policy also lists `aud` in its required claims, are `bcp`
//! reject. A type error beside an accepted audience (`array-with-number`) is `strict`.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, claims_without, exact_comparison, near_misses, policy_for, signed, valid_claims,
};
use crate::context::Context;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;
/// The audience the verifier identifies itself with.
const EXPECTED: &str = "https://api.example/orders";
/// Another audience, accepted only where a case says so.
const OTHER: &str = "https://billing.example/invoices";

/// RFC 7519 4.1.3, the `rfc` rule for a present `aud`.
const AUD_REQ: &str = "RFC 7519 4.1.3: \"Each principal intended to process the JWT MUST identify \
    itself with a value in the audience claim. If the principal processing the claim does not \
    identify itself with a value in the \"aud\" claim when this claim is present, then the JWT MUST \
    be rejected.\"";
/// RFC 7519 4.1.3, the type of `aud`.
const TYPE_REQ: &str = "RFC 7519 4.1.3: \"In the general case, the \"aud\" value is an array of \
    case-sensitive strings, each containing a StringOrURI value. In the special case when the JWT \
    has one audience, the \"aud\" value MAY be a single case-sensitive string containing a \
    StringOrURI value.\"";
/// RFC 8725 3.9, whose MUST binds a deployment whose issuer serves several parties.
const BCP_REQ: &str = "RFC 8725 3.9: \"If the same issuer can issue JWTs that are intended for use \
    by more than one relying party or application, the JWT MUST contain an \"aud\" (audience) claim \
    that can be used to determine whether the JWT is being used by an intended party or was \
    substituted by an attacker at an unintended party. In such cases, the relying party or \
    application MUST validate the audience value, and if the audience value is not present or not \
    associated with the recipient, it MUST reject the JWT.\"";
/// Why the twins whose policy does not require `aud` are `strict`.
const NOT_REQUIRED: &str = "The policy expects an audience but does not list aud in its required \
    claims. RFC 7519 4.1.3 says of aud \"Use of this claim is OPTIONAL\", and RFC 8725 3.9's MUST \
    holds \"In such cases\", where the issuer serves several relying parties, which a deployment \
    says by requiring the claim (the -required twin of this case, bcp). Without that, refusing the \
    token is hardening (strict): a verifier that checks aud only when present accepts it";
/// Why the twins whose policy requires `aud` are `bcp`.
const REQUIRED: &str = "The policy expects an audience and lists aud in its required claims: the \
    deployment says its issuer serves several relying parties, so RFC 8725 3.9's condition holds \
    and the token must be refused (bcp); the reject kind is missing-claim. Its twin without the \
    requirement is strict";

/// The audience cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    for miss in near_misses(EXPECTED) {
        out.push(
            rejects(
                ctx,
                miss.name,
                miss.what,
                json!(miss.value),
                RejectKind::Audience,
            )
            .sends(miss.describe("aud", EXPECTED))
            .requirement(format!(
                "{AUD_REQ} {} The value is not the expected audience, so the verifier does \
                        not identify itself with it (rfc)",
                exact_comparison()
            ))
            .build(),
        );
    }
    out.extend(absent_or_null(ctx));
    for (name, what, aud) in [
        ("empty-array", "an empty array", json!([])),
        (
            "array-empty-string",
            "an array holding the empty string",
            json!([""]),
        ),
        (
            "array-without-expected",
            "an array of two other audiences",
            json!([OTHER, "https://attacker.example"]),
        ),
    ] {
        out.push(
            rejects(ctx, name, what, aud.clone(), RejectKind::Audience)
                .sends(format!("aud {aud}; the verifier expects {EXPECTED:?}"))
                .requirement(format!(
                    "{AUD_REQ} The claim is present and holds no value the verifier identifies \
                        itself with (rfc)"
                ))
                .build(),
        );
    }
    for (name, what, aud) in [
        ("number", "a number", json!(12345)),
        (
            "object",
            "an object naming the expected audience",
            json!({ "aud": EXPECTED }),
        ),
    ] {
        out.push(
            rejects(ctx, name, what, aud.clone(), RejectKind::Malformed)
                .sends(format!("aud {aud}; the verifier expects {EXPECTED:?}"))
                .requirement(format!(
                    "{TYPE_REQ} {AUD_REQ} The claim is present, and a number or an object is \
                        not a value the verifier can identify itself with: rejected whether read \
                        as malformed or as the wrong audience (rfc)"
                ))
                .build(),
        );
    }
    out.push(
        rejects(
            ctx,
            "array-with-number",
            "an array of the expected audience and a number",
            json!([EXPECTED, 1]),
            RejectKind::Malformed,
        )
        .strict("RFC7519#section-4.1.3")
        .sends(format!("aud {}; the verifier expects {EXPECTED:?}", json!([EXPECTED, 1])))
        .requirement(format!(
            "{TYPE_REQ} The number breaks the claim's type, but the verifier does identify itself \
                with a value of the claim, so RFC 7519 4.1.3's MUST-reject does not apply: refusing \
                the malformed claim is hardening (strict)"
        ))
        .build(),
    );
    for (name, what, aud) in [
        (
            "array-with-expected",
            "an array ending with the expected audience",
            json!([OTHER, EXPECTED]),
        ),
        (
            "array-expected-first",
            "an array starting with the expected audience",
            json!([EXPECTED, OTHER]),
        ),
    ] {
        out.push(
            accepts(
                ctx,
                name,
                &format!("A token whose aud is {what} is accepted"),
                claims_with(ctx, "aud", aud.clone()),
            )
            .sends(format!("aud {aud}; the verifier expects {EXPECTED:?}"))
            .requirement(format!(
                "{AUD_REQ} {TYPE_REQ} One value of the array is the verifier's own audience, so \
                    the token is meant for it: refusing it refuses a valid JWT (rfc)"
            ))
            .build(),
        );
    }
    let mut two_audiences = audience_policy(ctx);
    two_audiences.audience.push(OTHER.to_string());
    out.push(
        accepts(
            ctx,
            "second-of-accepted",
            "A token for the second of two accepted audiences is accepted",
            claims_with(ctx, "aud", OTHER),
        )
        .policy(two_audiences)
        .sends(format!(
            "aud {OTHER:?}; the verifier accepts {EXPECTED:?} and {OTHER:?}"
        ))
        .requirement(format!(
            "{AUD_REQ} The verifier identifies itself with either accepted audience, so the token \
                is meant for it (rfc)"
        ))
        .build(),
    );
    out.push(
        case(
            ctx,
            "unexpected",
            "A token with aud is rejected by a verifier that expects none",
        )
        .policy(policy_for(ctx, ALG))
        .severity(Severity::High)
        .refs(["RFC7519#section-4.1.3", "RFC8725#section-3.9"])
        .strict("RFC7519#section-4.1.3")
        .sends(format!(
            "aud {EXPECTED:?}; the verifier is configured with no audience"
        ))
        .requirement(format!(
            "{AUD_REQ} The MUST binds the principal processing the claim, and RFC 7519 4.1.3 \
                adds \"The interpretation of audience values is generally application \
                specific\": a verifier told no audience has no identity to compare and may leave \
                the claim to its application. Refusing a token meant for some audience, as if \
                the verifier were none of them, is hardening (strict); RFC 8725 3.9's MUST \
                applies where the policy names its audiences"
        ))
        .token(signed(ALG, &claims_with(ctx, "aud", EXPECTED)))
        .expect_reject(RejectKind::Audience)
        .control(signed(ALG, &valid_claims(ctx)))
        .build(),
    );
    out
}

/// No `aud`, or `aud: null`, under a policy expecting an audience: `strict` where the
/// policy does not require the claim, `bcp` where it does.
fn absent_or_null(ctx: &Context) -> Vec<Case> {
    let absent = claims_without(ctx, "aud");
    let null = claims_with(ctx, "aud", Value::Null);
    let mut requiring = audience_policy(ctx);
    requiring.required_claims.push("aud".to_string());
    vec![
        case(
            ctx,
            "missing",
            "A token without aud is rejected by a verifier that expects one",
        )
        .severity(Severity::High)
        .refs(["RFC8725#section-3.9", "RFC7519#section-4.1.3"])
        .strict("RFC8725#section-3.9")
        .sends(format!(
            "no aud claim; the verifier expects {EXPECTED:?} and requires only exp"
        ))
        .requirement(format!("{BCP_REQ} {NOT_REQUIRED}"))
        .token(signed(ALG, &absent))
        .expect_reject(RejectKind::Audience)
        .control(control(ctx))
        .build(),
        case(ctx, "null", "A token whose aud is null is rejected")
            .severity(Severity::High)
            .refs(["RFC8725#section-3.9", "RFC7519#section-4.1.3"])
            .strict("RFC8725#section-3.9")
            .sends(format!(
                "aud null; the verifier expects {EXPECTED:?} and requires only exp"
            ))
            .requirement(format!(
            "{BCP_REQ} {TYPE_REQ} null is no audience value: a verifier may read it as an absent \
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
            "A token without aud is rejected by a verifier that requires one",
        )
        .policy(requiring.clone())
        .severity(Severity::High)
        .refs([
            "RFC8725#section-3.9",
            "RFC7519#section-4.1.3",
            "RFC7519#section-4",
        ])
        .bcp("RFC8725#section-3.9")
        .sends(format!(
            "no aud claim; the verifier expects {EXPECTED:?} and requires exp and aud"
        ))
        .requirement(format!("{BCP_REQ} {REQUIRED}"))
        .token(signed(ALG, &absent))
        .expect_reject(RejectKind::MissingClaim)
        .control(control(ctx))
        .build(),
        case(
            ctx,
            "null-required",
            "A token whose aud is null is rejected by a verifier that requires one",
        )
        .policy(requiring)
        .severity(Severity::High)
        .refs([
            "RFC8725#section-3.9",
            "RFC7519#section-4.1.3",
            "RFC7519#section-4",
        ])
        .bcp("RFC8725#section-3.9")
        .sends(format!(
            "aud null; the verifier expects {EXPECTED:?} and requires exp and aud"
        ))
        .requirement(format!(
            "{BCP_REQ} null is no audience value, so the audience value is not present. \
                {REQUIRED}"
        ))
        .token(signed(ALG, &null))
        .expect_reject(RejectKind::MissingClaim)
        .control(control(ctx))
        .build(),
    ]
}

/// The usual policy, expecting [`EXPECTED`].
fn audience_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.audience = vec![EXPECTED.to_string()];
    policy
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("audience/{name}"), title)
        .policy(audience_policy(ctx))
        .needs_algorithms(&[ALG])
}

/// The token every audience attack is a variation of: `aud` exactly as expected.
fn control(ctx: &Context) -> String {
    signed(ALG, &claims_with(ctx, "aud", EXPECTED))
}

/// A high-severity `rfc` case whose token carries `aud` (which is `what`) and must be
/// rejected as `kind`.
#[track_caller]
fn rejects(ctx: &Context, name: &str, what: &str, aud: Value, kind: RejectKind) -> CaseBuilder {
    case(
        ctx,
        name,
        &format!("A token whose aud is {what} is rejected"),
    )
    .severity(Severity::High)
    .refs([
        "RFC7519#section-4.1.3",
        "RFC7519#section-7.3",
        "RFC8725#section-3.9",
    ])
    .rfc("RFC7519#section-4.1.3")
    .token(signed(ALG, &claims_with(ctx, "aud", aud)))
    .expect_reject(kind)
    .control(control(ctx))
}

/// A low-severity `rfc` case whose token carries `claims` and must be accepted with them.
#[track_caller]
fn accepts(ctx: &Context, name: &str, title: &str, claims: Value) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.3"])
        .rfc("RFC7519#section-4.1.3")
        .token(signed(ALG, &claims))
        .expect_accept(&claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Level;
    use crate::catalogue::common::testing::case_by_id;

    #[test]
    fn the_twins_differ_only_in_whether_the_policy_requires_aud() {
        let cases = cases(&Context::listing());
        for (loose, required) in [
            ("audience/missing", "audience/missing-required"),
            ("audience/null", "audience/null-required"),
        ] {
            let loose = case_by_id(&cases, loose);
            let required = case_by_id(&cases, required);
            assert_eq!(loose.token, required.token);
            assert_eq!(loose.control, {
                let mut c = required.control.clone().unwrap();
                c.policy = loose.policy.clone();
                Some(c)
            });
            assert!(!loose.policy.required_claims.contains(&"aud".to_string()));
            assert!(required.policy.required_claims.contains(&"aud".to_string()));
            let mut same = required.policy.clone();
            same.required_claims.retain(|c| c != "aud");
            assert_eq!(same, loose.policy);
            assert_eq!((loose.level, required.level), (Level::Strict, Level::Bcp));
        }
    }
}
