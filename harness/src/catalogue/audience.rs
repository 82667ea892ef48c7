//! `audience/*`: the `aud` claim (RFC 7519 section 4.1.3, RFC 8725 section 3.9).
//!
//! A token minted for one service must not be accepted by another. The comparison is
//! exact, code point by code point (RFC 7519 section 7.3): prefixes, substrings, case
//! and Unicode look-alikes are different audiences. `aud` is a string or an array of
//! strings; the token is for this verifier if any of them is one it accepts.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{claims_with, near_miss_cases, policy_for, signed, valid_claims};
use crate::context::Context;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;
/// The audience the verifier identifies itself with.
const EXPECTED: &str = "https://api.example/orders";
/// Another audience, accepted only where a case says so.
const OTHER: &str = "https://billing.example/invoices";

const AUD_REQ: &str = "RFC 7519 4.1.3: \"Each principal intended to process the JWT MUST identify \
    itself with a value in the audience claim. If the principal processing the claim does not \
    identify itself with a value in the \"aud\" claim when this claim is present, then the JWT MUST \
    be rejected.\"";
const TYPE_REQ: &str = "RFC 7519 4.1.3: \"In the general case, the \"aud\" value is an array of \
    case-sensitive strings, each containing a StringOrURI value. In the special case when the JWT \
    has one audience, the \"aud\" value MAY be a single case-sensitive string\"; any other JSON \
    type is not a valid claim";

/// The audience cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    out.extend(near_miss_cases("aud", EXPECTED, AUD_REQ, |miss| {
        let aud = json!(miss.value);
        rejects(ctx, miss.name, miss.what, aud, RejectKind::Audience)
    }));
    out.push(
        case(
            ctx,
            "missing",
            "A token without aud is rejected by a verifier that expects one",
        )
        .severity(Severity::High)
        .refs(["RFC8725#section-3.9", "RFC7519#section-4.1.3"])
        .sends(format!("no aud claim; the verifier expects {EXPECTED:?}"))
        .requirement(
            "RFC 8725 3.9: \"the relying party or application MUST validate the audience value, and \
                if the audience value is not present or not associated with the recipient, it MUST \
                reject the JWT\"",
        )
        .token(signed(ALG, &valid_claims(ctx)))
        .expect_reject(RejectKind::Audience)
        .control(control(ctx))
        .build(),
    );
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
                .requirement(AUD_REQ)
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
        ("null", "null", Value::Null),
        (
            "array-with-number",
            "an array of the expected audience and a number",
            json!([EXPECTED, 1]),
        ),
    ] {
        out.push(
            rejects(ctx, name, what, aud.clone(), RejectKind::Malformed)
                .sends(format!("aud {aud}"))
                .requirement(TYPE_REQ)
                .build(),
        );
    }
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
            .requirement(AUD_REQ)
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
        .requirement(AUD_REQ)
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
        .sends(format!(
            "aud {EXPECTED:?}; the verifier is configured with no audience"
        ))
        .requirement(format!(
            "{AUD_REQ} A verifier configured with no audience identifies itself with none, so a \
                token meant for some audience is not meant for it"
        ))
        .token(signed(ALG, &claims_with(ctx, "aud", EXPECTED)))
        .expect_reject(RejectKind::Audience)
        .control(signed(ALG, &valid_claims(ctx)))
        .build(),
    );
    out
}

/// The usual policy, expecting [`EXPECTED`].
fn audience_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.audience = vec![EXPECTED.to_string()];
    policy
}

fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("audience/{name}"), title)
        .policy(audience_policy(ctx))
        .needs_algorithms(&[ALG])
}

/// The token every audience attack is a variation of: `aud` exactly as expected.
fn control(ctx: &Context) -> String {
    signed(ALG, &claims_with(ctx, "aud", EXPECTED))
}

/// A high-severity case whose token carries `aud` (which is `what`) and must be
/// rejected as `kind`.
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
    .token(signed(ALG, &claims_with(ctx, "aud", aud)))
    .expect_reject(kind)
    .control(control(ctx))
}

/// A low-severity case whose token carries `claims` and must be accepted with them.
fn accepts(ctx: &Context, name: &str, title: &str, claims: Value) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.3"])
        .token(signed(ALG, &claims))
        .expect_accept(&claims)
}
